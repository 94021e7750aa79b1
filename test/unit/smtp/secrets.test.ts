import assert from 'node:assert/strict';
import { credentialForms, REDACTED, SecretScrubber } from '../../../src/core/smtp/secrets';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('credential scrubbing (issue 7.11: every form, any letter case)', () => {
  const username = 'alice@example.com';
  const password = 'Tr0ub4dor&3!';
  const accessToken = 'ya29.Token-0123';

  it('knows the plain secret, its base64, the PLAIN and XOAUTH2 blobs, LOGIN pieces, each also without padding', () => {
    const forms = credentialForms({ username, password, accessToken });
    const plain = b64(`\0${username}\0${password}`);
    const xoauth = b64(`user=${username}\x01auth=Bearer ${accessToken}\x01\x01`);
    for (const form of [password, accessToken, b64(password), plain, xoauth, b64(username), b64(accessToken)]) {
      assert.ok(forms.includes(form), `missing ${form.slice(0, 6)}…`);
      assert.ok(forms.includes(form.replace(/=+$/, '')), `missing the unpadded ${form.slice(0, 6)}…`);
    }
  });

  it('removes each form in upper, lower and mixed case, and leaves other text alone', () => {
    const scrubber = new SecretScrubber();
    scrubber.add(credentialForms({ username, password }));
    const encoded = b64(password);
    const text = `a ${password.toUpperCase()} b ${encoded.toLowerCase()} c ${encoded.toUpperCase()} d ${password}`;
    assert.equal(scrubber.scrub(text), `a ${REDACTED} b ${REDACTED} c ${REDACTED} d ${REDACTED}`);
    const clean = '250 2.1.0 Sender ok';
    assert.equal(scrubber.scrub(clean), clean);
  });

  it('removes a longer secret whole even when it contains a shorter one', () => {
    const scrubber = new SecretScrubber();
    scrubber.add(['abc', 'xxabcxx']);
    assert.equal(scrubber.scrub('<xxABCxx>'), `<${REDACTED}>`);
  });

  it('treats regular-expression characters in a secret literally, and ignores empty strings', () => {
    const scrubber = new SecretScrubber();
    scrubber.add(['', 'p.a*s+s(']);
    assert.equal(scrubber.scrub('pXaXsXs( p.a*s+s('), `pXaXsXs( ${REDACTED}`);
    assert.equal(new SecretScrubber().scrub('anything'), 'anything');
  });
});
