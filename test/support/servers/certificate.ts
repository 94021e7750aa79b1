/**
 * The one certificate generator of the tests. It makes:
 * - a throwaway self-signed certificate per server run (`createTestCertificate`, for aiosmtpd,
 *   Postfix, Exim, code-server's mail server; `makeCertificate`, PEM text for in-process peers);
 * - the fixed TLS fixtures of the scripted-server tests in test/fixtures/tls
 *   (`writeTlsFixtures`, run by scripts/make-test-certs.ts): a test CA and leaves that each
 *   carry exactly one named defect (wrong host, expired, self-signed).
 * Every certificate is issued by `openssl ca` from a minimal CA configuration, because
 * `openssl x509 -req -days` cannot backdate on OpenSSL 3.0, and fixed past start dates keep the
 * fixtures valid on a machine whose clock is behind the one that made them.
 * Keys are test-only and carry no secret value. Tests pass the certificate to the client as
 * `tls.ca`, so verification stays on against real servers.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OPENSSL } from './prerequisites';

export interface TestCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  /** PEM text of the certificate: give it to the client as its trusted CA. */
  readonly certPem: string;
  readonly keyPem: string;
}

/** Names a localhost server is reached by. */
export const LOCALHOST_NAMES = ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1'] as const;

export interface CertificateRequest {
  /** Files written: `<name>.pem` and `<name>-key.pem`. */
  readonly name: string;
  readonly commonName: string;
  /** subjectAltName entries such as `DNS:localhost`, `IP:127.0.0.1`. */
  readonly altNames: readonly string[];
  /** openssl ca dates, `YYYYMMDDHHMMSSZ`. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** `self`: signed by its own key; `ca`: by `ca.pem` / `ca-key.pem` in the same folder. */
  readonly issuer: 'self' | 'ca';
  /** A CA certificate (basicConstraints CA:TRUE, keyCertSign). */
  readonly isCa?: boolean;
}

function opensslConfig(work: string, outDir: string, requests: readonly CertificateRequest[]): string {
  const sections = requests.map((request) => {
    const lines = request.isCa === true
      ? ['basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign', 'subjectKeyIdentifier = hash']
      : ['basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment', 'extendedKeyUsage = serverAuth'];
    if (request.altNames.length > 0) lines.push(`subjectAltName = ${request.altNames.join(',')}`);
    return `[ ext_${request.name.replace(/[^A-Za-z0-9]/g, '_')} ]\n${lines.join('\n')}`;
  });
  return [
    '[ ca ]',
    'default_ca = test_ca',
    '[ test_ca ]',
    `dir             = ${work}`,
    'database        = $dir/index.txt',
    'new_certs_dir   = $dir/newcerts',
    'serial          = $dir/serial',
    `certificate     = ${path.join(outDir, 'ca.pem')}`,
    `private_key     = ${path.join(outDir, 'ca-key.pem')}`,
    'default_md      = sha256',
    'policy          = anything',
    'copy_extensions = none',
    'unique_subject  = no',
    '[ anything ]',
    'commonName = supplied',
    '[ req ]',
    'distinguished_name = dn',
    '[ dn ]',
    ...sections,
    '',
  ].join('\n');
}

/**
 * Issues each request in order into `outDir` (a CA must come before the leaves it signs).
 * Synchronous: a few hundred milliseconds of openssl per certificate.
 */
export function issueCertificates(outDir: string, requests: readonly CertificateRequest[]): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sae-cert-'));
  try {
    fs.mkdirSync(path.join(work, 'newcerts'));
    fs.writeFileSync(path.join(work, 'index.txt'), '');
    fs.writeFileSync(path.join(work, 'serial'), `${randomBytes(8).toString('hex')}\n`);
    const config = path.join(work, 'ca.cnf');
    fs.writeFileSync(config, opensslConfig(work, outDir, requests));
    const run = (args: readonly string[]): void => {
      execFileSync(OPENSSL, [...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
    };
    for (const request of requests) {
      const key = path.join(outDir, `${request.name}-key.pem`);
      const csr = path.join(work, `${request.name}.csr`);
      run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-config', config, '-subj', `/CN=${request.commonName}`, '-keyout', key, '-out', csr]);
      const selfSign = request.issuer === 'self' ? ['-selfsign', '-keyfile', key] : [];
      run([
        'ca', '-batch', '-notext', '-config', config, '-extensions', `ext_${request.name.replace(/[^A-Za-z0-9]/g, '_')}`,
        '-startdate', request.notBefore, '-enddate', request.notAfter,
        '-in', csr, '-out', path.join(outDir, `${request.name}.pem`), ...selfSign,
      ]);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `YYYYMMDDHHMMSSZ` for openssl ca. */
function opensslDate(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function selfSignedLocalhost(dir: string, name: string, commonName: string): TestCertificate {
  const now = Date.now();
  // From yesterday: a server whose clock runs a little behind still accepts it.
  issueCertificates(dir, [{ name, commonName, altNames: LOCALHOST_NAMES, notBefore: opensslDate(new Date(now - DAY_MS)), notAfter: opensslDate(new Date(now + 2 * DAY_MS)), issuer: 'self' }]);
  const certPath = path.join(dir, `${name}.pem`);
  const keyPath = path.join(dir, `${name}-key.pem`);
  // Daemons that drop privileges (Postfix's smtpd, Dovecot, Exim) read these after they do;
  // a world-readable throwaway test key keeps that free of ownership puzzles.
  fs.chmodSync(keyPath, 0o644);
  fs.chmodSync(certPath, 0o644);
  return { certPath, keyPath, certPem: fs.readFileSync(certPath, 'utf8'), keyPem: fs.readFileSync(keyPath, 'utf8') };
}

/** Writes a self-signed localhost certificate as cert.pem and cert-key.pem into `dir` (which must exist). */
export function createTestCertificate(dir: string, commonName = 'localhost'): Promise<TestCertificate> {
  return Promise.resolve(selfSignedLocalhost(dir, 'cert', commonName));
}

/** The same, as PEM text only (files removed): for in-process servers such as npm smtp-server. */
export function makeCertificate(): { readonly key: string; readonly cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sae-cert-'));
  try {
    const made = selfSignedLocalhost(dir, 'cert', 'localhost');
    return { key: made.keyPem, cert: made.certPem };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The scripted-server TLS fixtures (test/fixtures/tls): every leaf but the self-signed one is
 * signed by one test CA, so a test can trust that CA (`tls.ca`) and exactly the named defect
 * fails verification. Good certificates are valid 2024-01-01 .. 2044-01-01.
 *
 *   ca.pem                 test CA, 2020-01-01 .. 2045-01-01
 *   localhost.pem          CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1
 *   wrong-host.pem         CN=mail.example.org, SAN DNS:mail.example.org
 *   expired.pem            like localhost, valid 2020-01-01 .. 2020-01-02 only
 *   self-signed.pem        localhost names, signed by its own key (trusted by nobody)
 */
export function writeTlsFixtures(outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true });
  const good = { notBefore: '20240101000000Z', notAfter: '20440101000000Z' } as const;
  issueCertificates(outDir, [
    { name: 'ca', commonName: 'Send as Email Test CA', altNames: [], notBefore: '20200101000000Z', notAfter: '20450101000000Z', issuer: 'self', isCa: true },
    { name: 'localhost', commonName: 'localhost', altNames: LOCALHOST_NAMES, ...good, issuer: 'ca' },
    { name: 'wrong-host', commonName: 'mail.example.org', altNames: ['DNS:mail.example.org'], ...good, issuer: 'ca' },
    { name: 'expired', commonName: 'localhost', altNames: LOCALHOST_NAMES, notBefore: '20200101000000Z', notAfter: '20200102000000Z', issuer: 'ca' },
    { name: 'self-signed', commonName: 'localhost', altNames: LOCALHOST_NAMES, ...good, issuer: 'self' },
  ]);
}
