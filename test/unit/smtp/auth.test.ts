import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  chooseMechanism,
  cramMd5Response,
  loginResponse,
  offeredMechanisms,
  plainResponse,
  runMechanism,
  xoauth2Response,
} from '../../../src/core/smtp/auth';
import { credentialForms } from '../../../src/core/smtp/secrets';
import { SmtpAuthError, SmtpUnsupportedError } from '../../../src/core/smtp/errors';
import type { SmtpReply } from '../../../src/core/smtp/types';

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

describe('AUTH encodings', () => {
  it('PLAIN is base64 of NUL user NUL password (RFC 4616)', () => {
    assert.equal(plainResponse('tim', 'tanstaaftanstaaf'), 'AHRpbQB0YW5zdGFhZnRhbnN0YWFm');
    assert.equal(decode(plainResponse('用户', 'pässword')), '\u0000用户\u0000pässword');
  });

  it('LOGIN sends each value base64', () => {
    assert.equal(loginResponse('username'), 'dXNlcm5hbWU=');
  });

  it('CRAM-MD5 matches the RFC 2195 example', () => {
    const challenge = Buffer.from('<1896.697170952@postoffice.reston.mci.net>').toString('base64');
    assert.equal(decode(cramMd5Response('tim', 'tanstaaftanstaaf', challenge)), 'tim b913a602c7eda7a495b4e6e7334d3890');
  });

  it('CRAM-MD5 is an HMAC of the decoded challenge', () => {
    const expected = createHmac('md5', 'pw').update('<x@y>').digest('hex');
    assert.equal(decode(cramMd5Response('u', 'pw', Buffer.from('<x@y>').toString('base64'))), `u ${expected}`);
  });

  it('XOAUTH2 is user=…^Aauth=Bearer …^A^A', () => {
    assert.equal(decode(xoauth2Response('someuser@example.com', 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg')),
      'user=someuser@example.com\u0001auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\u0001\u0001');
  });
});

describe('AUTH mechanism choice', () => {
  const all = offeredMechanisms('PLAIN LOGIN CRAM-MD5 XOAUTH2');

  it('reads the EHLO AUTH parameters, including the old AUTH= form', () => {
    assert.deepEqual([...offeredMechanisms('login plain')], ['LOGIN', 'PLAIN']);
    assert.deepEqual([...offeredMechanisms('=LOGIN PLAIN')], ['LOGIN', 'PLAIN']);
    assert.equal(offeredMechanisms(undefined).size, 0);
  });

  it('prefers XOAUTH2 with a token, then CRAM-MD5 > PLAIN > LOGIN', () => {
    assert.equal(chooseMechanism(all, { username: 'u', accessToken: 't', password: 'p' }), 'XOAUTH2');
    assert.equal(chooseMechanism(all, { username: 'u', password: 'p' }), 'CRAM-MD5');
    assert.equal(chooseMechanism(offeredMechanisms('LOGIN PLAIN'), { username: 'u', password: 'p' }), 'PLAIN');
    assert.equal(chooseMechanism(offeredMechanisms('LOGIN'), { username: 'u', password: 'p' }), 'LOGIN');
  });

  it('honours a forced mechanism and refuses one the server does not offer', () => {
    assert.equal(chooseMechanism(all, { username: 'u', password: 'p', mechanism: 'LOGIN' }), 'LOGIN');
    assert.throws(() => chooseMechanism(offeredMechanisms('PLAIN'), { username: 'u', password: 'p', mechanism: 'CRAM-MD5' }),
      (e: unknown) => e instanceof SmtpUnsupportedError && e.feature === 'AUTH CRAM-MD5' && e.stage === 'auth');
  });

  it('explains a missing secret or a server without AUTH', () => {
    assert.throws(() => chooseMechanism(all, { username: 'u' }), SmtpAuthError);
    assert.throws(() => chooseMechanism(all, { username: 'u', mechanism: 'XOAUTH2', password: 'p' }), SmtpAuthError);
    assert.throws(() => chooseMechanism(new Set(), { username: 'u', password: 'p' }), (e: unknown) => e instanceof SmtpUnsupportedError && e.feature === 'AUTH');
    assert.throws(() => chooseMechanism(offeredMechanisms('PLAIN'), { username: 'u', accessToken: 't' }), (e: unknown) => e instanceof SmtpUnsupportedError && e.feature === 'AUTH OAUTHBEARER or XOAUTH2');
  });
});

describe('AUTH exchanges redact at the source', () => {
  async function transcript(mechanism: 'PLAIN' | 'LOGIN' | 'CRAM-MD5' | 'XOAUTH2', replies: SmtpReply[]) {
    const steps: { line: string; redacted: string | undefined }[] = [];
    const credentials = { username: 'alice', password: 'hunter2-pass', accessToken: 'tok-123456' };
    // What the client registers up front, plus what the mechanism adds during the exchange.
    const secrets: string[] = credentialForms(credentials);
    await runMechanism(mechanism, credentials, {
      step: (line, _expected, redacted) => {
        steps.push({ line, redacted });
        const reply = replies.shift();
        assert.ok(reply, 'unexpected extra step');
        return Promise.resolve(reply);
      },
      secret: (value) => secrets.push(value),
      server: { host: 'mx.test', port: 587 },
    });
    return { steps, secrets };
  }

  it('every line that carries a credential has a redacted twin without it', async () => {
    const challenge = Buffer.from('<123@host>').toString('base64');
    const runs = await Promise.all([
      transcript('PLAIN', [{ code: 235, lines: ['ok'] }]),
      transcript('LOGIN', [{ code: 334, lines: ['VXNlcm5hbWU6'] }, { code: 334, lines: ['UGFzc3dvcmQ6'] }, { code: 235, lines: ['ok'] }]),
      transcript('CRAM-MD5', [{ code: 334, lines: [challenge] }, { code: 235, lines: ['ok'] }]),
      transcript('XOAUTH2', [{ code: 235, lines: ['ok'] }]),
    ]);
    for (const { steps, secrets } of runs) {
      assert.ok(secrets.length > 0);
      for (const { line, redacted } of steps) {
        const carriesSecret = secrets.some((s) => line.includes(s)) || line === loginResponse('alice');
        if (carriesSecret) {
          assert.ok(redacted !== undefined, `unredacted: ${line.slice(0, 10)}`);
          for (const s of secrets) assert.ok(!redacted.includes(s));
        }
      }
    }
    assert.deepEqual(runs[0]?.steps.map((s) => s.redacted), ['AUTH PLAIN ****']);
    assert.deepEqual(runs[1]?.steps.map((s) => s.redacted ?? s.line), ['AUTH LOGIN', '****', '****']);
  });

  it('XOAUTH2 answers a 334 error challenge with an empty line', async () => {
    const { steps } = await transcript('XOAUTH2', [{ code: 334, lines: ['eyJzdGF0dXMiOiI0MDEifQ=='] }, { code: 235, lines: ['ok'] }]);
    assert.equal(steps[1]?.line, '');
  });
});
