/**
 * `send-as-email reply` and `forward` on the command line: the draft from a received .eml, to
 * stdout or to a file that is never overwritten without --force, and a forward whose message
 * then attaches the original as message/rfc822. Bug guarded against: `-o` silently replacing a
 * draft the user had been writing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli-in-process';

const ORIGINAL = [
  'From: Carol <carol@example.test>',
  'To: Ann <ann@example.test>, bob@example.test',
  'Cc: dave@example.test',
  'Subject: Re: Plans',
  'Date: Tue, 01 Dec 2026 09:00:00 +0800',
  'Message-ID: <plans.2@example.test>',
  'References: <plans.1@example.test>',
  '',
  'See you at 10.',
  '',
].join('\r\n');

describe('send-as-email reply and forward', () => {
  let dir: string;
  let eml: string;
  let config: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sae-reply-'));
    eml = join(dir, 'plans.eml');
    writeFileSync(eml, ORIGINAL);
    config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ profiles: { me: { host: 'localhost', port: 25, security: 'starttls', username: 'ann@example.test', from: 'Ann <ann@example.test>' } } }));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a reply draft to stdout; --all adds To and Cc minus the profile\'s own address', async () => {
    const plain = await runCli(['reply', eml, '--config', config]);
    assert.equal(plain.code, 0, plain.err);
    assert.match(plain.out, /^---\nto: "Carol <carol@example\.test>"\nsubject: "Re: Plans"\nin-reply-to: "<plans\.2@example\.test>"\nreferences: "<plans\.1@example\.test> <plans\.2@example\.test>"\n---\n\nOn Tue, 01 Dec 2026 09:00:00 \+0800, Carol <carol@example\.test> wrote:\n> See you at 10\.$/);
    const all = await runCli(['reply', eml, '--all', '--config', config, '--profile', 'me']);
    assert.equal(all.code, 0, all.err);
    assert.match(all.out, /^to:\n {2}- "Carol <carol@example\.test>"\n {2}- "bob@example\.test"\ncc: "dave@example\.test"\n/m);
    assert.match(all.out, /^profile: "me"$/m);
    assert.doesNotMatch(all.out, /ann@example\.test/);
  });

  it('-o refuses an existing file unless --force, and the written reply checks clean', async () => {
    const target = join(dir, 'reply.md');
    writeFileSync(target, 'my own draft\n');
    const refused = await runCli(['reply', eml, '-o', target, '--config', config]);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /already exists; add --force/);
    assert.equal(readFileSync(target, 'utf8'), 'my own draft\n');
    const forced = await runCli(['reply', eml, '-o', target, '--force', '--config', config]);
    assert.equal(forced.code, 0, forced.err);
    assert.match(readFileSync(target, 'utf8'), /^---\nto: "Carol <carol@example\.test>"\n/);
    const checked = await runCli(['check', target]);
    assert.equal(checked.code, 0, checked.err);
  });

  it('forward -o attaches the original by a relative path; its message carries it as message/rfc822', async () => {
    const target = join(dir, 'forward.md');
    const made = await runCli(['forward', eml, '-o', target]);
    assert.equal(made.code, 0, made.err);
    const text = readFileSync(target, 'utf8');
    assert.match(text, /^---\nto: \nsubject: "Fwd: Re: Plans"\nattach: "\.\/plans\.eml"\n---\n/);
    writeFileSync(target, text.replace('to: ', 'to: erin@example.test\nfrom: ann@example.test'));
    const out = join(dir, 'forward.eml');
    const written = await runCli(['send', target, '--eml', out]);
    assert.equal(written.code, 0, written.err);
    const message = readFileSync(out, 'latin1');
    assert.match(message, /Content-Type: message\/rfc822\r\nContent-Transfer-Encoding: 7bit\r\nContent-Disposition: attachment; filename="plans\.eml"\r\n\r\nFrom: Carol <carol@example\.test>\r\n/);
  });

  it('exits 2 for a missing message or wrong usage', async () => {
    assert.equal((await runCli(['reply', join(dir, 'nope.eml')])).code, 2);
    assert.equal((await runCli(['reply'])).code, 2);
    assert.equal((await runCli(['forward', eml, '--all'])).code, 2);
  });
});
