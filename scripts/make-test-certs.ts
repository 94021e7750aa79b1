/**
 * Regenerates the TLS fixtures of the scripted-server protocol tests (test/fixtures/tls) with
 * the tests' one certificate generator, then checks that each certificate fails verification
 * for exactly its named reason. Run: `npx tsx scripts/make-test-certs.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { writeTlsFixtures } from '../test/support/servers/certificate';
import { OPENSSL } from '../test/support/servers/prerequisites';

const out = path.join(__dirname, '..', 'test', 'fixtures', 'tls');
writeTlsFixtures(out);

const file = (name: string): string => path.join(out, `${name}.pem`);
const verify = (name: string): { ok: boolean; text: string } => {
  const result = spawnSync(OPENSSL, ['verify', '-CAfile', file('ca'), file(name)], { encoding: 'utf8' });
  return { ok: result.status === 0, text: `${result.stdout}${result.stderr}` };
};
execFileSync(OPENSSL, ['verify', '-CAfile', file('ca'), file('localhost'), file('wrong-host')], { stdio: 'ignore' });
if (!verify('expired').text.includes('certificate has expired')) throw new Error('expired.pem does not fail as expired');
if (verify('self-signed').ok) throw new Error('self-signed.pem unexpectedly verifies against the test CA');
console.log(`TLS fixtures written to ${out}`);
