/**
 * "Test SMTP Profile…": connect, secure, authenticate and quit — "does this profile work?" —
 * with the session in the protocol log and a summary naming the server, TLS and AUTH mechanism.
 */
import * as vscode from 'vscode';
import type { SmtpProfile } from '../core/profiles';
import { testProfile } from '../core/send';
import { isSmtpError } from '../core/smtp/errors';
import type { TlsDetails } from '../core/smtp/types';
import { withSessionProgress } from '../host/progress';
import { parseArguments } from './arguments';
import { chooseProfile, pickFromAll } from './choose-profile';
import { ensureSecret } from './ensure-secret';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';
import { sessionFailed } from './session-failure';

function tlsSummary(tls: TlsDetails | undefined): string {
  if (tls === undefined) return vscode.l10n.t('no TLS (plaintext)');
  return tls.authorized
    ? vscode.l10n.t('{0}, certificate verified', tls.protocol)
    : vscode.l10n.t('{0}, certificate NOT verified ({1})', tls.protocol, tls.authorizationError ?? '?');
}

async function runTest(services: Services, profile: SmtpProfile, secret: string | undefined, signal: AbortSignal | undefined): Promise<CommandOutcome> {
  const { trace } = services.settings.current;
  const session = services.log.startSession('test profile', profile, trace);
  try {
    const result = await withSessionProgress(
      vscode.l10n.t('Testing SMTP profile "{0}"', profile.name),
      profile,
      (progress) =>
        testProfile({
          profile,
          ...(secret === undefined ? {} : { secret }),
          observer: session.observer,
          trace,
          signal: progress.signal,
          onStage: progress.stage,
        }),
      signal,
    );
    const auth = result.mechanism === undefined ? vscode.l10n.t('no authentication') : vscode.l10n.t('authenticated with {0}', result.mechanism);
    const tls = tlsSummary(session.tls);
    session.info(`profile works: ${result.server.name}; ${session.tls === undefined ? 'no TLS' : session.tls.protocol}; ${result.mechanism ?? 'no AUTH'}`);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Profile "{0}" works: {1} answered on {2}:{3}; {4}; {5}.', profile.name, result.server.name, profile.host, profile.port, tls, auth),
    );
    return { status: 'tested', server: result.server.name, secure: result.server.secure, ...(result.mechanism === undefined ? {} : { mechanism: result.mechanism }) };
  } catch (error) {
    if (isSmtpError(error) && error.kind === 'aborted') {
      session.info('cancelled');
      return { status: 'cancelled' };
    }
    return sessionFailed(services, session, error, profile, (again) => runTest(services, profile, again, undefined));
  }
}

export async function testProfileCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const args = parseArguments(first);
  const settings = services.settings.current;
  const placeHolder = vscode.l10n.t('Test which SMTP profile?');
  const choice = args.profile === undefined ? await pickFromAll(settings, placeHolder) : await chooseProfile(settings, args.profile, placeHolder);
  if ('cancelled' in choice) return { status: 'cancelled' };
  if ('unavailable' in choice) return { status: 'unavailable', reason: choice.unavailable };
  const secret = await ensureSecret(services.passwords, choice.profile);
  if ('cancelled' in secret) return { status: 'cancelled' };
  return runTest(services, choice.profile, secret.secret, args.signal);
}
