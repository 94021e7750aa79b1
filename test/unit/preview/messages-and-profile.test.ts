/**
 * The two small rules around the Preview: only the webview's own message shapes are acted on
 * (a webview is a web page; what it posts is untrusted input), and the profile it names is found
 * as Send finds it, but without ever asking — when Send would ask, the Preview says so.
 */
import assert from 'node:assert/strict';
import { profileForPreview } from '../../../src/core/preview/profile';
import type { SmtpProfile } from '../../../src/core/profiles';
import { renderText } from '../../../src/core/text';
import { parseWebviewMessage } from '../../../src/host/preview/messages';

describe('preview: webview messages', () => {
  it('accepts exactly its own shapes', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'send', version: 3 }), { type: 'send', version: 3 });
    assert.deepEqual(parseWebviewMessage({ type: 'saveEml', version: 0 }), { type: 'saveEml', version: 0 });
    assert.deepEqual(parseWebviewMessage({ type: 'rendered', version: 7 }), { type: 'rendered', version: 7 });
    assert.deepEqual(parseWebviewMessage({ type: 'row', row: 2 }), { type: 'row', row: 2 });
    assert.deepEqual(parseWebviewMessage({ type: 'sendMerge' }), { type: 'sendMerge' });
  });

  it('drops anything else: unknown types, extra fields, bad versions, non-objects', () => {
    for (const message of [
      null,
      'send',
      [],
      { type: 'send' },
      { type: 'send', version: '1' },
      { type: 'send', version: -1 },
      { type: 'send', version: 1.5 },
      { type: 'send', version: 1, uri: 'file:///etc/passwd' },
      { type: 'ready', version: 1 },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'constructor', version: 1 },
      // The merge row picker: a whole row number from 1, nothing else.
      { type: 'row', row: 0 },
      { type: 'row', row: 1.5 },
      { type: 'row', row: '2' },
      { type: 'row', row: 2, uri: 'file:///etc/passwd' },
      { type: 'sendMerge', uri: 'file:///other.md' },
    ]) {
      assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
    }
  });
});

function profile(name: string): SmtpProfile {
  return { name, host: `${name}.example.test`, port: 587, security: 'starttls', username: `${name}@example.test`, auth: { kind: 'password' }, tls: { allowSelfSigned: false }, allowPlaintextAuth: false } as unknown as SmtpProfile;
}

describe('preview: the profile named, without asking', () => {
  const settings = (names: string[], defaultProfile?: string, hiddenByTrust: string[] = [], broken: string[] = []) => ({
    profiles: new Map(names.map((name) => [name, profile(name)] as const)),
    errors: new Map(broken.map((name) => [name, []] as const)),
    hiddenByTrust,
    defaultProfile,
  });

  it("takes the draft's profile, else the default, else the only one", () => {
    assert.equal(profileForPreview(settings(['a', 'b'], 'b'), 'a').profile?.name, 'a');
    assert.equal(profileForPreview(settings(['a', 'b'], 'b'), undefined).profile?.name, 'b');
    assert.equal(profileForPreview(settings(['a']), undefined).profile?.name, 'a');
    const shown = profileForPreview(settings(['a']), undefined).shown;
    assert.deepEqual(shown, { kind: 'profile', name: 'a', host: 'a.example.test', port: 587, security: 'starttls', username: 'a@example.test' });
  });

  it('says why there is none instead of asking', () => {
    const reason = (result: ReturnType<typeof profileForPreview>): string => (result.shown.kind === 'none' ? renderText(result.shown.reason) : 'a profile');
    assert.match(reason(profileForPreview(settings(['a', 'b']), undefined)), /Send will ask which of the 2 profiles/);
    assert.match(reason(profileForPreview(settings([]), undefined)), /No SMTP profile is set up yet/);
    assert.match(reason(profileForPreview(settings(['a']), 'x')), /There is no SMTP profile named "x"/);
    assert.match(reason(profileForPreview(settings([], undefined, ['w']), 'w')), /untrusted workspace/);
    assert.match(reason(profileForPreview(settings([], undefined, [], ['bad']), 'bad')), /cannot be used/);
    assert.equal(profileForPreview(settings(['a', 'b']), undefined).profile, undefined);
  });
});
