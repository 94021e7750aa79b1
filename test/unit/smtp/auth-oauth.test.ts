/**
 * OAUTHBEARER (RFC 7628) beside XOAUTH2: the blob's exact format, the choice between them, the
 * error-challenge dance (RFC 7628 3.2.3: a 334 with an error JSON is answered, then the 5xx is
 * read), and the session's "refresh once, retry once" — against a scripted server, for the
 * exact bytes and for the server echoing a credential, which a real server does not do.
 */
import assert from 'node:assert/strict';
import type { TokenSource } from '../../../src/core/oauth/types';
import { normaliseProfile } from '../../../src/core/profiles';
import type { SmtpProfile } from '../../../src/core/profiles';
import { testProfile } from '../../../src/core/send';
import { chooseMechanism, describeErrorChallenge, errorChallengeAnswer, oauthBearerResponse, offeredMechanisms, xoauth2Response } from '../../../src/core/smtp/auth';
import { SmtpAuthError } from '../../../src/core/smtp/errors';
import type { SmtpEvent } from '../../../src/core/smtp/types';
import { custom, expect, send } from '../../support/scripted-server';
import type { Step } from '../../support/scripted-server';
import { QUIT_STEPS, closeSessions, ehlo, greet, openSession, rejection } from '../../support/scripted-session';
import { startScriptedServer } from '../../support/scripted-server';

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
const ERROR_JSON = Buffer.from('{"status":"invalid_token","schemes":"bearer","scope":"https://mail.google.com/"}').toString('base64');

describe('OAUTHBEARER and XOAUTH2 blobs', () => {
  it('OAUTHBEARER is the RFC 7628 3.1 GS2 header, host, port and bearer token, ^A separated, ^A^A at the end', () => {
    assert.equal(decode(oauthBearerResponse('user@example.com', 'server.example.com', 587, 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==')),
      'n,a=user@example.com,\u0001host=server.example.com\u0001port=587\u0001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\u0001\u0001');
  });

  it('escapes "=" and "," in the authorization identity (RFC 5801 4)', () => {
    assert.ok(decode(oauthBearerResponse('a=b,c@example.com', 'h', 25, 't')).startsWith('n,a=a=3Db=2Cc@example.com,\u0001'));
  });

  it('answers an error challenge with ^A for OAUTHBEARER and an empty line for XOAUTH2', () => {
    assert.equal(errorChallengeAnswer('OAUTHBEARER'), 'AQ==');
    assert.equal(decode(errorChallengeAnswer('OAUTHBEARER')), '\u0001');
    assert.equal(errorChallengeAnswer('XOAUTH2'), '');
  });

  it('reads status and scope from an error challenge (Google names the scope), never a token echoed there', () => {
    assert.equal(describeErrorChallenge(ERROR_JSON, 'ya29.a0secret'), 'status invalid_token, scope https://mail.google.com/');
    const echoing = Buffer.from('{"status":"401","scope":"x tok-secret y"}').toString('base64');
    assert.equal(describeErrorChallenge(echoing, 'tok-secret'), 'status 401');
    assert.equal(describeErrorChallenge('not json', 'ya29.a0secret'), undefined);
    assert.equal(describeErrorChallenge(Buffer.from('[1]').toString('base64'), 'ya29.a0secret'), undefined);
  });

  it('prefers OAUTHBEARER when both are offered, XOAUTH2 when it is the only one, and honours a forced one', () => {
    const both = offeredMechanisms('PLAIN XOAUTH2 OAUTHBEARER');
    assert.equal(chooseMechanism(both, { username: 'u', accessToken: 't' }), 'OAUTHBEARER');
    assert.equal(chooseMechanism(offeredMechanisms('PLAIN XOAUTH2'), { username: 'u', accessToken: 't' }), 'XOAUTH2');
    assert.equal(chooseMechanism(both, { username: 'u', accessToken: 't', mechanism: 'XOAUTH2' }), 'XOAUTH2');
    assert.throws(() => chooseMechanism(both, { username: 'u', password: 'p', mechanism: 'OAUTHBEARER' }), SmtpAuthError);
  });
});

/** One client line, checked exactly (expect() checks a prefix only, and '' is everyone's prefix). */
const expectExactly = (line: string): Step =>
  custom(async (io) => {
    assert.equal(await io.readLine(), line);
  });

function sentLines(events: readonly SmtpEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'send' ? [e.line] : []));
}

describe('the error challenge against a scripted server', () => {
  afterEach(closeSessions);
  const token = 'ya29.secret-access-token-1';

  for (const [mechanism, answer] of [
    ['OAUTHBEARER', 'AQ=='],
    ['XOAUTH2', ''],
  ] as const) {
    it(`${mechanism}: 334 error JSON → the client answers "${answer}" → 535 becomes SmtpAuthError; no token in any event or the error`, async () => {
      const { client, events, server } = await openSession([
        greet,
        ...ehlo(['AUTH XOAUTH2 OAUTHBEARER']),
        expect(`AUTH ${mechanism} `),
        send(`334 ${ERROR_JSON}\r\n`),
        expectExactly(answer),
        // A careless server echoing the credential: scrubbed before it becomes an event or error.
        custom(async (io) => {
          const blob = /^AUTH \S+ (\S+)/.exec(server.text.split('\r\n').find((l) => l.startsWith('AUTH ')) ?? '')?.[1] ?? '';
          await io.write(`535 5.7.8 bad token ${token} ${blob}\r\n`);
        }),
        ...QUIT_STEPS,
      ]);
      await client.connect();
      const error = await rejection(client.authenticate({ username: 'alice@example.com', accessToken: token, mechanism }));
      assert.ok(error instanceof SmtpAuthError);
      assert.equal(error.reply?.code, 535);
      assert.match(error.message, /the token was refused: status invalid_token, scope https:\/\/mail\.google\.com\//);
      await client.quit();
      assert.deepEqual(sentLines(events).slice(1, 3), [`AUTH ${mechanism} ****`, answer]);
      const blobs = [xoauth2Response('alice@example.com', token), oauthBearerResponse('alice@example.com', '127.0.0.1', server.port, token)];
      const shown = JSON.stringify(events) + String(error) + (error.stack ?? '');
      for (const secret of [token, ...blobs]) assert.ok(!shown.includes(secret), `leaked ${secret.slice(0, 8)}…`);
    });
  }
});

describe('a session refreshes the token once after a refusal, and retries AUTH once', () => {
  afterEach(closeSessions);

  function profileFor(port: number, auth: string): SmtpProfile {
    const result = normaliseProfile('scripted', {
      host: '127.0.0.1',
      port,
      security: 'none',
      username: 'alice@example.com',
      auth,
      oauth: { provider: 'custom', authorizeUrl: 'http://127.0.0.1:9/a', tokenUrl: 'http://127.0.0.1:9/t', clientId: 'c' },
    });
    assert.ok(result.profile, JSON.stringify(result.errors));
    return result.profile;
  }

  /** Hands out tok-1, tok-2, … and records whether each call followed a refusal. */
  function tokens(): TokenSource & { readonly calls: boolean[] } {
    const calls: boolean[] = [];
    return {
      calls,
      accessToken: (afterRefusal) => {
        calls.push(afterRefusal);
        return Promise.resolve(`tok-${calls.length}`);
      },
    };
  }

  const refuse = [send(`334 ${ERROR_JSON}\r\n`), expectExactly('AQ=='), send('535 5.7.8 Authentication failed\r\n')];

  it('refused, then accepted with the new token: authenticated with OAUTHBEARER', async () => {
    const server = await startScriptedServer([greet, ...ehlo(['AUTH OAUTHBEARER XOAUTH2']), expect('AUTH OAUTHBEARER '), ...refuse, expect('AUTH OAUTHBEARER '), send('235 2.7.0 ok\r\n'), ...QUIT_STEPS]);
    try {
      const source = tokens();
      const result = await testProfile({ profile: profileFor(server.port, 'oauth2'), tokenSource: source, timeouts: { command: 2000 } });
      assert.equal(result.mechanism, 'OAUTHBEARER');
      assert.deepEqual(source.calls, [false, true]);
      const auths = server.text.split('\r\n').filter((l) => l.startsWith('AUTH '));
      const bearer = (line: string): string | undefined => decode(line.split(' ')[2] ?? '').split('\u0001').find((kv) => kv.startsWith('auth=Bearer '))?.slice('auth=Bearer '.length);
      assert.deepEqual(auths.map(bearer), ['tok-1', 'tok-2']);
    } finally {
      await server.close();
    }
  });

  it('refused twice: the refusal is final (no third attempt)', async () => {
    const server = await startScriptedServer([greet, ...ehlo(['AUTH XOAUTH2']), expect('AUTH XOAUTH2 '), send(`334 ${ERROR_JSON}\r\n`), expectExactly(''), send('535 5.7.8 no\r\n'), expect('AUTH XOAUTH2 '), send(`334 ${ERROR_JSON}\r\n`), expectExactly(''), send('535 5.7.8 no\r\n'), ...QUIT_STEPS]);
    try {
      const source = tokens();
      const error = await rejection(testProfile({ profile: profileFor(server.port, 'xoauth2'), tokenSource: source, timeouts: { command: 2000 } }));
      assert.ok(error instanceof SmtpAuthError, String(error));
      assert.deepEqual(source.calls, [false, true]);
      assert.equal(server.text.split('\r\n').filter((l) => l.startsWith('AUTH ')).length, 2);
    } finally {
      await server.close();
    }
  });

  it('a 454 (temporary) is not answered with a new token', async () => {
    const server = await startScriptedServer([greet, ...ehlo(['AUTH OAUTHBEARER']), expect('AUTH OAUTHBEARER '), send('454 4.7.0 Temporary authentication failure\r\n'), ...QUIT_STEPS]);
    try {
      const source = tokens();
      const error = await rejection(testProfile({ profile: profileFor(server.port, 'oauthbearer'), tokenSource: source, timeouts: { command: 2000 } }));
      assert.ok(error instanceof SmtpAuthError && error.transient);
      assert.deepEqual(source.calls, [false]);
    } finally {
      await server.close();
    }
  });
});
