/**
 * Every bad-draft case of the drafts issue, through `send-as-email send` against a live
 * smtp-server: each is reported as FILE:LINE:COL with its message, the exit status is 2, and
 * the server never sees a connection (nothing is half-sent). Unreadable attachments are covered
 * in test/unit/draft/attachments.test.ts (root reads everything, so it needs another user).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { openLocalPeer } from '../support/smtp-server-peer';
import type { LocalPeer, PeerServer } from '../support/smtp-server-peer';

interface Case {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly at: string;
  readonly message: RegExp;
}

const CASES: readonly Case[] = [
  { name: 'invalid YAML', file: 'yaml.md', text: '---\nto: bob@example.test\nsubject: [unclosed\n---\nbody\n', at: '4:1', message: /invalid YAML/ },
  { name: 'an invalid address, saying which and why', file: 'addr.md', text: '---\nto: bob@example.test, "Bob" <bob@@example.test>\nsubject: s\n---\nbody\n', at: '2:23', message: /bob@@example\.test.*more than one @/ },
  { name: 'no recipients', file: 'none.md', text: '---\nsubject: s\n---\nbody\n', at: '1:1', message: /no recipients/ },
  { name: 'a missing attachment', file: 'missing.md', text: '---\nto: bob@example.test\nsubject: s\nattach:\n  - ./ok.txt\n  - ./nope.pdf\n---\nbody\n', at: '6:5', message: /attachment not found: \.\/nope\.pdf/ },
  { name: 'a directory as attachment', file: 'dir.md', text: '---\nto: bob@example.test\nsubject: s\nattach: adir\n---\nbody\n', at: '4:9', message: /attachment is a folder/ },
  { name: 'an owned header (Bcc)', file: 'bcc.md', text: '---\nto: bob@example.test\nsubject: s\nheaders:\n  X-Ok: fine\n  Bcc: spy@example.test\n---\nbody\n', at: '6:3', message: /Bcc cannot be set here/ },
  { name: 'an owned header (MIME-Version)', file: 'mime.md', text: '---\nto: bob@example.test\nsubject: s\nheaders:\n  MIME-Version: "2.0"\n---\nbody\n', at: '5:3', message: /MIME-Version cannot be set here/ },
  { name: 'an owned header (Content-*)', file: 'ctype.md', text: '---\nto: bob@example.test\nsubject: s\nheaders:\n  Content-Type: text/html\n---\nbody\n', at: '5:3', message: /Content-Type cannot be set here/ },
  { name: 'CR/LF smuggled into the subject', file: 'crlf.md', text: '---\nto: bob@example.test\nsubject: "hi\\r\\nBcc: spy@example.test"\n---\nbody\n', at: '3:13', message: /subject contains a line break/ },
  { name: 'a line break through a YAML block scalar', file: 'block.md', text: '---\nto: bob@example.test\nsubject: |\n  line one\n  line two\n---\nbody\n', at: '3:10', message: /block scalar/ },
  { name: 'LF in a display name', file: 'name.md', text: '---\nto: "\\"Bob\\nBcc: x@y\\" <bob@example.test>"\nsubject: s\n---\nbody\n', at: '2:', message: /line break|not a valid address/ },
  { name: 'NUL in an extra header', file: 'nul.md', text: '---\nto: bob@example.test\nsubject: s\nheaders:\n  X-Tag: "a\\0b"\n---\nbody\n', at: '5:12', message: /NUL/ },
  { name: 'a missing local image', file: 'img.md', text: '---\nto: bob@example.test\nsubject: s\n---\nHello\n\nSee ![chart](missing.png) here.\n', at: '7:5', message: /Image not found: missing\.png/ },
];

describe('bad drafts stop the send: position, message, and nothing reaches the server', () => {
  let peer: LocalPeer;
  let dir: string;
  let server: PeerServer;
  let config: string;

  before(async () => {
    peer = await openLocalPeer('sae-bad-', 'ann@example.test');
    ({ dir, server, config } = peer);
    mkdirSync(join(dir, 'adir'));
    writeFileSync(join(dir, 'ok.txt'), 'x');
  });

  after(() => peer.close());

  it('the live server does accept a good draft (so the cases below are meaningful)', async () => {
    const path = join(dir, 'good.md');
    writeFileSync(path, '---\nto: bob@example.test\nsubject: s\nattach: ok.txt\n---\nbody\n');
    const code = await main(['send', path, '--config', config, '--trace', 'off'], { out: () => undefined, err: () => undefined });
    assert.equal(code, 0);
    assert.equal(server.connections, 1);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const path = join(dir, c.file);
      writeFileSync(path, c.text);
      const err: string[] = [];
      const before = server.connections;
      const code = await main(['send', path, '--config', config], { out: () => undefined, err: (t) => err.push(t) });
      assert.equal(code, 2);
      const line = err.find((l) => l.startsWith(`${path}:${c.at}`) && l.includes(': error: '));
      assert.ok(line, `no error at ${c.at}:\n${err.join('\n')}`);
      assert.match(line, c.message);
      assert.equal(server.connections, before, 'the server saw a connection');
    });
  }
});
