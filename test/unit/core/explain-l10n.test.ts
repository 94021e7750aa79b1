/**
 * The failure explanations are translated in the extension (vscode.l10n.t is passed in as the
 * translator). Every sentence explainError makes must go through that translator — none may be
 * English glued on outside it — and every provider's password advice must have a Simplified
 * Chinese entry. (That each template in src/ has a zh-CN entry is test/unit/l10n.test.ts's job.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainError } from '../../../src/core/explain';
import type { Audience } from '../../../src/core/explain';
import { PROVIDER_PRESETS } from '../../../src/core/profiles';
import type { SmtpProfile } from '../../../src/core/profiles';
import { SmtpAuthError, SmtpConnectionError } from '../../../src/core/smtp/errors';
import { formatTemplate, localized } from '../../../src/core/text';
import { everyKind } from './explain-cases';

const ROOT = join(__dirname, '..', '..', '..');
const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

/** A translator that marks what it translated: «…». */
const marked = (template: string, ...args: Array<string | number>): string => formatTemplate(`«${template}»`, ...args);

const qq: SmtpProfile = { name: 'q', host: 'smtp.qq.com', port: 465, security: 'tls', auth: 'auto', username: 'me@qq.com', tls: { allowSelfSigned: false }, allowPlaintextAuth: false };

describe('failure explanations are localisable', () => {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

  it('has a zh-cn entry, with the same placeholders, for every provider password advice', () => {
    for (const preset of Object.values(PROVIDER_PRESETS)) {
      assert.ok(bundle[preset.passwordAdvice.template] !== undefined, preset.passwordAdvice.template);
      assert.deepEqual(placeholders(bundle[preset.passwordAdvice.template] ?? ''), placeholders(preset.passwordAdvice.template));
    }
  });

  it('routes every sentence of every kind, for both audiences, through the translator', () => {
    for (const audience of ['cli', 'extension'] as Audience[]) {
      for (const [name, error] of everyKind()) {
        const e = explainError(error, { profile: qq, t: marked, audience });
        assert.match(e.summary, /^«.*»$/, `${audience} ${name} summary: ${e.summary}`);
        assert.ok(e.advice === '' || /^«.*»$/.test(e.advice), `${audience} ${name} advice: ${e.advice}`);
      }
    }
  });

  it('translates the stage wrapper and the sentence inside it, and provider advice', () => {
    const auth = new SmtpAuthError({ stage: 'auth', mechanism: 'LOGIN', text: localized('x'), reply: { code: 535, lines: ['no'] } });
    const e = explainError(auth, { profile: qq, t: marked, audience: 'extension' });
    assert.equal(e.summary, '««Authentication failed (LOGIN): 535 no» (stage auth)»');
    assert.match(e.advice, /^«QQ Mail needs/);
    const refused = explainError(new SmtpConnectionError({ stage: 'connect', errno: 'ECONNREFUSED', text: localized('refused') }), { t: marked, audience: 'cli' });
    assert.equal(refused.advice, '«Nothing is listening on «the server». Check the host and port.»');
  });

  it('formats {n} placeholders and leaves other braces alone', () => {
    assert.equal(formatTemplate('{1} and {0} { "tls": {} } {9}', 'a', 'b'), 'b and a { "tls": {} } {9}');
  });
});
