/**
 * Turns a failure into what happened and what to do about it, for the CLI's one-line errors and
 * the extension's notifications alike. Switches over every SmtpError kind (the compiler checks).
 */
import { presetForHost } from './profiles';
import type { SmtpProfile } from './profiles';
import { isSmtpError } from './smtp/errors';
import type { AnySmtpError } from './smtp/errors';
import type { SmtpReply } from './smtp/types';
import { SetupError } from './errors';

export interface Explanation {
  /** One sentence: what happened, naming the stage and the server's reply. */
  readonly summary: string;
  /** What to do about it; may be empty. */
  readonly advice: string;
  /** `delivery` failures exit 1 in the CLI; `input` (draft, config, usage) exit 2. */
  readonly category: 'delivery' | 'input';
}

/**
 * Formats a message template with `{0}`-style placeholders. The extension passes
 * `vscode.l10n.t` instead, so the same templates are translated (l10n/bundle.l10n.*.json).
 */
export type Translate = (template: string, ...args: Array<string | number>) => string;

export const formatTemplate: Translate = (template, ...args) =>
  template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });

export function replyText(reply: SmtpReply): string {
  return `${reply.code}${reply.enhancedCode === undefined ? '' : ` ${reply.enhancedCode}`} ${reply.lines.join(' ')}`.trim();
}

function smtpAdvice(error: AnySmtpError, profile: SmtpProfile | undefined, t: Translate): string {
  const where = profile === undefined ? t('the server') : `${profile.host}:${profile.port}`;
  switch (error.kind) {
    case 'tls':
      if (/wrong version number|WRONG_VERSION_NUMBER|packet length too long|unknown protocol/i.test(`${error.code} ${error.message}`)) {
        return t('{0} does not speak TLS from the first byte. Port 587 (and 25) expect "security": "starttls"; use "tls" only for port 465.', where);
      }
      if (/CERT_HAS_EXPIRED/.test(error.code)) return t('The server certificate has expired. Tell the server administrator; do not turn verification off for a real server.');
      if (/ALTNAME|HOSTNAME/i.test(error.code)) return t('The certificate is not for "{0}". Use the host name the certificate names (often the provider\'s documented SMTP host).', profile?.host ?? '?');
      if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF/i.test(error.code)) {
        return t('The certificate is not signed by a trusted authority. Add the server CA with "tls": { "ca": "/path/ca.pem" }, or for a test server set "tls": { "allowSelfSigned": true }.');
      }
      return t('The secure connection could not be established; check the security mode and port.');
    case 'timeout':
      if (error.stage === 'greeting' && profile?.security === 'starttls' && profile.port === 465) {
        return t('Port 465 expects TLS from the first byte: set "security": "tls" for this profile.');
      }
      return t('{0} stopped answering during {1}. Check the host, port and firewall, then try again.', where, error.stage);
    case 'connection':
      return error.code === 'ECONNREFUSED'
        ? t('Nothing is listening on {0}. Check the host and port.', where)
        : error.code === 'ENOTFOUND'
          ? t('The host name "{0}" could not be resolved.', profile?.host ?? '')
          : t('The server closed the connection. Try again; if it repeats, check the security mode and port.');
    case 'auth': {
      const preset = profile === undefined ? undefined : presetForHost(profile.host);
      if (error.reply === undefined) return t('Authentication could not be attempted: {0}', error.message);
      return preset === undefined ? t('Check the username and password (Set SMTP Password…).') : t(preset.passwordAdvice);
    }
    case 'recipients':
      return t('Check the refused addresses; nothing was sent to anyone.');
    case 'unsupported':
      if (error.feature === 'SIZE') return t('The message is larger than the server accepts: make the attachments smaller or share them by link.');
      if (error.feature === 'SMTPUTF8') return t('An address has non-ASCII characters before the @, which this server cannot deliver (no SMTPUTF8).');
      if (error.feature === 'STARTTLS') return t('The server does not offer STARTTLS. If it uses implicit TLS (port 465) set "security": "tls"; never send a password unencrypted to a real server.');
      return t('The server does not support {0}.', error.feature);
    case 'reply':
      if (error.stage === 'mail') return t('The server refused the sender: the "from" address must usually be your own account or an alias the server allows.');
      if (error.reply.code === 552 || error.reply.enhancedCode === '5.3.4') return t('The message is larger than the server accepts.');
      return error.transient ? t('The server reported a temporary problem; try again later.') : t('The server refused the message.');
    case 'protocol':
      return t('The server sent something that is not valid SMTP; check the host and port.');
    case 'aborted':
      return '';
    case 'argument':
      return t('Fix the address or value named above.');
  }
}

function smtpSummary(error: AnySmtpError, t: Translate): string {
  switch (error.kind) {
    case 'recipients':
      return t('Recipients refused: {0}', error.refused.map((r) => `${r.address} (${replyText(r.reply)})`).join('; '));
    case 'reply':
      return t('The server answered {0} to {1} (stage {2})', replyText(error.reply), error.command, error.stage);
    case 'auth':
      if (error.reply === undefined) return error.message;
      return error.mechanism === undefined
        ? t('Authentication failed: {0}', replyText(error.reply))
        : t('Authentication failed ({0}): {1}', error.mechanism, replyText(error.reply));
    case 'aborted':
      return t('Sending was cancelled before the message was complete; nothing was delivered.');
    default:
      return error.message;
  }
}

export function explainError(error: unknown, profile?: SmtpProfile, t: Translate = formatTemplate): Explanation {
  if (isSmtpError(error)) {
    return { summary: smtpSummary(error, t), advice: smtpAdvice(error, profile, t), category: error.kind === 'argument' ? 'input' : 'delivery' };
  }
  if (error instanceof SetupError) return { summary: error.message, advice: '', category: 'input' };
  return { summary: error instanceof Error ? error.message : String(error), advice: '', category: 'delivery' };
}
