/**
 * Hover in a draft's front matter. On an address: the header line exactly as the composer will
 * write it (core/mime, folded and encoded). On an attachment: the file it really is — real path,
 * type and size, by the one local-file rule. On `profile:`: the server, security and login. On
 * any other key: its one-line description.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { ValueContext } from '../../core/authoring/cursor-context';
import { ADDRESS_KEYS, KEY_DESCRIPTIONS } from '../../core/authoring/key-descriptions';
import { formatBytes } from '../../core/byte-size';
import { parseAddressList } from '../../core/draft/address-list';
import type { KnownKey } from '../../core/draft/front-matter-keys';
import { KNOWN_KEYS } from '../../core/draft/front-matter-keys';
import { isAppError } from '../../core/errors';
import { escapeForDisplay } from '../../core/escape';
import { resolveLocalFile } from '../../core/files/local-file';
import { mailboxSegments } from '../../core/mime/addresses';
import { foldHeader } from '../../core/mime/headers';
import { mediaTypeFor } from '../../core/mime/parts';
import type { SmtpProfile } from '../../core/profiles';
import { baseDirFor, rootFor } from '../draft-reader';
import { translate } from '../l10n';
import type { Settings } from '../settings';
import { draftContextAt, rangeOf } from './draft-context';

const HEADER_NAMES: Readonly<Record<string, string>> = { to: 'To', cc: 'Cc', bcc: 'Bcc', from: 'From', 'reply-to': 'Reply-To' };

function isKnownKey(key: string): key is KnownKey {
  return (KNOWN_KEYS as readonly string[]).includes(key);
}

function codeBlock(text: string): vscode.MarkdownString {
  return new vscode.MarkdownString().appendCodeblock(text, 'text');
}

export function profileSummary(profile: SmtpProfile): string {
  const login = profile.username === undefined || profile.auth === 'none' ? vscode.l10n.t('no login') : profile.username;
  return vscode.l10n.t('Profile "{0}": server {1}:{2}, security {3}, login {4}', escapeForDisplay(profile.name), escapeForDisplay(profile.host), profile.port, profile.security, escapeForDisplay(login));
}

function addressHover(context: ValueContext, offset: number): vscode.MarkdownString | undefined {
  const parsed = parseAddressList(context.value, context.key);
  const at = offset - context.valueStart;
  const error = parsed.errors.find((e) => at >= e.offset && at <= e.offset + e.length);
  if (error !== undefined) return new vscode.MarkdownString().appendText(escapeForDisplay(translate(error.text)));
  const located = parsed.located.find((entry) => at >= entry.offset && at <= entry.offset + entry.length);
  if (located === undefined) return undefined;
  const header = HEADER_NAMES[context.key] ?? 'To';
  try {
    const formatted = mailboxSegments(located.address);
    if (context.key === 'bcc') {
      return new vscode.MarkdownString().appendText(vscode.l10n.t('Bcc: no header names this recipient; the message goes to {0} in the SMTP envelope only.', formatted.segments.at(-1)?.trim() ?? ''));
    }
    const line = foldHeader(header, formatted.segments).replace(/\r\n$/, '');
    const hover = new vscode.MarkdownString().appendText(vscode.l10n.t('Written in the message as:')).appendCodeblock(line, 'text');
    if (formatted.smtpUtf8) hover.appendText(vscode.l10n.t('The address is not ASCII: the server must support SMTPUTF8.'));
    return hover;
  } catch (thrown) {
    return isAppError(thrown) ? new vscode.MarkdownString().appendText(escapeForDisplay(translate(thrown.text))) : undefined;
  }
}

async function attachmentHover(document: vscode.TextDocument, context: ValueContext): Promise<vscode.MarkdownString | undefined> {
  const written = context.item.replace(/^(["'])(.*)\1$/, '$2');
  if (written === '') return undefined;
  const baseDir = baseDirFor(document.uri);
  const result = await resolveLocalFile(written, { baseDir, homeDir: homedir(), root: rootFor(document.uri, baseDir) });
  if (!result.ok) {
    const reasons: Record<typeof result.reason, string> = {
      missing: vscode.l10n.t('No such file: {0}', result.path),
      directory: vscode.l10n.t('A folder, not a file: {0}', result.path),
      special: vscode.l10n.t('Not a regular file: {0}', result.path),
      unreadable: vscode.l10n.t('Cannot read {0}', result.path),
      disguised: vscode.l10n.t('The name holds an invisible formatting character: {0}', result.path),
    };
    return new vscode.MarkdownString().appendText(escapeForDisplay(reasons[result.reason]));
  }
  const { file } = result;
  const lines = [
    vscode.l10n.t('File: {0}', escapeForDisplay(file.realPath)),
    vscode.l10n.t('Sent as: {0} ({1}, {2})', escapeForDisplay(file.filename), await mediaTypeFor(file.filename), formatBytes(file.size)),
  ];
  if (file.outside) lines.push(vscode.l10n.t('Outside the workspace folder.'));
  return codeBlock(lines.join('\n'));
}

export class FrontMatterHover implements vscode.HoverProvider {
  constructor(private readonly settings: Settings) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const context = draftContextAt(document, position);
    if (context === undefined) return undefined;
    const offset = document.offsetAt(position);
    if (context.kind === 'key') {
      if (!isKnownKey(context.key)) return undefined;
      const hover = new vscode.MarkdownString().appendText(translate(KEY_DESCRIPTIONS[context.key]));
      if (context.key === 'profile') {
        const name = /:\s*(.*?)\s*$/.exec(document.lineAt(position.line).text)?.[1] ?? '';
        if (name !== '') hover.appendMarkdown('\n\n').appendText(this.profileText(name));
      }
      return new vscode.Hover(hover, rangeOf(document, context.start, context.end));
    }
    const range = rangeOf(document, context.itemStart, context.itemEnd);
    if ((ADDRESS_KEYS as readonly string[]).includes(context.key)) {
      const hover = addressHover(context, offset);
      return hover === undefined ? undefined : new vscode.Hover(hover, range);
    }
    if (context.key === 'attach') {
      const hover = await attachmentHover(document, context);
      return hover === undefined ? undefined : new vscode.Hover(hover, range);
    }
    if (context.key === 'profile') return new vscode.Hover(new vscode.MarkdownString().appendText(this.profileText(context.item)), range);
    return undefined;
  }

  private profileText(written: string): string {
    const name = written.replace(/^(["'])(.*)\1$/, '$2');
    const profile = this.settings.current.profiles.get(name);
    return profile === undefined ? vscode.l10n.t('No usable profile named "{0}".', escapeForDisplay(name)) : profileSummary(profile);
  }
}
