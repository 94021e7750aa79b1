/**
 * "Test SMTP Profile…": connect, secure, authenticate and quit — "does this profile work?" —
 * with the session in the protocol log and a summary naming the server, TLS, the certificate's
 * SHA-256 fingerprint and the AUTH mechanism. When the server showed a certificate the profile
 * does not pin yet, it offers "Pin This Certificate" (see pin-certificate.ts).
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import type { SmtpProfile } from '../core/profiles';
import { testProfile } from '../core/send';
import { isSmtpError } from '../core/smtp/errors';
import { normalizeFingerprint } from '../core/smtp/tls-setup';
import type { TlsDetails } from '../core/smtp/types';
import { withSessionProgress } from '../host/progress';
import { parseArguments } from './arguments';
import { chooseProfile, pickFromAll } from './choose-profile';
import { ensureSecret } from './ensure-secret';
import type { CommandOutcome } from './outcome';
import { offerPin, pinCertificate } from './pin-certificate';
import type { Services } from './services';
import { sessionFailed } from './session-failure';

function tlsSummary(tls: TlsDetails | undefined): string {
  if (tls === undefined) return vscode.l10n.t('no TLS (plaintext)');
  const protocol = escapeForDisplay(tls.protocol);
  return tls.authorized
    ? vscode.l10n.t('{0}, certificate verified', protocol)
    : vscode.l10n.t('{0}, certificate NOT verified ({1})', protocol, escapeForDisplay(tls.authorizationError ?? '?'));
}

/**
 * The certificate a script may pin (`pin: true`): one the server showed that the profile does
 * not pin already.
 */
function pinnable(profile: SmtpProfile, tls: TlsDetails | undefined): string | undefined {
  const shown = tls?.fingerprint256;
  if (shown === undefined) return undefined;
  return normalizeFingerprint(shown) === normalizeFingerprint(profile.tls.fingerprint) ? undefined : shown;
}

/** `pin`: true pins the certificate without asking (a script's choice); false offers a button. */
async function runTest(
  services: Services,
  profile: SmtpProfile,
  secret: string | undefined,
  signal: AbortSignal | undefined,
  pin: boolean,
): Promise<CommandOutcome> {
  const { trace } = services.settings.current;
  const session = services.log.startSession('test profile', profile, trace);
  try {
    const result = await withSessionProgress(
      vscode.l10n.t('Testing SMTP profile "{0}"', escapeForDisplay(profile.name)),
      profile,
      (progress) =>
        testProfile({
          profile,
          secret,
          tokenSource: services.signIn.tokenSource(profile, (line) => session.info(line)),
          observer: session.observer,
          trace,
          signal: progress.signal,
          onStage: progress.stage,
        }),
      signal,
    );
    const auth = result.mechanism === undefined ? vscode.l10n.t('no authentication') : vscode.l10n.t('authenticated with {0}', result.mechanism);
    const tls = session.tls;
    const fingerprint = tls?.fingerprint256;
    session.info(`profile works: ${result.server.name}; ${tls === undefined ? 'no TLS' : tls.protocol}; ${result.mechanism ?? 'no AUTH'}`);
    const works = vscode.l10n.t(
      'Profile "{0}" works: {1} answered on {2}:{3}; {4}; {5}.',
      escapeForDisplay(profile.name),
      escapeForDisplay(result.server.name),
      escapeForDisplay(profile.host),
      profile.port,
      tlsSummary(tls),
      auth,
    );
    const candidate = pinnable(profile, tls);
    let pinned = false;
    if (candidate !== undefined && pin) {
      pinned = await pinCertificate(services, profile, candidate);
    } else if (candidate !== undefined && offerPin(tls)) {
      const pinAction = vscode.l10n.t('Pin This Certificate');
      void vscode.window
        .showInformationMessage(vscode.l10n.t('{0} Certificate SHA-256: {1}', works, candidate), pinAction)
        .then((choice) => (choice === pinAction ? pinCertificate(services, profile, candidate) : undefined));
    } else {
      void vscode.window.showInformationMessage(fingerprint === undefined ? works : vscode.l10n.t('{0} Certificate SHA-256: {1}', works, fingerprint));
    }
    return {
      status: 'tested',
      server: result.server.name,
      secure: result.server.secure,
      ...(result.mechanism === undefined ? {} : { mechanism: result.mechanism }),
      ...(fingerprint === undefined ? {} : { fingerprint }),
      ...(pinned ? { pinned } : {}),
    };
  } catch (error) {
    if (isSmtpError(error) && error.kind === 'aborted') {
      session.info('cancelled');
      return { status: 'cancelled' };
    }
    return sessionFailed(services, session, error, profile, (again) => runTest(services, profile, again, undefined, pin));
  }
}

export async function testProfileCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const args = parseArguments(first);
  const settings = services.settings.current;
  const placeHolder = vscode.l10n.t('Test which SMTP profile?');
  const choice = args.profile === undefined ? await pickFromAll(settings, placeHolder) : await chooseProfile(settings, args.profile, placeHolder);
  if ('cancelled' in choice) return { status: 'cancelled' };
  if ('unavailable' in choice) return { status: 'unavailable', reason: choice.unavailable };
  const secret = await ensureSecret(services, choice.profile);
  if ('cancelled' in secret) return { status: 'cancelled' };
  return runTest(services, choice.profile, secret.secret, args.signal, args.pin === true);
}
