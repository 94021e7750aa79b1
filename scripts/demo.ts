/**
 * `npm run demo`: no setup at all. Starts a capture SMTP server on loopback (smtp-server, with
 * STARTTLS and AUTH, a throwaway certificate the client is told to trust), sends
 * examples/demo/welcome.md through the real pipeline and client, prints the transcript, and
 * saves what the server received.
 *
 * A development script, not shipped source: it needs the smtp-server devDependency and
 * openssl. esbuild bundles it to dist/demo.js for `npm run demo`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { normaliseProfile } from '../src/core/profiles';
import { checkDraft, composeDraft, resolveSender } from '../src/core/compose-draft';
import { randomIdentity } from '../src/core/identity';
import { deliver } from '../src/core/send';
import { clockTime, formatTranscriptLine, transcriptLines } from '../src/core/transcript';
import { readDraftFile } from '../src/cli/draft-file';

const ROOT = resolve(__dirname, '..');
const DRAFT = join(ROOT, 'examples', 'demo', 'welcome.md');
const OUTPUT = join(ROOT, 'demo-output');

function makeCertificate(dir: string): { key: Buffer; cert: Buffer; certPath: string } {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyPath, '-out', certPath], { stdio: 'ignore' });
  return { key: readFileSync(keyPath), cert: readFileSync(certPath), certPath };
}

interface Captured {
  readonly from: string;
  readonly to: string[];
  readonly data: Buffer;
}

async function startCaptureServer(tls: { key: Buffer; cert: Buffer }, password: string): Promise<{ port: number; received: Promise<Captured>; close: () => Promise<void> }> {
  let deliver!: (captured: Captured) => void;
  const received = new Promise<Captured>((resolveCaptured) => (deliver = resolveCaptured));
  const server = new SMTPServer({
    name: 'demo.localhost',
    key: tls.key,
    cert: tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    size: 25 * 1024 * 1024,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'demo' && auth.password === password) callback(null, { user: 'demo' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        deliver({ from, to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks) });
        callback(null);
      });
    },
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('capture server has no port');
  return { port: address.port, received, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'send-as-email-demo-'));
  try {
    const tls = makeCertificate(scratch);
    // A fresh random password: the transcript below shows it never reaches the log.
    const password = randomBytes(12).toString('base64url');
    const server = await startCaptureServer(tls, password);
    console.log(`Capture server listening on 127.0.0.1:${server.port} (STARTTLS, AUTH PLAIN/LOGIN)\n`);

    const { profile } = normaliseProfile('demo', { host: 'localhost', port: server.port, security: 'starttls', username: 'demo', tls: { ca: tls.certPath } });
    if (profile === undefined) throw new Error('demo profile invalid');
    const source = await readDraftFile(DRAFT);
    const check = await checkDraft(source);
    for (const p of check.problems) console.log(`${DRAFT}:${p.start.line}:${p.start.column}: ${p.severity}: ${p.message}`);
    if (check.checked === undefined) throw new Error('the demo draft has errors');
    const message = await composeDraft(check.checked, randomIdentity(resolveSender(check.checked.draft, profile).address), profile);

    console.log(`Sending ${DRAFT} (${message.size} bytes, ${message.envelope.to.length} recipients)\n`);
    const result = await deliver(message, {
      profile,
      secret: password,
      trace: 'messages',
      observer: (event) => {
        for (const line of transcriptLines(event)) console.log(formatTranscriptLine(line, new Date()));
      },
    });
    const captured = await server.received;
    await server.close();

    mkdirSync(OUTPUT, { recursive: true });
    const saved = join(OUTPUT, `received-${clockTime(new Date()).replace(/[:.]/g, '')}.eml`);
    writeFileSync(saved, captured.data);
    console.log(`\nServer replied: ${result.reply.code} ${result.reply.lines.join(' ')}`);
    console.log(`Message-ID:     ${result.messageId}`);
    console.log(`Envelope:       MAIL FROM:<${captured.from}>  RCPT TO: ${captured.to.join(', ')}`);
    console.log(`Bcc in headers: ${/^bcc:/im.test(captured.data.toString('latin1').split('\r\n\r\n')[0] ?? '') ? 'YES (bug!)' : 'no (audit@example.test got it through the envelope only)'}`);
    console.log(`Received message saved to ${saved}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
