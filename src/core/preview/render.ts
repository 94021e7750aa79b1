/**
 * The Preview's content as the webview receives it: the chrome (headers, what is not transmitted,
 * sizes, profile, attachments, problems) as an HTML fragment in which every value from the draft
 * or the message is escaped, and the message's own HTML as a separate document for a sandboxed
 * frame. Labels go through the caller's translator (the extension passes vscode.l10n.t).
 */
import { formatBytes } from '../byte-size';
import { escapeForDisplay } from '../escape';
import { localized, renderText } from '../text';
import type { LocalizedText, Translate } from '../text';
import type { MessagePreview, PreviewAttachment, PreviewModel, PreviewProblem, PreviewProfile, Receipt } from './view-model';

export interface PreviewContent {
  readonly kind: PreviewModel['kind'];
  readonly subject: string;
  /** Escaped HTML for the chrome above the tabs. */
  readonly chrome: string;
  /** The HTML part as a document for the frame, with its own CSP; undefined for a text-only message. */
  readonly email: string | undefined;
  readonly text: string | undefined;
  readonly raw: string | undefined;
}

/**
 * The frame's own policy, on top of the webview's: nothing may be fetched (no tracking pixels,
 * no remote fonts), no script runs; inline styles and the message's own `data:` images may.
 */
export const EMAIL_FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";

/** HTML-escapes text that came from a draft or a message, and makes controls visible. */
export function escapeHtml(text: string): string {
  return escapeForDisplay(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Puts the CSP first in the head (after any doctype, so the document keeps its mode). */
export function sandboxedDocument(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${EMAIL_FRAME_CSP}">`;
  const head = /<head\b[^>]*>/i.exec(html);
  if (head !== null) return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  if (doctype !== null) return doctype[0] + meta + html.slice(doctype[0].length);
  return meta + html;
}

function say(t: Translate, text: LocalizedText): string {
  return escapeHtml(renderText(text, t));
}

function row(label: string, value: string, className = ''): string {
  return `<tr${className === '' ? '' : ` class="${className}"`}><th scope="row">${label}</th><td>${value}</td></tr>`;
}

function receiptBanner(t: Translate, receipt: Receipt): string {
  if (receipt?.sent === undefined) return '';
  const text = receipt.messageId === undefined ? localized('Sent {0}.', receipt.sent) : localized('Sent {0} as {1}.', receipt.sent, receipt.messageId);
  return `<div class="banner sent" role="status">${say(t, text)}</div>`;
}

function problemItem(t: Translate, problem: PreviewProblem): string {
  const where = problem.line === undefined ? '' : `<span class="where">${problem.line}:${problem.column ?? 1}</span> `;
  return `<li class="${problem.severity}">${where}${say(t, problem.text)}</li>`;
}

function problemList(t: Translate, heading: LocalizedText, problems: readonly PreviewProblem[], className: string): string {
  if (problems.length === 0) return '';
  return `<section class="${className}"><h2>${say(t, heading)}</h2><ul>${problems.map((p) => problemItem(t, p)).join('')}</ul></section>`;
}

function profileText(t: Translate, profile: PreviewProfile): string {
  if (profile.kind === 'none') return say(t, profile.reason);
  const server = `${profile.host}:${profile.port}, ${profile.security}`;
  return say(t, profile.username === undefined ? localized('{0} ({1}), no authentication', profile.name, server) : localized('{0} ({1}) as {2}', profile.name, server, profile.username));
}

function attachmentItem(t: Translate, attachment: PreviewAttachment): string {
  const kind = attachment.inline ? say(t, localized('inline image')) : say(t, localized('attachment'));
  const path = attachment.realPath === undefined ? '' : `<div class="path">${escapeHtml(attachment.realPath)}</div>`;
  const outside = attachment.outside ? ` <span class="warning">${say(t, localized('outside the workspace folder'))}</span>` : '';
  return `<li><span class="name">${escapeHtml(attachment.name)}</span> <span class="meta">${kind} · ${escapeHtml(attachment.type)} · ${formatBytes(attachment.size)}</span>${outside}${path}</li>`;
}

function messageChrome(t: Translate, model: MessagePreview): string {
  const headers = model.headers.map((header) => row(escapeHtml(header.name), escapeHtml(header.value))).join('');
  const hidden = [
    model.bcc.length === 0 ? '' : row('Bcc', escapeHtml(model.bcc.join(', '))),
    row('MAIL FROM', escapeHtml(`<${model.envelope.mailFrom}>`)),
    row('RCPT TO', escapeHtml(model.envelope.rcptTo.map((to) => `<${to}>`).join(', '))),
  ].join('');
  const htmlSize =
    model.html === undefined
      ? ''
      : row(
          say(t, localized('HTML part')),
          formatBytes(model.html.bytes) +
            (model.html.overClipLimit ? ` <span class="warning">${say(t, localized('over 102 KB: Gmail clips the message and shows only its start'))}</span>` : ''),
          model.html.overClipLimit ? 'over-limit' : '',
        );
  const info = [row(say(t, localized('Size')), formatBytes(model.totalBytes)), htmlSize, row(say(t, localized('Profile')), profileText(t, model.profile)), row('Message-ID', escapeHtml(model.messageId))].join('');
  const attachments =
    model.attachments.length === 0
      ? ''
      : `<section class="attachments"><h2>${say(t, localized('Attachments and inline images'))}</h2><ul>${model.attachments.map((a) => attachmentItem(t, a)).join('')}</ul></section>`;
  return [
    receiptBanner(t, model.receipt),
    `<table class="headers">${headers}</table>`,
    `<section class="hidden-fields"><h2>${say(t, localized('Never transmitted in the message'))}</h2><table>${hidden}</table></section>`,
    `<table class="info">${info}</table>`,
    attachments,
    problemList(t, localized('Warnings'), model.warnings, 'warnings'),
  ].join('');
}

export function renderPreview(model: PreviewModel, t: Translate): PreviewContent {
  if (model.kind === 'problems') {
    const chrome = [
      receiptBanner(t, model.receipt),
      problemList(t, localized('The draft cannot be composed yet'), model.problems, 'problems'),
      `<table class="info">${row(say(t, localized('Profile')), profileText(t, model.profile))}</table>`,
    ].join('');
    return { kind: 'problems', subject: '', chrome, email: undefined, text: undefined, raw: undefined };
  }
  return {
    kind: 'message',
    subject: model.subject,
    chrome: messageChrome(t, model),
    email: model.html === undefined ? undefined : sandboxedDocument(model.html.document),
    text: model.text,
    raw: model.rawOmitted === 0 ? model.raw : `${model.raw}\n… ${renderText(localized('{0} more not shown', formatBytes(model.rawOmitted)), t)}`,
  };
}
