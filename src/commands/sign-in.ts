/**
 * "Sign In to SMTP Profile…" and "Sign Out of SMTP Profile…", and the sign-in a send (or a
 * profile test) runs first when its OAuth profile is not signed in yet. From code,
 * `{ profile }` signs in or out without the confirmation and the closing notification (see
 * arguments.ts); the browser or VS Code's account dialog still appears, as it must.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { explainError } from '../core/explain';
import { isAppError } from '../core/errors';
import { SignInError } from '../core/oauth/errors';
import type { SmtpProfile } from '../core/profiles';
import { localized } from '../core/text';
import { explainForUser, failureText } from '../host/failure-message';
import { signInKind } from '../host/oauth/sign-in';
import type { SignInKind } from '../host/oauth/sign-in';
import type { SettingsSnapshot } from '../host/settings';
import { parseArguments } from './arguments';
import type { CommandArguments } from './arguments';
import { chooseProfile, pickFromAll } from './choose-profile';
import type { ProfileChoice } from './choose-profile';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

/** The profiles that sign in (OAuth 2.0 without a tokenCommand), for the quick pick. */
function signInProfiles(settings: SettingsSnapshot): SettingsSnapshot {
  const kinds: readonly SignInKind[] = ['vscode-account', 'loopback'];
  return { ...settings, profiles: new Map([...settings.profiles].filter(([, profile]) => kinds.includes(signInKind(profile)))) };
}

async function chooseSignInProfile(services: Services, wanted: string | undefined, placeHolder: string): Promise<ProfileChoice> {
  const settings = services.settings.current;
  if (wanted !== undefined) return chooseProfile(settings, wanted, placeHolder);
  const candidates = signInProfiles(settings);
  if (candidates.profiles.size === 0 && settings.profiles.size > 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No SMTP profile signs in with OAuth 2.0. Give a profile "auth": "oauth2" and an "oauth" object (README, "Signing in with Microsoft or Google").'));
    return { unavailable: 'no profile signs in with OAuth 2.0' };
  }
  return pickFromAll(candidates.profiles.size === 0 ? settings : candidates, placeHolder);
}

function choiceOutcome(choice: Exclude<ProfileChoice, { profile: unknown }>): CommandOutcome {
  return 'cancelled' in choice ? { status: 'cancelled' } : { status: 'unavailable', reason: choice.unavailable };
}

/** A profile that cannot sign in: says why (no OAuth, or a tokenCommand does it) and returns the outcome. */
function cannotSignIn(profile: SmtpProfile): CommandOutcome | undefined {
  const shown = escapeForDisplay(profile.name);
  switch (signInKind(profile)) {
    case 'none':
      void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" does not sign in with OAuth 2.0 ("auth": "oauth2"), so there is nothing to sign in to.', shown));
      return { status: 'unavailable', reason: 'profile does not use OAuth 2.0' };
    case 'token-command':
      void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" gets its access tokens from its tokenCommand; there is nothing to sign in to.', shown));
      return { status: 'unavailable', reason: 'profile uses a tokenCommand' };
    default:
      return undefined;
  }
}

/** Who the user signs in with, for the question before a send. */
function providerLabel(profile: SmtpProfile): string {
  switch (profile.oauth?.provider) {
    case 'microsoft':
      return 'Microsoft';
    case 'google':
      return 'Google';
    default:
      return profile.oauth?.authorizeUrl === undefined ? profile.host : new URL(profile.oauth.authorizeUrl).host;
  }
}

/** Whether the error means the user stopped the sign-in (Cancel, Escape, a closed dialog). */
function wasCancelled(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  // VS Code's own sign-in dialogs reject with these when the user declines.
  return !isAppError(error) && error instanceof Error && /cancel|did not consent/i.test(error.message);
}

/** A failure from VS Code's provider (not one of ours) as a SignInError, so it is explained like the rest. */
function asSignInError(error: unknown, profile: SmtpProfile): unknown {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SignInError('denied', localized('The sign-in did not complete: {0}', message), profile.name);
}

export type SignInResult = { readonly signedIn: true; readonly account: string | undefined } | { readonly cancelled: true } | { readonly failed: CommandOutcome };

/**
 * Runs the profile's sign-in with its steps in the protocol log; the loopback flow under a
 * cancellable "Signing in…" notification (VS Code's Microsoft sign-in shows its own dialogs).
 * `fresh`: after a refusal, a VS Code account signs in anew (see OAuthSignIn.signIn).
 * A failure is shown (with the log revealed) and returned.
 */
export async function runSignIn(services: Services, profile: SmtpProfile, external: AbortSignal | undefined, fresh = false): Promise<SignInResult> {
  const session = services.log.startSession('sign in', profile, services.settings.current.trace);
  const controller = new AbortController();
  const onExternal = (): void => controller.abort();
  external?.addEventListener('abort', onExternal, { once: true });
  if (external?.aborted === true) controller.abort();
  try {
    const run = (): Promise<string | undefined> => services.signIn.signIn(profile, controller.signal, (line) => session.info(line), fresh);
    const account =
      signInKind(profile) === 'loopback'
        ? await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to profile "{0}"…', escapeForDisplay(profile.name)), cancellable: true },
            async (_progress, token) => {
              const cancel = token.onCancellationRequested(() => controller.abort());
              try {
                return await run();
              } finally {
                cancel.dispose();
              }
            },
          )
        : await run();
    return { signedIn: true, account };
  } catch (error) {
    if (wasCancelled(error, controller.signal)) {
      session.info('sign-in cancelled');
      return { cancelled: true };
    }
    const failure = asSignInError(error, profile);
    session.error(`sign-in failed: ${explainError(failure, { profile, audience: 'extension' }).summary}`);
    const explanation = explainForUser(failure, profile);
    services.log.show(true);
    void vscode.window.showErrorMessage(failureText(explanation));
    return { failed: { status: 'failed', summary: explanation.summary, advice: explanation.advice, kind: 'sign-in' } };
  } finally {
    external?.removeEventListener('abort', onExternal);
  }
}

/**
 * Before a session of an OAuth profile: true when a token can be had without asking (signed in,
 * or a tokenCommand); otherwise asks "Sign in …?" and signs in. `again`: the user chose "Sign
 * In Again" after a refusal, so it signs in without asking.
 */
export async function ensureSignedIn(services: Services, profile: SmtpProfile, again: boolean): Promise<boolean> {
  if (!again && (await services.signIn.isSignedIn(profile))) return true;
  if (!again) {
    const signIn = vscode.l10n.t('Sign In');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t('Sign in to {0} as {1} to send with profile "{2}"?', escapeForDisplay(providerLabel(profile)), escapeForDisplay(profile.username ?? ''), escapeForDisplay(profile.name)),
      { modal: true, detail: vscode.l10n.t('Profile "{0}" signs in with OAuth 2.0 and is not signed in yet.', escapeForDisplay(profile.name)) },
      signIn,
    );
    if (answer !== signIn) return false;
  }
  return 'signedIn' in (await runSignIn(services, profile, undefined, again));
}

/** The command's arguments and the profile it acts on, or the outcome when there is none that signs in. */
async function commandTarget(services: Services, first: unknown, placeHolder: string): Promise<{ readonly args: CommandArguments; readonly profile: SmtpProfile } | { readonly outcome: CommandOutcome }> {
  const args = parseArguments(first);
  const choice = await chooseSignInProfile(services, args.profile, placeHolder);
  if (!('profile' in choice)) return { outcome: choiceOutcome(choice) };
  const refused = cannotSignIn(choice.profile);
  return refused === undefined ? { args, profile: choice.profile } : { outcome: refused };
}

export async function signInCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const target = await commandTarget(services, first, vscode.l10n.t('Sign in to which SMTP profile?'));
  if ('outcome' in target) return target.outcome;
  const { args, profile } = target;
  const result = await runSignIn(services, profile, args.signal);
  if ('cancelled' in result) return { status: 'cancelled' };
  if ('failed' in result) return result.failed;
  if (!args.programmatic) {
    void vscode.window.showInformationMessage(
      result.account === undefined
        ? vscode.l10n.t('Profile "{0}" is signed in.', escapeForDisplay(profile.name))
        : vscode.l10n.t('Profile "{0}" is signed in as {1}.', escapeForDisplay(profile.name), escapeForDisplay(result.account)),
    );
  }
  return { status: 'stored', profile: profile.name };
}

export async function signOutCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const target = await commandTarget(services, first, vscode.l10n.t('Sign out of which SMTP profile?'));
  if ('outcome' in target) return target.outcome;
  const { args, profile } = target;
  const shown = escapeForDisplay(profile.name);
  if (!args.programmatic) {
    const signOut = vscode.l10n.t('Sign Out');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Sign out of profile "{0}"?', shown),
      {
        modal: true,
        detail:
          signInKind(profile) === 'vscode-account'
            ? vscode.l10n.t('The profile forgets its sign-in and asks again before its next send. Your Microsoft account stays signed in to VS Code (Accounts menu).')
            : vscode.l10n.t('The stored refresh token is deleted; the profile asks you to sign in again before its next send.'),
      },
      signOut,
    );
    if (answer !== signOut) return { status: 'cancelled' };
  }
  await services.signIn.signOut(profile);
  services.log.startSession('sign out', profile, services.settings.current.trace).info('signed out; the stored sign-in was deleted');
  if (!args.programmatic) void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" is signed out.', shown));
  return { status: 'forgotten', profile: profile.name };
}

