/**
 * Turns a failure into what happened and what to do about it, for the CLI's one-line errors and
 * the extension's notifications alike. Switches over every SmtpError kind (the compiler checks).
 */
import { presetForHost } from './profiles';
import type { SmtpProfile } from './profiles';
import { isSmtpError } from './smtp/errors';
import type { AnySmtpError } from './smtp/errors';
import type { SmtpReply } from './smtp/types';
import { SendSetupError } from './send';

export interface Explanation {
  /** One sentence: what happened, naming the stage and the server's reply. */
  readonly summary: string;
  /** What to do about it; may be empty. */
  readonly advice: string;
  /** `delivery` failures exit 1 in the CLI; `input` (draft, config, usage) exit 2. */
  readonly category: 'delivery' | 'input';
}

export function replyText(reply: SmtpReply): string {
  return `${reply.code}${reply.enhancedCode === undefined ? '' : ` ${reply.enhancedCode}`} ${reply.lines.join(' ')}`.trim();
}

function smtpAdvice(error: AnySmtpError, profile: SmtpProfile | undefined): string {
  const where = profile === undefined ? 'the server' : `${profile.host}:${profile.port}`;
  switch (error.kind) {
    case 'tls':
      if (/wrong version number|WRONG_VERSION_NUMBER|packet length too long|unknown protocol/i.test(`${error.code} ${error.message}`)) {
        return `${where} does not speak TLS from the first byte. Port 587 (and 25) expect "security": "starttls"; use "tls" only for port 465.`;
      }
      if (/CERT_HAS_EXPIRED/.test(error.code)) return 'The server certificate has expired. Tell the server administrator; do not turn verification off for a real server.';
      if (/ALTNAME|HOSTNAME/i.test(error.code)) return `The certificate is not for "${profile?.host ?? 'this host'}". Use the host name the certificate names (often the provider's documented SMTP host).`;
      if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF/i.test(error.code)) {
        return 'The certificate is not signed by a trusted authority. Add the server CA with "tls": { "ca": "/path/ca.pem" }, or for a test server set "tls": { "allowSelfSigned": true }.';
      }
      return 'The secure connection could not be established; check the security mode and port.';
    case 'timeout':
      if (error.stage === 'greeting' && profile?.security === 'starttls' && profile.port === 465) {
        return 'Port 465 expects TLS from the first byte: set "security": "tls" for this profile.';
      }
      return `${where} stopped answering during ${error.stage}. Check the host, port and firewall, then try again.`;
    case 'connection':
      return error.code === 'ECONNREFUSED'
        ? `Nothing is listening on ${where}. Check the host and port.`
        : error.code === 'ENOTFOUND'
          ? `The host name "${profile?.host ?? ''}" could not be resolved.`
          : 'The server closed the connection. Try again; if it repeats, check the security mode and port.';
    case 'auth': {
      const preset = profile === undefined ? undefined : presetForHost(profile.host);
      if (error.reply === undefined) return 'Authentication could not be attempted: ' + error.message;
      return preset?.passwordAdvice ?? 'Check the username and password (Set SMTP Password…).';
    }
    case 'recipients':
      return 'Check the refused addresses; nothing was sent to anyone.';
    case 'unsupported':
      if (error.feature === 'SIZE') return 'The message is larger than the server accepts: make the attachments smaller or share them by link.';
      if (error.feature === 'SMTPUTF8') return 'An address has non-ASCII characters before the @, which this server cannot deliver (no SMTPUTF8).';
      if (error.feature === 'STARTTLS') return 'The server does not offer STARTTLS. If it uses implicit TLS (port 465) set "security": "tls"; never send a password unencrypted to a real server.';
      return `The server does not support ${error.feature}.`;
    case 'reply':
      if (error.stage === 'mail') return 'The server refused the sender: the "from" address must usually be your own account or an alias the server allows.';
      if (error.reply.code === 552 || error.reply.enhancedCode === '5.3.4') return 'The message is larger than the server accepts.';
      return error.transient ? 'The server reported a temporary problem; try again later.' : 'The server refused the message.';
    case 'protocol':
      return 'The server sent something that is not valid SMTP; check the host and port.';
    case 'aborted':
      return '';
    case 'argument':
      return 'Fix the address or value named above.';
  }
}

function smtpSummary(error: AnySmtpError): string {
  switch (error.kind) {
    case 'recipients':
      return `Recipients refused: ${error.refused.map((r) => `${r.address} (${replyText(r.reply)})`).join('; ')}`;
    case 'reply':
      return `The server answered ${replyText(error.reply)} to ${error.command} (stage ${error.stage})`;
    case 'auth':
      return error.reply === undefined ? error.message : `Authentication failed${error.mechanism === undefined ? '' : ` (${error.mechanism})`}: ${replyText(error.reply)}`;
    case 'aborted':
      return 'Sending was cancelled before the message was complete; nothing was delivered.';
    default:
      return error.message;
  }
}

export function explainError(error: unknown, profile?: SmtpProfile): Explanation {
  if (isSmtpError(error)) {
    return { summary: smtpSummary(error), advice: smtpAdvice(error, profile), category: error.kind === 'argument' ? 'input' : 'delivery' };
  }
  if (error instanceof SendSetupError) return { summary: error.message, advice: '', category: 'input' };
  return { summary: error instanceof Error ? error.message : String(error), advice: '', category: 'delivery' };
}
