/**
 * A throwaway self-signed certificate per run, made with openssl, valid for localhost,
 * 127.0.0.1 and ::1. Tests pass `certPem` to the client as `tls.ca`, so certificate
 * verification stays on against the real servers.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { OPENSSL } from './prerequisites';

const execFileAsync = promisify(execFile);

export interface TestCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  /** PEM text of the certificate: give it to the client as its trusted CA. */
  readonly certPem: string;
  readonly keyPem: string;
}

/** Writes cert.pem and key.pem into `dir` (which must exist). */
export async function createTestCertificate(dir: string, commonName = 'localhost'): Promise<TestCertificate> {
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  await execFileAsync(
    OPENSSL,
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-sha256',
      '-subj', `/CN=${commonName}`,
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      '-keyout', keyPath, '-out', certPath,
    ],
    { timeout: 20_000 },
  );
  // Daemons that drop privileges (Postfix's smtpd, Dovecot) read these as root before they do;
  // a world-readable throwaway test key keeps that free of ownership puzzles.
  fs.chmodSync(keyPath, 0o644);
  fs.chmodSync(certPath, 0o644);
  return { certPath, keyPath, certPem: fs.readFileSync(certPath, 'utf8'), keyPem: fs.readFileSync(keyPath, 'utf8') };
}
