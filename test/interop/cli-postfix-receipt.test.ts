/**
 * After the send, end to end through a real MTA (Postfix submission with STARTTLS and SASL via
 * Dovecot), driving the command line in-process: a draft with To, Cc and Bcc reaches every
 * mailbox with no Bcc header; the draft gains its receipt and is otherwise byte for byte what it
 * was; a second send without --resend exits 2 and delivers nothing, with --resend it delivers
 * again under a new Message-ID. Then the received message itself is answered: `reply --all` and
 * `forward` make drafts from it, Bob sends them back through Postfix, and CPython's email
 * package reads the threading headers (RFC 5322 3.6.4) and the attached message/rfc822.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-in-process';
import { startPostfix, useServer } from '../support/servers/index';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, '..', 'support', 'threading_headers.py');
const RECEIPT = /sent: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\nmessage-id: "(<[^"]+>)"\n/;

interface PythonView {
  readonly subject: string;
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly hasBcc: boolean;
  readonly forwarded: ReadonlyArray<{ readonly transferEncoding: string; readonly messageId: string; readonly subject: string }>;
  readonly defects: readonly string[];
}

function readWithPython(path: string): Promise<PythonView> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, path], { timeout: 30_000 }, (error, out, err) => (error === null ? resolve(JSON.parse(out) as PythonView) : reject(new Error(`${error.message}\n${err}`))));
  });
}

function messageIdOf(message: Buffer): string {
  return /^Message-ID: (<[^>]+>)\r$/m.exec(message.toString('latin1'))?.[1] ?? '';
}

describe('after-send: CLI → Postfix + Dovecot (receipt, resend guard, reply, forward)', function () {
  this.timeout(90_000);
  const running = useServer('Postfix', () => startPostfix());
  let dir: string;
  let config: string;

  before(() => {
    const mta = running();
    dir = mkdtempSync(join(tmpdir(), 'sae-after-send-'));
    writeFileSync(join(dir, 'ca.pem'), mta.certificate.certPem);
    config = join(dir, 'config.json');
    const profile = (user: string): Record<string, unknown> => ({
      host: 'localhost', port: mta.submissionPort, security: 'starttls', username: `${user}@example.test`, from: `${user[0]?.toUpperCase()}${user.slice(1)} <${user}@example.test>`, tls: { ca: join(dir, 'ca.pem') },
    });
    writeFileSync(config, JSON.stringify({ defaultProfile: 'alice', profiles: { alice: profile('alice'), bob: profile('bob') } }));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function send(draft: string, user: string, ...extra: string[]): ReturnType<typeof runCli> {
    return runCli(['send', draft, '--config', config, '--profile', user, '--trace', 'off', ...extra], { SEND_AS_EMAIL_PASSWORD: running().user(user).password });
  }

  it('receipt, resend guard, then a reply and a forward of the received message, threaded', async () => {
    const m = running();
    const token = `after-send-${Date.now()}`;
    const draftPath = join(dir, 'plans.md');
    const draft = `---\n# weekly plans\nto: Bob <bob@example.test>\ncc: carol@example.test\nbcc: audit@example.test\nsubject: Plans ${token}\n---\nSee you at 10.\n`;
    writeFileSync(draftPath, draft);

    // 1. Sent once: every recipient has it, no Bcc anywhere, the draft has its receipt.
    const sent = await send(draftPath, 'alice');
    assert.equal(sent.code, 0, sent.err);
    const copies = new Map<string, Buffer>();
    for (const user of ['bob', 'carol', 'audit']) copies.set(user, await m.waitForMessage(user, token, 20_000));
    for (const [user, copy] of copies) {
      assert.doesNotMatch(copy.toString('utf8'), /^bcc:|audit@/im, `${user}'s copy names the Bcc`);
    }
    const original = copies.get('bob') ?? Buffer.alloc(0);
    const firstId = messageIdOf(original);
    const afterFirst = readFileSync(draftPath, 'utf8');
    assert.equal(RECEIPT.exec(afterFirst)?.[1], firstId, 'the receipt names the delivered Message-ID');
    assert.equal(afterFirst.replace(RECEIPT, ''), draft, 'the draft is otherwise byte for byte unchanged');

    // 2. Again without --resend: refused, nothing delivered, the draft untouched.
    const bobBefore = (await m.readDelivered('bob')).length;
    const refused = await send(draftPath, 'alice');
    assert.equal(refused.code, 2);
    assert.match(refused.err, /Sent on .+ to bob@example\.test, carol@example\.test, audit@example\.test — send again\?/);
    assert.equal(readFileSync(draftPath, 'utf8'), afterFirst);

    // 3. With --resend: delivered again under a new Message-ID, the receipt updated. Bob then has
    // exactly one more message: the refused send delivered nothing.
    const resent = await send(draftPath, 'alice', '--resend');
    assert.equal(resent.code, 0, resent.err);
    const secondId = RECEIPT.exec(readFileSync(draftPath, 'utf8'))?.[1] ?? '';
    assert.notEqual(secondId, firstId);
    const bobAfter = await m.waitForDelivery('bob', bobBefore + 1, 20_000);
    assert.equal(bobAfter.length, bobBefore + 1);
    assert.equal(messageIdOf(bobAfter.at(-1) ?? Buffer.alloc(0)), secondId);

    // 4. Bob answers the message as Postfix stored it (trace headers, LF line ends) with Reply All.
    const [stored] = await m.readDelivered('bob', { raw: true });
    assert.ok(stored);
    const received = join(dir, 'received.eml');
    writeFileSync(received, stored);
    const replyPath = join(dir, 'reply.md');
    const made = await runCli(['reply', received, '--all', '--config', config, '--profile', 'bob', '-o', replyPath]);
    assert.equal(made.code, 0, made.err);
    const replied = await send(replyPath, 'bob');
    assert.equal(replied.code, 0, replied.err);
    const reply = await m.waitForMessage('alice', `Re: Plans ${token}`, 20_000);
    const replyFile = join(dir, 'reply-delivered.eml');
    writeFileSync(replyFile, reply);
    const view = await readWithPython(replyFile);
    assert.equal(view.subject, `Re: Plans ${token}`);
    assert.equal(view.inReplyTo, firstId);
    assert.deepEqual(view.references, [firstId]);
    assert.deepEqual(view.to, ['alice@example.test']);
    assert.deepEqual(view.cc, ['carol@example.test'], 'Reply All keeps Cc and leaves Bob himself out');
    assert.equal(view.hasBcc, false);
    assert.deepEqual(view.defects, []);

    // 5. Bob forwards it to Dave: the original travels as message/rfc822, 7bit.
    const forwardPath = join(dir, 'forward.md');
    assert.equal((await runCli(['forward', received, '-o', forwardPath])).code, 0);
    writeFileSync(forwardPath, readFileSync(forwardPath, 'utf8').replace('to: \n', 'to: dave@example.test\n'));
    const forwarded = await send(forwardPath, 'bob');
    assert.equal(forwarded.code, 0, forwarded.err);
    const forward = await m.waitForMessage('dave', `Fwd: Plans ${token}`, 20_000);
    const forwardFile = join(dir, 'forward-delivered.eml');
    writeFileSync(forwardFile, forward);
    const forwardView = await readWithPython(forwardFile);
    assert.deepEqual(forwardView.forwarded, [{ transferEncoding: '7bit', messageId: firstId, subject: `Plans ${token}` }]);
    assert.deepEqual(forwardView.defects, []);
  });
});
