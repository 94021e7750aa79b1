/**
 * A hostile draft (or server), tried as an attacker would: through the built command line
 * (dist/cli.js, the production bundle users run), one test per hardening point the CLI shows.
 * A draft often arrives inside a cloned repository; nothing in it may take a file, forge what
 * the terminal shows, or send something `check` did not show.
 *
 * The CLI runs as a child process with async spawn, so the in-process SMTP servers below can
 * answer it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { close, expect, expectData, send, startScriptedServer } from '../support/scripted-server';
import type { ScriptedServer } from '../support/scripted-server';
import { openLocalPeer } from '../support/smtp-server-peer';
import type { LocalPeer, PeerServer } from '../support/smtp-server-peer';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs `command` (argv[0] and the rest) with the environment the CLI tests share. */
function spawnRun(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { env: { ...process.env, SEND_AS_EMAIL_PASSWORD: '', SOURCE_DATE_EPOCH: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }));
  });
}

/** No raw C0/C1 control (other than the line breaks between our own lines) and no bidi control. */
function assertNothingRaw(text: string, what: string): void {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.exec(text);
  assert.equal(raw, null, `${what} has a raw U+${raw?.[0].charCodeAt(0).toString(16).padStart(4, '0') ?? ''}:\n${JSON.stringify(text)}`);
}

describe('hostile drafts, through the built command line', function () {
  this.timeout(60_000);
  let peer: LocalPeer;
  let dir: string;
  /** The draft's folder: with no workspace, the folder its files are judged against. */
  let drafts: string;
  let server: PeerServer;
  let config: string;

  const cli = (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
    spawnRun(process.execPath, [CLI, ...args], { SEND_AS_EMAIL_CONFIG: config, ...env });

  function draft(name: string, text: string | Buffer): string {
    const path = join(drafts, name);
    writeFileSync(path, text);
    return path;
  }

  before(async () => {
    execFileSync(process.execPath, [join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
    peer = await openLocalPeer('sae-hostile-', 'ann@example.com');
    ({ dir, server, config } = peer);
    drafts = join(dir, 'repo', 'drafts');
    mkdirSync(drafts, { recursive: true });
    mkdirSync(join(dir, 'home', '.ssh'), { recursive: true });
    writeFileSync(join(dir, 'home', '.ssh', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n');
  });

  after(() => peer.close());

  // Issue 7.1: `![x](~/.ssh/id_rsa)` was embedded as an inline part, and `check` said nothing.
  it('a Markdown image of a file that is not an image is an error at the image', async () => {
    writeFileSync(join(drafts, 'secret.bin'), 'API_KEY=hunter2\n');
    const path = draft('image.md', '---\nfrom: ann@example.com\nto: bob@example.com\nsubject: s\n---\nHello\n\n![chart](secret.bin)\n');
    const result = await cli(['check', path]);
    assert.equal(result.code, 2, result.err);
    assert.match(result.err, new RegExp(`^${escapeRegExp(path)}:8:1: error: .*not an image`, 'm'));
  });

  // Issue 7.2: `report.pdf -> ~/.ssh/id_rsa` went out as application/pdf "report.pdf".
  it('an attachment through a symlink is named, typed and shown after its target', async () => {
    symlinkSync(join(dir, 'home', '.ssh', 'id_rsa'), join(drafts, 'report.pdf'));
    const path = draft('link.md', '---\nfrom: ann@example.com\nto: bob@example.com\nsubject: s\nattach: report.pdf\n---\nHello\n');
    const eml = join(dir, 'link.eml');
    const result = await cli(['send', path, '--eml', eml]);
    assert.equal(result.code, 0, result.err);
    const message = readFileSync(eml, 'latin1');
    assert.match(message, /filename="?id_rsa"?/);
    assert.doesNotMatch(message, /report\.pdf|application\/pdf/);
  });

  // Issue 7.2: a file from outside the draft's folder is shown by its real path.
  it('an attachment from outside the draft folder is a warning naming its real path', async () => {
    const path = draft('outside.md', '---\nfrom: ann@example.com\nto: bob@example.com\nsubject: s\nattach: ../../home/.ssh/id_rsa\n---\nHello\n');
    const result = await cli(['check', path]);
    assert.equal(result.code, 0, result.err);
    const line = result.err.split('\n').find((l) => l.startsWith(`${path}:5:9: warning: `));
    assert.ok(line, result.err);
    assert.ok(line.includes(join(dir, 'home', '.ssh', 'id_rsa')), line);
  });

  // Issue 7.7: invalid UTF-8 was silently turned into U+FFFD and sent.
  it('invalid UTF-8 is an error at its line and column', async () => {
    const path = draft('latin1.md', Buffer.concat([Buffer.from('---\nfrom: ann@example.com\nto: bob@example.com\nsubject: s\n---\nCaf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]));
    const result = await cli(['check', path]);
    assert.equal(result.code, 2, result.err);
    assert.match(result.err, new RegExp(`^${escapeRegExp(path)}:6:4: error: .*UTF-8`, 'm'));
  });

  // Issue 7.7: U+202E in an address disguises where mail goes.
  it('a bidi control in an address is an error, and is shown escaped', async () => {
    const path = draft('bidi.md', '---\nfrom: ann@example.com\nto: moc.elpmaxe@\u202ebob\nsubject: s\n---\nHello\n');
    const before = server.connections;
    const result = await cli(['send', path]);
    assert.equal(result.code, 2, result.err);
    assert.match(result.err, new RegExp(`^${escapeRegExp(path)}:3:\\d+: error: `, 'm'));
    assert.ok(result.err.includes('\\u202e'), result.err);
    assertNothingRaw(result.err, 'stderr');
    assert.equal(server.connections, before);
  });

  // Issue 7.8: bob@example.com and bob@Example.com were two RCPTs (domains are case-insensitive).
  it('bob@example.com and bob@Example.com get one RCPT', async () => {
    const path = draft('twice.md', '---\nfrom: ann@example.com\nto: bob@example.com\nbcc: bob@Example.com\nsubject: s\n---\nHello\n');
    const delivered = server.messages.length;
    const result = await cli(['send', path, '--trace', 'off']);
    assert.equal(result.code, 0, result.err);
    assert.equal(server.messages.length, delivered + 1);
    assert.deepEqual(server.messages.at(-1)?.to, ['bob@example.com']);
  });

  // Issue 7.9: a 50 MB draft took 35 s and 3 GB to check.
  it('a draft over 10 MiB is refused with a clear message', async () => {
    const path = draft('huge.md', `---\nfrom: ann@example.com\nto: bob@example.com\nsubject: s\n---\n${'lorem ipsum '.repeat(Math.ceil((11 * 1024 * 1024) / 12))}\n`);
    const before = server.connections;
    const result = await cli(['send', path]);
    assert.equal(result.code, 2, result.err.slice(0, 500));
    assert.match(result.err, /10 MiB/);
    assert.equal(server.connections, before);
  });

  // Issue 7.10: `--eml FILE` left a truncated file behind when it failed halfway.
  it('--eml FILE is atomic: a write that fails halfway leaves the old file as it was', async () => {
    writeFileSync(join(drafts, 'big.bin'), Buffer.alloc(1024 * 1024, 0x41));
    const path = draft('big.md', '---\nfrom: ann@example.com\nto: bob@example.com\nsubject: s\nattach: big.bin\n---\nHello\n');
    const out = join(dir, 'atomic');
    mkdirSync(out);
    const target = join(out, 'message.eml');
    writeFileSync(target, 'the previous message\n');
    // RLIMIT_FSIZE of 64 KiB: the write fails with EFBIG part-way through the 1 MiB attachment.
    const limited = await spawnRun('bash', ['-c', 'ulimit -f 64 && exec "$0" "$@"', process.execPath, CLI, 'send', path, '--eml', target], { SEND_AS_EMAIL_CONFIG: config });
    assert.equal(limited.code, 1, limited.err);
    assert.equal(limited.err, `send-as-email: Cannot write ${target}: EFBIG\n`);
    assert.equal(readFileSync(target, 'utf8'), 'the previous message\n');
    assert.deepEqual(readdirSync(out), ['message.eml'], 'a temporary file was left behind');
    // Without the limit the same command replaces the file whole.
    const written = await cli(['send', path, '--eml', target]);
    assert.equal(written.code, 0, written.err);
    assert.match(readFileSync(target, 'latin1'), /^Date: [\s\S]*\r\n--[^\r\n]+--\r\n$/);
    assert.deepEqual(readdirSync(out), ['message.eml']);
  });

  // Issue 7.6: escape sequences from a draft's subject were printed raw to the terminal.
  it('escape sequences from a draft subject are shown escaped on stderr', async () => {
    // An unquoted "Re: " makes YAML refuse the line, and the explanation quotes the subject.
    const path = draft('escape.md', '---\nfrom: ann@example.com\nto: bob@example.com\nsubject: Re: \x1b]0;pwned\x07 flight \x1b[2J booking\n---\nHello\n');
    const result = await cli(['check', path]);
    assert.equal(result.code, 2, result.err);
    assert.match(result.err, /subject/);
    assert.ok(result.err.includes('\\x1b]0;pwned\\x07'), result.err);
    assertNothingRaw(result.err, 'stderr');
  });

  describe('against a scripted server', () => {
    let scripted: ScriptedServer;

    afterEach(async () => scripted.close());

    /** A config whose one profile is the scripted server, plaintext on loopback. */
    function configFor(peer: ScriptedServer): string {
      const path = join(dir, `scripted-${peer.port}.json`);
      writeFileSync(path, JSON.stringify({ profiles: { scripted: { host: '127.0.0.1', port: peer.port, security: 'none', from: 'ann@example.com' } } }));
      return path;
    }

    // Issue 7.7: `check` accepted "a b"@example.com, then the client refused it after connecting.
    it('"a b"@example.com gets one answer from check and send', async () => {
      scripted = await startScriptedServer([
        send('220 mx.example ESMTP\r\n'),
        expect('EHLO'),
        send('250 mx.example\r\n'),
        expect('MAIL FROM:<ann@example.com>'),
        send('250 ok\r\n'),
        // RFC 5321 4.1.2: a local part with a space travels as a Quoted-string.
        expect('RCPT TO:<"a b"@example.com>'),
        send('250 ok\r\n'),
        expect('DATA'),
        send('354 go on\r\n'),
        expectData(),
        send('250 queued\r\n'),
      ]);
      const path = draft('quoted.md', '---\nfrom: ann@example.com\nto: \'"a b"@example.com\'\nsubject: s\n---\nHello\n');
      const checked = await cli(['check', path]);
      const sent = await cli(['send', path, '--trace', 'off'], { SEND_AS_EMAIL_CONFIG: configFor(scripted) });
      // The one answer (core/mime/grammar.ts): accepted at check time, and sent quoted.
      assert.equal(checked.code, 0, checked.err);
      assert.equal(sent.code, 0, sent.err);
      assert.deepEqual(scripted.failures, []);
    });

    // Issue 7.6: a server's reply (the transcript and the error line) can carry escape sequences too.
    it('escape sequences from a server reply are shown escaped on stderr', async () => {
      const evil = '\x1b[2J\x1b]8;;https://evil.example/\x07click here\x1b]8;;\x07 \u202eexe.pdf';
      scripted = await startScriptedServer([
        send(`220 mx.example ESMTP ${evil}\r\n`),
        expect('EHLO'),
        send('250 mx.example\r\n'),
        expect('MAIL FROM:'),
        send(`550 5.7.1 ${evil}\r\n`),
        expect('QUIT'),
        send('221 bye\r\n'),
        close(),
      ]);
      const path = draft('plain.md', '---\nto: bob@example.com\nsubject: s\n---\nHello\n');
      const result = await cli(['send', path], { SEND_AS_EMAIL_CONFIG: configFor(scripted) });
      assert.equal(result.code, 1, result.err);
      assert.match(result.err, /^S: 550 5\.7\.1 \\x1b\[2J\\x1b\]8;;https:\/\/evil\.example\/\\x07click here/m);
      assert.match(result.err, /^send-as-email: .*550 5\.7\.1 \\x1b\[2J/m);
      assert.ok(result.err.includes('\\u202eexe.pdf'), result.err);
      assertNothingRaw(result.err, 'stderr');
      assertNothingRaw(result.out, 'stdout');
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
