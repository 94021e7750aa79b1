/**
 * Turns a failure into what happened and what to do about it, for the CLI's one-line errors and
 * the extension's notifications alike. Switches over every kind of the application error family
 * (exit-code.ts: input errors, setup, compose, SMTP), so the compiler checks none is forgotten.
 *
 * - The stage of an SMTP failure is added here, once, to the summary: no message carries it.
 * - Advice depends on the audience: the CLI names its own steps (SEND_AS_EMAIL_PASSWORD,
 *   --profile, the config file), the extension names its commands ("Set SMTP Password…").
 * - Every sentence is a literal template given to `t`, so the extension can translate it
 *   (l10n/bundle.l10n.*.json, keyed by the English template).
 */
import type { ComposeError } from './mime/errors';
import { signInAdvice, tokenRefusedAdvice } from './oauth/sign-in-advice';
import { knownError } from './exit-code';
import type { SetupError } from './errors';
import { presetForHost } from './profiles';
import type { SmtpProfile } from './profiles';
import { isSmtpError, isTransientCode } from './smtp/errors';
import type { AnySmtpError, SmtpRecipientsError } from './smtp/errors';
import type { SmtpReply } from './smtp/types';
import { formatTemplate, renderText } from './text';
import type { Translate } from './text';

export interface Explanation {
  /** What happened, naming the stage and the server's reply. */
  readonly summary: string;
  /** What to do about it; may be empty. */
  readonly advice: string;
}

/** Who reads the advice: it names the steps that exist where the user is. */
export type Audience = 'cli' | 'extension';

export interface ExplainOptions {
  /** The profile the session used, when there was one: names host and port, picks preset advice. */
  readonly profile?: SmtpProfile | undefined;
  /** The translator; English templates by default. */
  readonly t?: Translate | undefined;
  readonly audience: Audience;
}

/** Internal: the options with defaults applied. */
interface Context {
  readonly profile: SmtpProfile | undefined;
  readonly t: Translate;
  readonly cli: boolean;
}

export function replyText(reply: SmtpReply): string {
  return `${reply.code}${reply.enhancedCode === undefined ? '' : ` ${reply.enhancedCode}`} ${reply.lines.join(' ')}`.trim();
}

/** RFC 5321 3.8 / 4.2.3: 421 "Service not available, closing transmission channel" — at any stage. */
function closingReply(error: AnySmtpError): SmtpReply | undefined {
  switch (error.kind) {
    case 'reply':
      return error.reply.code === 421 ? error.reply : undefined;
    case 'auth':
      return error.reply?.code === 421 ? error.reply : undefined;
    case 'recipients':
      // The client reports a 421 to RCPT as a reply error; a recipients error built elsewhere
      // (a test, a future pool) may still carry one.
      return error.refused.find((r) => r.reply.code === 421)?.reply;
    default:
      return undefined;
  }
}

function where(c: Context): string {
  return c.profile === undefined ? c.t('the server') : `${c.profile.host}:${c.profile.port}`;
}

function tlsAdvice(error: Extract<AnySmtpError, { kind: 'tls' }>, c: Context): string {
  const { t } = c;
  const code = error.tlsCode;
  if (/wrong version number|WRONG_VERSION_NUMBER|packet length too long|unknown protocol/i.test(`${code} ${error.message}`)) {
    return t('{0} does not speak TLS from the first byte. Port 587 (and 25) expect "security": "starttls"; use "tls" only for port 465.', where(c));
  }
  if (/FINGERPRINT/i.test(code)) {
    return c.cli
      ? t('The server certificate is not the one pinned in "tls.fingerprint". If the server changed it on purpose, run send-as-email test-profile to see the new fingerprint and update the pin; otherwise someone may be intercepting the connection.')
      : t('The server certificate is not the one pinned in "tls.fingerprint". If the server changed it on purpose, run Test SMTP Profile… to see the new fingerprint and update the pin; otherwise someone may be intercepting the connection.');
  }
  if (/CERT_HAS_EXPIRED/.test(code)) return t('The server certificate has expired. Tell the server administrator; do not turn verification off for a real server.');
  if (/ALTNAME|HOSTNAME/i.test(code)) return t('The certificate is not for "{0}". Use the host name the certificate names (often the provider\'s documented SMTP host).', c.profile?.host ?? '?');
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF/i.test(code)) {
    return c.cli
      ? t('The certificate is not signed by a trusted authority. Add the server CA to the profile in the config file with "tls": { "ca": "/path/ca.pem" }, or pin this one certificate: send-as-email test-profile shows its SHA-256 fingerprint for "tls": { "fingerprint": "…" }.')
      : t('The certificate is not signed by a trusted authority. Add the server CA with "tls": { "ca": "/path/ca.pem" }, or pin this one certificate after checking it with the server\'s administrator: the protocol log shows its SHA-256 fingerprint for "tls": { "fingerprint": "…" }.');
  }
  return t('The secure connection could not be established; check the security mode and port.');
}

function timeoutAdvice(error: Extract<AnySmtpError, { kind: 'timeout' }>, c: Context): string {
  const { t, profile } = c;
  // A plaintext greeting never comes from a port that expects a TLS ClientHello first: both
  // sides wait for the other (RFC 8314 3.3).
  if (error.stage === 'greeting' && profile !== undefined && profile.security !== 'tls') {
    if (profile.port === 465) return t('Port 465 expects TLS from the first byte: set "security": "tls" for this profile.');
    return t('{0} sent no greeting. The port may expect implicit TLS (as 465 does): then set "security": "tls" for this profile; otherwise check the host, port and firewall.', where(c));
  }
  return t('{0} stopped answering during {1}. Check the host, port and firewall, then try again.', where(c), error.stage);
}

function authAdvice(error: Extract<AnySmtpError, { kind: 'auth' }>, c: Context): string {
  const { t, profile } = c;
  if (error.reply === undefined) {
    return t('Check "auth" and "security" of the profile: the server must offer a mechanism the profile allows, over TLS unless "allowPlaintextAuth" is set.');
  }
  if (error.transient) return t('The server reported a temporary problem; try again later.');
  if (profile?.oauth !== undefined) return tokenRefusedAdvice(profile.name, c.cli, t);
  const preset = profile === undefined ? undefined : presetForHost(profile.host);
  if (preset !== undefined) return renderText(preset.passwordAdvice, t);
  return c.cli
    ? t('Check the username in the profile and the password in SEND_AS_EMAIL_PASSWORD (or the one typed when asked).')
    : t('Check the username and password (Set SMTP Password…).');
}

function recipientsAdvice(error: SmtpRecipientsError, c: Context): string {
  const { t } = c;
  const temporary = error.refused.some((r) => isTransientCode(r.reply.code));
  // RFC 5321 4.2.5: 4yz is a transient failure; the same address may be accepted later.
  // `transient` means every refusal was one.
  if (error.transient) return t('The server could not accept these recipients for now (a temporary failure, not a refused address): try again later; nothing was sent to anyone.');
  if (temporary) return t('Check the refused addresses; the others failed only for now. Nothing was sent to anyone.');
  return t('Check the refused addresses; nothing was sent to anyone.');
}

function replyAdvice(error: Extract<AnySmtpError, { kind: 'reply' }>, c: Context): string {
  const { t } = c;
  if (error.transient) return t('The server reported a temporary problem; try again later.');
  if (error.stage === 'mail') return t('The server refused the sender: the "from" address must usually be your own account or an alias the server allows.');
  if (error.reply.code === 552 || error.reply.enhancedCode === '5.3.4') return t('The message is larger than the server accepts.');
  return t('The server refused the message.');
}

function smtpAdvice(error: AnySmtpError, c: Context): string {
  const { t } = c;
  if (closingReply(error) !== undefined) return t('The server is closing the connection (temporarily unavailable): try again later.');
  switch (error.kind) {
    case 'tls':
      return tlsAdvice(error, c);
    case 'timeout':
      return timeoutAdvice(error, c);
    case 'connection':
      return error.errno === 'ECONNREFUSED'
        ? t('Nothing is listening on {0}. Check the host and port.', where(c))
        : error.errno === 'ENOTFOUND'
          ? t('The host name "{0}" could not be resolved.', c.profile?.host ?? '')
          : t('The server closed the connection. Try again; if it repeats, check the security mode and port.');
    case 'auth':
      return authAdvice(error, c);
    case 'recipients':
      return recipientsAdvice(error, c);
    case 'unsupported':
      if (error.feature === 'SIZE') return t('The message is larger than the server accepts: make the attachments smaller or share them by link.');
      if (error.feature === 'SMTPUTF8') return t('An address has non-ASCII characters before the @, which this server cannot deliver (no SMTPUTF8).');
      if (error.feature === 'STARTTLS') return t('The server does not offer STARTTLS. If it uses implicit TLS (port 465) set "security": "tls"; never send a password unencrypted to a real server.');
      return t('The server does not support {0}.', error.feature);
    case 'reply':
      return replyAdvice(error, c);
    case 'protocol':
      return t('The server sent something that is not valid SMTP; check the host and port.');
    case 'aborted':
      return '';
    case 'argument':
      return t('Fix the address or value named above.');
  }
}

function refusedList(refused: SmtpRecipientsError['refused']): string {
  return refused.map((r) => `${r.address} (${replyText(r.reply)})`).join('; ');
}

function recipientsSummary(error: SmtpRecipientsError, t: Translate): string {
  const permanent = error.refused.filter((r) => !isTransientCode(r.reply.code));
  const temporary = error.refused.filter((r) => isTransientCode(r.reply.code));
  const parts = [
    permanent.length > 0 ? t('Recipients refused: {0}', refusedList(permanent)) : '',
    temporary.length > 0 ? t('Recipients not accepted for now (temporary failure): {0}', refusedList(temporary)) : '',
  ];
  return parts.filter(Boolean).join('; ');
}

/** What happened, without the stage (added once by `smtpExplanation`). */
function smtpSummary(error: AnySmtpError, t: Translate): string {
  const closing = closingReply(error);
  if (closing !== undefined) return t('The server is closing the connection: {0}', replyText(closing));
  switch (error.kind) {
    case 'recipients':
      return recipientsSummary(error, t);
    case 'reply':
      return t('The server answered {0} to {1}', replyText(error.reply), error.command);
    case 'auth':
      if (error.reply === undefined) return renderText(error.text, t);
      return error.mechanism === undefined
        ? t('Authentication failed: {0}', replyText(error.reply))
        : t('Authentication failed ({0}): {1}', error.mechanism, replyText(error.reply));
    default:
      return renderText(error.text, t);
  }
}

function smtpExplanation(error: AnySmtpError, c: Context): Explanation {
  const advice = smtpAdvice(error, c);
  if (error.kind === 'aborted') return { summary: c.t('Sending was cancelled before the message was complete; nothing was delivered.'), advice };
  return { summary: c.t('{0} (stage {1})', smtpSummary(error, c.t), error.stage), advice };
}

function setupAdvice(error: SetupError, c: Context): string {
  const { t } = c;
  switch (error.reason) {
    case 'no-sender':
      return c.cli
        ? t('Add "from:" to the draft, or a "from" to the profile in the config file.')
        : t('Add "from:" to the draft, or a "from" to the profile in the "sendAsEmail.profiles" setting.');
    case 'invalid-sender':
      return t('Set "from" of the profile to one address, such as "Ann Lee <ann@example.com>".');
    case 'ca-unreadable':
      return c.cli
        ? t('Fix "tls.ca" of the profile in the config file: it must name a readable PEM file.')
        : t('Fix "tls.ca" of the profile in the "sendAsEmail.profiles" setting: it must name a readable PEM file.');
    case 'no-password':
      return c.cli ? t('Set SEND_AS_EMAIL_PASSWORD, or run on a terminal to be asked for it.') : t('Run "Set SMTP Password…" for this profile.');
    case 'untrusted':
      return c.cli ? '' : t('Trust this workspace (Manage Workspace Trust) if you trust its files, then try again.');
  }
}

function composeAdvice(error: ComposeError, c: Context): string {
  const { t } = c;
  switch (error.reason) {
    case 'file-unreadable':
      return t('Check that "{0}" exists and can be read, or remove it from the draft.', error.path ?? '?');
    case 'file-changed':
      return t('A file changed while the message was being made; try again once it is no longer being written.');
    case 'boundary-collision':
      return t('A MIME boundary occurs in the content; try again without a fixed boundary.');
    case 'invalid-address':
    case 'invalid-header':
      return c.cli
        ? t('Fix the draft where named above; send-as-email check DRAFT shows each problem with its position.')
        : t('Fix the draft where named above; the Problems view shows each problem with its position.');
  }
}

export function explainError(error: unknown, options: ExplainOptions): Explanation {
  const c: Context = { profile: options.profile, t: options.t ?? formatTemplate, cli: options.audience === 'cli' };
  const { t } = c;
  const known = knownError(error);
  if (known === undefined) return { summary: error instanceof Error ? error.message : String(error), advice: '' };
  // SMTP kinds have their own exhaustive switch (smtpExplanation); the rest are handled here.
  if (isSmtpError(known)) return smtpExplanation(known, c);
  const summary = renderText(known.text, t);
  switch (known.kind) {
    case 'draft':
      // With no problems the draft could not be read at all, which the summary says.
      if (known.problems.length === 0) return { summary, advice: '' };
      return { summary, advice: c.cli ? t('Fix the problems listed above; send-as-email check DRAFT lists them again.') : t('Fix the problems shown in the Problems view.') };
    case 'config':
      return {
        summary,
        advice: c.cli
          ? t('Profiles are read from the config file (--config FILE, SEND_AS_EMAIL_CONFIG, or ~/.config/send-as-email/config.json) and chosen with --profile.')
          : t('Profiles are set in the "sendAsEmail.profiles" setting.'),
      };
    case 'usage':
      return { summary, advice: c.cli ? t('Run send-as-email --help for the usage.') : t('Check the arguments passed to the command.') };
    case 'setup':
      return { summary, advice: setupAdvice(known, c) };
    case 'compose':
      return { summary, advice: composeAdvice(known, c) };
    case 'sign-in':
      return { summary, advice: signInAdvice(known, c.cli, t) };
  }
}

/** "summary — advice", the one way both front ends join the two. */
export function explanationLine(explanation: Explanation): string {
  return explanation.advice === '' ? explanation.summary : `${explanation.summary} — ${explanation.advice}`;
}
