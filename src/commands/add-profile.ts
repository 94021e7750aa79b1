/**
 * "Add SMTP Profile…": provider (or a custom host, security and port) → address → display name
 * → password, with the provider's app-password advice and a button to its page → a live test
 * (connect, secure, authenticate, quit) → the profile in user settings and the password in
 * SecretStorage. Nothing is written before the test passes; Escape at any step, or Cancel after
 * a failed test, writes nothing. After a failure, Edit goes through the steps again with the
 * answers given so far.
 *
 * The prompts go through a WizardPrompter (host/profile-setup.ts): VS Code's quick input for a
 * user, a script's own answers when passed as `{ prompter }`.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import { explainError } from '../core/explain';
import { isRecord } from '../core/guards';
import { describeMailbox } from '../core/mime/addresses';
import { mailboxFaultText, parseMailbox } from '../core/mime/grammar';
import type { SmtpProfile } from '../core/profiles';
import { defaultPort, normaliseProfile, PROVIDER_PRESETS } from '../core/profiles';
import { testProfile } from '../core/send';
import { isSmtpError } from '../core/smtp/errors';
import type { SmtpSecurity } from '../core/smtp/types';
import { translate } from '../host/l10n';
import type { WizardPrompter, WizardStep } from '../host/profile-setup';
import { quickInputPrompter } from '../host/profile-setup';
import { withSessionProgress } from '../host/progress';
import { SECTION } from '../host/settings';
import type { WizardPreset } from './add-profile-presets';
import { freeProfileName, WIZARD_PRESETS } from './add-profile-presets';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

interface Answers {
  preset: WizardPreset | undefined;
  host: string;
  security: SmtpSecurity;
  port: string;
  address: string;
  displayName: string;
  password: string;
}

const CUSTOM = 'custom';

function isPrompter(value: unknown): value is WizardPrompter {
  return isRecord(value) && typeof value['pick'] === 'function' && typeof value['input'] === 'function' && typeof value['choose'] === 'function';
}

function validateAddress(value: string): string | undefined {
  const result = parseMailbox(value.trim());
  return result.ok ? undefined : translate(mailboxFaultText(vscode.l10n.t('address'), value.trim(), result.fault));
}

function validateHost(value: string): string | undefined {
  return /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(value.trim()) ? undefined : vscode.l10n.t('Enter a host name such as smtp.example.com.');
}

function validatePort(value: string): string | undefined {
  const port = Number(value);
  return /^\d+$/.test(value.trim()) && port >= 1 && port <= 65535 ? undefined : vscode.l10n.t('Enter a port from 1 to 65535.');
}

/** Asks every step once; undefined when the user pressed Escape at one of them. */
async function ask(prompter: WizardPrompter, answers: Answers): Promise<Answers | undefined> {
  const title = vscode.l10n.t('Add SMTP Profile');
  const custom = (preset: WizardPreset | undefined): boolean => preset === undefined;
  let step = 1;
  const next = (isCustom: boolean): WizardStep => ({ title, step: step++, totalSteps: isCustom ? 7 : 4 });

  const presetItems = [
    ...WIZARD_PRESETS.map((preset) => {
      const endpoint = PROVIDER_PRESETS[preset.key];
      return { label: preset.brand, description: endpoint === undefined ? '' : `${endpoint.host}:${endpoint.port} (${endpoint.security})`, value: preset.key };
    }),
    { label: vscode.l10n.t('Other SMTP server…'), description: vscode.l10n.t('enter the host, security and port'), value: CUSTOM },
  ];
  const chosen = await prompter.pick(next(false), vscode.l10n.t('Which provider sends your mail?'), presetItems);
  if (chosen === undefined) return undefined;
  const preset = WIZARD_PRESETS.find((p) => p.key === chosen);
  const result: Answers = { ...answers, preset };

  if (custom(preset)) {
    const host = await prompter.input(next(true), { prompt: vscode.l10n.t('The SMTP server\'s host name'), value: answers.host, placeholder: 'smtp.example.com', validate: validateHost });
    if (host === undefined) return undefined;
    // The labels are the values of the profile's `security` field, as settings.json shows them.
    const securities: ReadonlyArray<readonly [SmtpSecurity, string]> = [
      ['starttls', vscode.l10n.t('port 587: STARTTLS, required')],
      ['tls', vscode.l10n.t('port 465: TLS from the start')],
      ['none', vscode.l10n.t('no encryption: only for a server on this machine')],
    ];
    const security = await prompter.pick(
      next(true),
      vscode.l10n.t('How is the connection secured?'),
      securities.map(([value, description]) => ({ label: value, description, value })),
    );
    if (security === undefined) return undefined;
    const port = await prompter.input(next(true), {
      prompt: vscode.l10n.t('The port'),
      value: answers.port !== '' && answers.security === security ? answers.port : String(defaultPort(security)),
      validate: validatePort,
    });
    if (port === undefined) return undefined;
    Object.assign(result, { host: host.trim(), security, port: port.trim() });
  }

  const isCustom = custom(preset);
  const address = await prompter.input(next(isCustom), { prompt: vscode.l10n.t('Your email address (also the login)'), value: answers.address, placeholder: 'you@example.com', validate: validateAddress });
  if (address === undefined) return undefined;
  const displayName = await prompter.input(next(isCustom), {
    prompt: vscode.l10n.t('Your name as recipients see it (optional)'),
    value: answers.displayName,
    validate: (value) => (/[\r\n]/.test(value) ? vscode.l10n.t('One line only.') : undefined),
  });
  if (displayName === undefined) return undefined;

  const advice = preset === undefined ? undefined : PROVIDER_PRESETS[preset.key]?.passwordAdvice;
  const password = await prompter.input(next(isCustom), {
    prompt: advice === undefined ? vscode.l10n.t('The password (leave empty for a server that needs no login)') : translate(advice),
    value: answers.password,
    password: true,
    validate: (value) => (value === '' && !isCustom ? vscode.l10n.t('Enter the password.') : undefined),
    ...(preset === undefined ? {} : { link: { tooltip: vscode.l10n.t('Open {0}\'s app password page', preset.brand), url: preset.passwordPage } }),
  });
  if (password === undefined) return undefined;
  return { ...result, address: address.trim(), displayName: displayName.trim(), password };
}

/** The profile as it goes into settings.json: a preset with the account, or the whole endpoint. */
function rawProfile(answers: Answers): Record<string, unknown> {
  const from = answers.displayName === '' ? answers.address : describeMailbox({ name: answers.displayName, address: answers.address });
  const login = answers.password === '' ? {} : { username: answers.address };
  return answers.preset === undefined
    ? { host: answers.host, port: Number(answers.port), security: answers.security, ...login, from }
    : { preset: answers.preset.key, ...login, from };
}

function takenNames(): Set<string> {
  const layers = vscode.workspace.getConfiguration(SECTION).inspect<Record<string, unknown>>('profiles');
  return new Set([layers?.globalValue, layers?.workspaceValue, layers?.workspaceFolderValue].flatMap((layer) => (isRecord(layer) ? Object.keys(layer) : [])));
}

type TestResult = { readonly ok: true } | { readonly ok: false; readonly cancelled: boolean; readonly summary: string; readonly advice: string };

async function runTest(services: Services, profile: SmtpProfile, secret: string | undefined): Promise<TestResult> {
  const { trace } = services.settings.current;
  const session = services.log.startSession('test new profile', profile, trace);
  try {
    await withSessionProgress(vscode.l10n.t('Testing SMTP profile "{0}"', escapeForDisplay(profile.name)), profile, (progress) =>
      testProfile({ profile, secret, observer: session.observer, trace, signal: progress.signal, onStage: progress.stage }),
    );
    session.info('profile works');
    return { ok: true };
  } catch (error) {
    const cancelled = isSmtpError(error) && error.kind === 'aborted';
    const explanation = explainError(error, { profile, t: vscode.l10n.t, audience: 'extension' });
    session.error(cancelled ? 'cancelled' : `failed: ${explainError(error, { profile, audience: 'extension' }).summary}`);
    return { ok: false, cancelled, summary: explanation.summary, advice: explanation.advice };
  }
}

async function save(services: Services, name: string, raw: Record<string, unknown>, profile: SmtpProfile, secret: string | undefined): Promise<void> {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const existing = configuration.inspect<Record<string, unknown>>('profiles')?.globalValue ?? {};
  await configuration.update('profiles', { ...existing, [name]: raw }, vscode.ConfigurationTarget.Global);
  if (secret !== undefined) await services.passwords.store(profile, secret);
}

export async function addProfileCommand(services: Services, first?: unknown): Promise<CommandOutcome> {
  const prompter = isRecord(first) && isPrompter(first['prompter']) ? first['prompter'] : quickInputPrompter;
  let answers: Answers = { preset: undefined, host: '', security: 'starttls', port: '', address: '', displayName: '', password: '' };
  for (;;) {
    const given = await ask(prompter, answers);
    if (given === undefined) return { status: 'cancelled' };
    answers = given;
    const raw = rawProfile(answers);
    const name = freeProfileName(answers.preset?.key ?? answers.host, takenNames());
    const { profile, errors } = normaliseProfile(name, raw);
    if (profile === undefined) {
      void vscode.window.showErrorMessage(escapeForDisplay(errors.map(translate).join('; ')));
      return { status: 'unavailable', reason: 'the answers do not make a usable profile' };
    }
    const secret = answers.password === '' ? undefined : answers.password;
    for (;;) {
      const result = await runTest(services, profile, secret);
      if (result.ok) {
        await save(services, name, raw, profile, secret);
        void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" works and was added to your user settings; its password is in SecretStorage.', escapeForDisplay(name)));
        return { status: 'added', profile: name };
      }
      if (result.cancelled) return { status: 'cancelled' };
      const retry = vscode.l10n.t('Retry');
      const edit = vscode.l10n.t('Edit');
      const choice = await prompter.choose(vscode.l10n.t('The test of profile "{0}" failed; nothing was saved. {1}', escapeForDisplay(name), result.summary), result.advice, [retry, edit]);
      if (choice === retry) continue;
      if (choice === edit) break;
      return { status: 'cancelled' };
    }
  }
}
