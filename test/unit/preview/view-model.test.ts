/**
 * The Preview's view model is read back from the composed bytes, not rendered again: headers as
 * the recipient sees them, Bcc and the envelope shown apart as never transmitted, `cid:` images
 * made `data:` URIs from the message's own parts, the 102 KB HTML warning, and problems in place
 * of a message.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import type { CheckedDraft } from '../../../src/core/compose-draft';
import { checkDraft, composeDraft } from '../../../src/core/compose-draft';
import { identityWith } from '../../../src/core/identity';
import { EMAIL_FRAME_CSP, escapeHtml, renderPreview, sandboxedDocument } from '../../../src/core/preview/render';
import { HTML_CLIP_BYTES, buildMessagePreview, inlineCidImages, previewProblem, problemsPreview } from '../../../src/core/preview/view-model';
import type { MessagePreview, PreviewProfile } from '../../../src/core/preview/view-model';
import { formatTemplate, localized } from '../../../src/core/text';
import { collect } from '../../support/mime-parsers';

const FILES = join(resolve(__dirname, '../../..'), 'test/fixtures/mime/files');
const PROFILE: PreviewProfile = { kind: 'profile', name: 'work', host: 'smtp.example.test', port: 587, security: 'starttls', username: 'ann@example.test' };

const DRAFT = [
  '---',
  'from: Ann Lee <ann@example.test>',
  'to: Bob <bob@example.test>',
  'cc: carol@example.test',
  'bcc: Audit <audit@example.test>',
  'reply-to: team@example.test',
  'subject: Quarterly chart — ünïcode',
  'attach: report.pdf',
  '---',
  '# Numbers',
  '',
  '![chart](chart.png)',
  '',
].join('\n');

async function check(text: string): Promise<CheckedDraft> {
  const result = await checkDraft({ text, format: 'markdown', baseDir: FILES });
  assert.deepEqual(result.problems.filter((p) => p.severity === 'error'), []);
  assert.ok(result.checked);
  return result.checked;
}

async function preview(text: string): Promise<{ model: MessagePreview; bytes: Buffer }> {
  const checked = await check(text);
  const identity = identityWith({ messageId: '<preview-unit@example.test>', date: new Date('2025-03-04T05:06:07Z') }, 'ann@example.test');
  const message = await composeDraft(checked, identity);
  const bytes = await collect(message.stream());
  const model = await buildMessagePreview({ bytes, message, checked, contentId: (i) => identity.contentId(i), profile: PROFILE });
  return { model, bytes };
}

describe('preview: view model from the composed bytes', () => {
  it('shows the headers as transmitted, decoded, and keeps Bcc and the envelope apart', async () => {
    const { model, bytes } = await preview(DRAFT);
    const headers = Object.fromEntries(model.headers.map((h) => [h.name, h.value]));
    assert.equal(headers['From'], 'Ann Lee <ann@example.test>');
    assert.equal(headers['To'], 'Bob <bob@example.test>');
    assert.equal(headers['Cc'], 'carol@example.test');
    assert.equal(headers['Reply-To'], 'team@example.test');
    assert.equal(headers['Subject'], 'Quarterly chart — ünïcode');
    assert.match(headers['Date'] ?? '', /^\w{3}, 0[34] Mar 2025 \d\d:\d\d:07 [+-]\d{4}$/);
    assert.equal(headers['Bcc'], undefined, 'Bcc is shown among the transmitted headers');
    assert.deepEqual(model.bcc, ['Audit <audit@example.test>']);
    assert.equal(model.envelope.mailFrom, 'ann@example.test');
    assert.deepEqual([...model.envelope.rcptTo].sort(), ['audit@example.test', 'bob@example.test', 'carol@example.test']);
    assert.doesNotMatch(bytes.toString('utf8'), /audit@example\.test/);
    assert.equal(model.totalBytes, bytes.length);
    assert.equal(model.raw, bytes.toString('utf8'));
    assert.equal(model.messageId, '<preview-unit@example.test>');
  });

  it('lists the attachment and the inline image with type, size and real path', async () => {
    const { model } = await preview(DRAFT);
    const pdf = model.attachments.find((a) => a.name === 'report.pdf');
    const png = model.attachments.find((a) => a.inline);
    assert.ok(pdf && png, JSON.stringify(model.attachments));
    assert.equal(pdf.type, 'application/pdf');
    assert.equal(pdf.realPath, join(FILES, 'report.pdf'));
    assert.equal(pdf.inline, false);
    assert.equal(png.type, 'image/png');
    assert.equal(png.realPath, join(FILES, 'chart.png'));
    assert.ok(png.size > 0);
  });

  it('shows inline images from the message itself: cid: becomes a data: URI of that part', async () => {
    const { model } = await preview(DRAFT);
    assert.ok(model.html);
    assert.doesNotMatch(model.html.document, /cid:/);
    assert.match(model.html.document, /src="data:image\/png;base64,iVBORw0KGgo/);
    assert.equal(model.html.overClipLimit, false);
    // An unknown cid stays (it is broken for the recipient too); a percent-encoded one is decoded.
    const part = { filename: 'a.png', mimeType: 'image/png', contentId: 'a b@x', inline: true, content: new Uint8Array([1, 2]) };
    assert.equal(inlineCidImages('<img src="cid:a%20b@x"><img src="cid:other@x">', [part]), '<img src="data:image/png;base64,AQI="><img src="cid:other@x">');
  });

  it('warns when the HTML part is over 102 KB (Gmail clips it)', async () => {
    const long = `${DRAFT}\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n\n'.repeat(2200)}`;
    const { model } = await preview(long);
    assert.ok(model.html);
    assert.ok(model.html.bytes > HTML_CLIP_BYTES, `HTML is only ${model.html.bytes} bytes`);
    assert.equal(model.html.overClipLimit, true);
    assert.match(renderPreview(model, formatTemplate).chrome, /over 102 KB: Gmail clips/);
    const { model: small } = await preview(DRAFT);
    assert.doesNotMatch(renderPreview(small, formatTemplate).chrome, /over 102 KB/);
  });

  it('renders the chrome escaped, marks what is never transmitted, and names the profile', async () => {
    const { model } = await preview(DRAFT.replace('subject: Quarterly chart — ünïcode', 'subject: <img src=x onerror=alert(1)>'));
    const content = renderPreview(model, formatTemplate);
    assert.doesNotMatch(content.chrome, /<img/);
    assert.match(content.chrome, /&#60;img src=x onerror=alert\(1\)&#62;/);
    assert.match(content.chrome, /Never transmitted in the message/);
    assert.match(content.chrome, /<th scope="row">Bcc<\/th><td>Audit &#60;audit@example.test&#62;<\/td>/);
    assert.match(content.chrome, /MAIL FROM/);
    assert.match(content.chrome, /work \(smtp\.example\.test:587, starttls\) as ann@example\.test/);
    assert.ok(content.email?.includes(EMAIL_FRAME_CSP));
    assert.equal(content.subject, '<img src=x onerror=alert(1)>');
  });

  it('shows a sent draft as sent', async () => {
    const { model } = await preview(DRAFT.replace('attach: report.pdf', 'attach: report.pdf\nsent: 2025-03-04 05:07\nmessage-id: <old@example.test>'));
    assert.match(renderPreview(model, formatTemplate).chrome, /class="banner sent".*Sent 2025-03-04 05:07 as &#60;old@example.test&#62;/);
  });

  it('shows draft problems with line and column instead of a message', async () => {
    const result = await checkDraft({ text: '---\nto: not an address\nsubject: x\n---\nbody\n', format: 'markdown', baseDir: FILES });
    assert.equal(result.checked, undefined);
    const model = problemsPreview(result.problems.map(previewProblem), { kind: 'none', reason: localized('No SMTP profile is set up.') }, undefined);
    const content = renderPreview(model, formatTemplate);
    assert.equal(content.kind, 'problems');
    assert.equal(content.email, undefined);
    assert.match(content.chrome, /<span class="where">2:\d+<\/span>/);
    assert.match(content.chrome, /The draft cannot be composed yet/);
    assert.match(content.chrome, /No SMTP profile is set up\./);
  });

  it('shows a plaintext draft as its text part, with no HTML frame', async () => {
    const text = '---\nfrom: ann@example.test\nto: bob@example.test\nsubject: Plain\n---\nJust text, 你好.\n';
    const result = await checkDraft({ text, format: 'plaintext', baseDir: FILES });
    assert.ok(result.checked);
    const identity = identityWith({}, 'ann@example.test');
    const message = await composeDraft(result.checked, identity);
    const bytes = await collect(message.stream());
    const model = await buildMessagePreview({ bytes, message, checked: result.checked, contentId: (i) => identity.contentId(i), profile: PROFILE });
    assert.equal(model.html, undefined);
    assert.equal(model.text?.trim(), 'Just text, 你好.');
    const content = renderPreview(model, formatTemplate);
    assert.equal(content.email, undefined);
    assert.equal(content.text?.trim(), 'Just text, 你好.');
    assert.deepEqual(model.attachments, []);
  });

  it('puts the frame policy first in the head, after a doctype', () => {
    assert.equal(sandboxedDocument('<!DOCTYPE html><html><head><title>x</title></head></html>'), `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${EMAIL_FRAME_CSP}"><title>x</title></head></html>`);
    assert.equal(sandboxedDocument('<!doctype html><p>x'), `<!doctype html><meta http-equiv="Content-Security-Policy" content="${EMAIL_FRAME_CSP}"><p>x`);
    assert.equal(escapeHtml('a\u202eb"&'), 'a\\u202eb&#34;&#38;');
  });
});
