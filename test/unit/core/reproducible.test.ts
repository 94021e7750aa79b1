/**
 * One MessageIdentity per message: random, from SOURCE_DATE_EPOCH, or from the caller's fixed
 * values; and composeDraft takes every unique value from it. Regression: two SOURCE_DATE_EPOCH
 * runs of `--eml` on a draft with images differed at the Content-ID (`cid:image1.<random>`),
 * made by the Markdown renderer; the "same bytes" tests used drafts without images.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CheckedDraft } from '../../../src/core/compose-draft';
import { checkDraft, composeDraft, resolveSender } from '../../../src/core/compose-draft';
import { ConfigError } from '../../../src/core/errors';
import { identityWith, randomIdentity, reproducibleIdentity, sourceDateEpoch } from '../../../src/core/identity';
import type { MessageIdentity } from '../../../src/core/identity';
import { collect } from '../../support/mime-parsers';

const ROOT = resolve(__dirname, '../../..');
const WELCOME = join(ROOT, 'examples/demo/welcome.md');
const FIXTURE_FILES = join(ROOT, 'test/fixtures/mime/files');
const EPOCH = '1764424320';

/** A Markdown draft with two images (one used twice) and an attachment, in the fixture folder. */
const WITH_IMAGES = [
  '---',
  'from: Ann <ann@example.test>',
  'to: bob@example.test',
  'subject: Charts',
  'attach: report.pdf',
  '---',
  '![chart](chart.png) and again ![same](./chart.png)',
  '',
  '[![linked](chart.png)](https://example.com/)',
  '',
].join('\n');

async function check(text: string, baseDir: string): Promise<CheckedDraft> {
  const result = await checkDraft({ text, format: 'markdown', baseDir });
  assert.deepEqual(result.problems.filter((problem) => problem.severity === 'error'), []);
  assert.ok(result.checked !== undefined);
  return result.checked;
}

/** What `SOURCE_DATE_EPOCH=… send-as-email send --eml` does, start to finish, once. */
async function emlRun(text: string, baseDir: string): Promise<Buffer> {
  const checked = await check(text, baseDir);
  const epoch = sourceDateEpoch(EPOCH);
  assert.ok(epoch !== undefined);
  const identity = reproducibleIdentity(text, epoch, resolveSender(checked.draft, undefined).address);
  return collect((await composeDraft(checked, identity)).stream());
}

describe('MessageIdentity', () => {
  it('parses SOURCE_DATE_EPOCH as whole seconds and refuses anything else as a config error', () => {
    assert.equal(sourceDateEpoch(undefined), undefined);
    assert.equal(sourceDateEpoch('')?.getTime(), undefined);
    assert.equal(sourceDateEpoch('1764424320')?.toISOString(), '2025-11-29T13:52:00.000Z');
    assert.throws(() => sourceDateEpoch('yesterday'), (error: unknown) => error instanceof ConfigError && /whole seconds/.test(error.message));
    assert.throws(() => sourceDateEpoch('-5'), /whole seconds/);
  });

  it('derives the same identity from the same draft and instant, another from another draft', () => {
    const date = new Date(1764424320000);
    const a = reproducibleIdentity('draft one', date, 'ann@example.test');
    const b = reproducibleIdentity('draft one', date, 'ann@example.test');
    const c = reproducibleIdentity('draft two', date, 'ann@example.test');
    assert.equal(a.messageId, b.messageId);
    assert.match(a.messageId, /^<[0-9a-f]{32}@example\.test>$/);
    assert.notEqual(a.messageId, c.messageId);
    assert.equal(a.boundary(0), b.boundary(0));
    assert.notEqual(a.boundary(0), a.boundary(1));
    assert.match(a.boundary(0), /^=_sae_[0-9a-f]{30}$/);
    assert.equal(a.contentId(1), b.contentId(1));
    assert.notEqual(a.contentId(1), a.contentId(2));
    assert.notEqual(a.contentId(1), c.contentId(1));
    assert.match(a.contentId(1), /^image1\.[0-9a-f]{16}@example\.test$/);
  });

  it('writes a non-ASCII sender domain as its A-label in the Message-ID', () => {
    assert.match(reproducibleIdentity('x', new Date(0), 'ann@münchen.example').messageId, /@xn--mnchen-3ya\.example>$/);
    assert.match(randomIdentity('ann@[192.0.2.1]').messageId, /@send-as-email\.invalid>$/);
  });

  it('gives a random identity fresh ids each time, stable within one identity', () => {
    const a = randomIdentity('ann@example.test');
    const b = randomIdentity('ann@example.test');
    assert.notEqual(a.messageId, b.messageId);
    assert.notEqual(a.boundary(0), b.boundary(0));
    assert.notEqual(a.contentId(1), b.contentId(1));
    assert.equal(a.boundary(0), a.boundary(0), 'the same depth asks once');
    assert.equal(a.contentId(1), a.contentId(1));
  });

  it('takes the caller\'s fixed values (the extension\'s compose argument), Content-IDs following the Message-ID', () => {
    const date = new Date('2026-01-02T03:04:05Z');
    let calls = 0;
    const fixed = { messageId: '<fixed.1@example.test>', date, boundary: (depth: number) => `=_sae_fixed-${depth}-${calls++}` };
    const a = identityWith(fixed, 'ann@example.test');
    const b = identityWith(fixed, 'ann@example.test');
    assert.equal(a.messageId, '<fixed.1@example.test>');
    assert.equal(a.date, date);
    assert.equal(a.boundary(0), a.boundary(0), 'asked once per depth, so a counter in the caller does not change it');
    assert.equal(a.contentId(1), b.contentId(1));
    assert.match(a.contentId(1), /@example\.test$/);
  });

  it('takes the Date zone from the local time zone (TZ), fixed by SOURCE_DATE_EPOCH plus TZ', () => {
    const script = [
      "const { reproducibleIdentity } = require('./src/core/identity');",
      "const { formatDate } = require('./src/core/mime/date');",
      'const id = reproducibleIdentity("x", new Date(1764424320000), "a@example.test");',
      'process.stdout.write(formatDate(id.date, id.zoneOffset));',
    ].join('\n');
    const run = (tz: string): string =>
      execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, env: { ...process.env, TZ: tz }, encoding: 'utf8' });
    assert.equal(run('Asia/Shanghai'), 'Sat, 29 Nov 2025 21:52:00 +0800');
    assert.equal(run('America/St_Johns'), 'Sat, 29 Nov 2025 10:22:00 -0330');
    assert.equal(run('UTC'), 'Sat, 29 Nov 2025 13:52:00 +0000');
  });
});

describe('composeDraft with one identity', () => {
  it('gives byte-identical messages for two SOURCE_DATE_EPOCH runs of examples/demo/welcome.md (it has an image)', async () => {
    const text = await readFile(WELCOME, 'utf8');
    const first = await emlRun(text, dirname(WELCOME));
    const second = await emlRun(text, dirname(WELCOME));
    assert.match(first.toString('utf8'), /Content-ID: <image1\.[0-9a-f]{16}@example\.test>/);
    assert.ok(first.equals(second), 'two runs differ');
  });

  it('gives byte-identical messages for two SOURCE_DATE_EPOCH runs of a draft with images, a linked image and an attachment', async () => {
    const first = await emlRun(WITH_IMAGES, FIXTURE_FILES);
    const second = await emlRun(WITH_IMAGES, FIXTURE_FILES);
    assert.ok(first.equals(second), 'two runs differ');
    const text = first.toString('utf8');
    assert.equal(text.match(/Content-ID: /g)?.length, 1, 'the one image file travels once');
  });

  it('refers to each image part by the Content-ID the identity made, in the HTML and the part alike', async () => {
    const checked = await check(WITH_IMAGES, FIXTURE_FILES);
    const identity: MessageIdentity = {
      date: new Date(0),
      zoneOffset: 0,
      messageId: '<id.1@example.test>',
      boundary: (depth) => `=_sae_b${depth}`,
      contentId: (index) => `pic${index}@identity.example`,
    };
    const text = (await collect((await composeDraft(checked, identity)).stream())).toString('utf8');
    assert.match(text, /Content-ID: <pic1@identity\.example>\r\n/);
    assert.match(text.replace(/=\r\n/g, '').replace(/=3D/g, '='), /<img src="cid:pic1@identity\.example"/);
    assert.doesNotMatch(text, /send-as-email\.invalid|image1\./);
  });

  it('composes the same checked draft twice to the same bytes (Save as .eml, then Send)', async () => {
    const checked = await check(WITH_IMAGES, FIXTURE_FILES);
    const identity = randomIdentity('ann@example.test');
    const a = await collect((await composeDraft(checked, identity)).stream());
    const b = await collect((await composeDraft(checked, identity)).stream());
    assert.ok(a.equals(b));
  });
});
