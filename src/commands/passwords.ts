/**
 * "Set SMTP Password…" and "Forget SMTP Password…". From code, `{ profile, password }` stores
 * without a prompt, and `{ profile }` forgets without the confirmation (see arguments.ts).
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { profileUsesOAuth } from '../core/oauth/profile-oauth';
import type { SmtpProfile } from '../core/profiles';
import { profileNeedsSecret } from '../core/send';
import { signInKind } from '../host/oauth/sign-in';
import { askPassword } from '../host/password-prompt';
import { parseArguments } from './arguments';
import { chooseProfile, pickFromAll } from './choose-profile';
import { COMMAND_IDS } from './command-ids';
import type { ProfileChoice } from './choose-profile';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

async function profileFor(services: Services, wanted: string | undefined, placeHolder: string): Promise<ProfileChoice> {
  const settings = services.settings.current;
  // Without an argument always ask: the default profile is not necessarily the one meant here.
  return wanted === undefined ? pickFromAll(settings, placeHolder) : chooseProfile(settings, wanted, placeHolder);
}

function choiceOutcome(choice: Exclude<ProfileChoice, { profile: unknown }>): CommandOutcome {
  return 'cancelled' in choice ? { status: 'cancelled' } : { status: 'unavailable', reason: choice.unavailable };
}

/** "Set SMTP Password…" on an OAuth profile: says what to do instead, and stores nothing. */
function signsInInstead(profile: SmtpProfile): CommandOutcome {
  const shown = escapeForDisplay(profile.name);
  if (signInKind(profile) === 'token-command') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" gets its access tokens from its tokenCommand; it has no password to store.', shown));
    return { status: 'unavailable', reason: 'profile uses a tokenCommand' };
  }
  const signIn = vscode.l10n.t('Sign In');
  void vscode.window
    .showInformationMessage(vscode.l10n.t('Profile "{0}" signs in with OAuth — use "Sign In to SMTP Profile…".', shown), signIn)
    .then((choice) => (choice === signIn ? vscode.commands.executeCommand(COMMAND_IDS.signIn, { profile: profile.name }) : undefined));
  return { status: 'unavailable', reason: 'profile signs in with OAuth' };
}

export async function setPasswordCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const args = parseArguments(first);
  const choice = await profileFor(services, args.profile, vscode.l10n.t('Set the password of which SMTP profile?'));
  if (!('profile' in choice)) return choiceOutcome(choice);
  const { profile } = choice;
  // Checked first: an OAuth profile authenticates, but with tokens, never a stored password.
  if (profileUsesOAuth(profile)) return signsInInstead(profile);
  if (!profileNeedsSecret(profile)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" does not authenticate (no username, or auth "none"), so it needs no password.', escapeForDisplay(profile.name)));
    return { status: 'unavailable', reason: 'profile needs no password' };
  }
  const password = args.password ?? (await askPassword(profile));
  if (password === undefined || password === '') return { status: 'cancelled' };
  await services.passwords.store(profile, password);
  if (!args.programmatic) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Stored the password for {0} at {1}:{2} in the system keychain.', escapeForDisplay(profile.username ?? ''), escapeForDisplay(profile.host), profile.port),
    );
  }
  return { status: 'stored', profile: profile.name };
}

export async function forgetPasswordCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const args = parseArguments(first);
  const choice = await profileFor(services, args.profile, vscode.l10n.t('Forget the password of which SMTP profile?'));
  if (!('profile' in choice)) return choiceOutcome(choice);
  const { profile } = choice;
  if (!args.programmatic) {
    const forget = vscode.l10n.t('Forget Password');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Forget the stored password for {0} at {1}:{2}?', escapeForDisplay(profile.username ?? ''), escapeForDisplay(profile.host), profile.port),
      { modal: true, detail: vscode.l10n.t('You will be asked for it the next time profile "{0}" sends.', escapeForDisplay(profile.name)) },
      forget,
    );
    if (answer !== forget) return { status: 'cancelled' };
  }
  await services.passwords.forget(profile);
  if (!args.programmatic) void vscode.window.showInformationMessage(vscode.l10n.t('Forgot the password of profile "{0}".', escapeForDisplay(profile.name)));
  return { status: 'forgotten', profile: profile.name };
}
