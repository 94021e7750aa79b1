/**
 * Setting up a profile: the offer made when a command needs a profile and none exists (it runs
 * "Add SMTP Profile…", which writes nothing until the profile has passed a live test), and the
 * prompts that wizard asks through. The prompts are an interface so a script or a test can
 * answer them; VS Code's quick input is the one real implementation.
 */
import * as vscode from 'vscode';
import { SECTION } from './settings';

/** The id of "Add SMTP Profile…" (host cannot import commands/command-ids.ts; a host test checks both agree). */
const ADD_PROFILE_COMMAND = 'sendAsEmail.addProfile';

/** Non-blocking: the command that needed a profile has already stopped. */
export function offerProfileSetup(): void {
  const add = vscode.l10n.t('Add SMTP Profile…');
  const open = vscode.l10n.t('Open Settings');
  void vscode.window
    .showWarningMessage(vscode.l10n.t('No SMTP profile is set up yet. Add one: choose your provider, enter your address and password, and it is tested before it is saved.'), add, open)
    .then((choice) => {
      if (choice === add) void vscode.commands.executeCommand(ADD_PROFILE_COMMAND);
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.profiles`);
    });
}

export interface WizardStep {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

export interface WizardItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

export interface WizardInput {
  readonly prompt: string;
  readonly value: string;
  readonly placeholder?: string;
  readonly password?: boolean;
  /** An error sentence, or undefined when the value is acceptable. */
  readonly validate?: (value: string) => string | undefined;
  /** A button that opens a web page (the provider's app-password page). */
  readonly link?: { readonly tooltip: string; readonly url: string };
}

/** Every answer may be undefined: the user pressed Escape, and the wizard stops writing nothing. */
export interface WizardPrompter {
  pick<T>(step: WizardStep, placeholder: string, items: ReadonlyArray<WizardItem<T>>): Promise<T | undefined>;
  input(step: WizardStep, input: WizardInput): Promise<string | undefined>;
  /** A modal question with buttons; the chosen button's text. */
  choose(message: string, detail: string, actions: readonly string[]): Promise<string | undefined>;
}

function stepTitle(step: WizardStep): Pick<vscode.QuickInput, 'title' | 'step' | 'totalSteps' | 'ignoreFocusOut'> {
  return { title: step.title, step: step.step, totalSteps: step.totalSteps, ignoreFocusOut: true };
}

/** Resolves once with the first answer; hiding the widget (Escape) answers undefined. */
function settle<T>(widget: vscode.QuickInput, wire: (done: (value: T | undefined) => void) => vscode.Disposable[]): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve) => {
    let settled = false;
    const disposables: vscode.Disposable[] = [];
    const done = (value: T | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      for (const disposable of disposables) disposable.dispose();
      widget.dispose();
    };
    disposables.push(...wire(done), widget.onDidHide(() => done(undefined)));
    widget.show();
  });
}

export const quickInputPrompter: WizardPrompter = {
  pick<T>(step: WizardStep, placeholder: string, items: ReadonlyArray<WizardItem<T>>): Promise<T | undefined> {
    const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { readonly value: T }>();
    Object.assign(quickPick, stepTitle(step), { placeholder, items: items.map((item) => ({ ...item })) });
    return settle<T>(quickPick, (done) => [quickPick.onDidAccept(() => done(quickPick.selectedItems[0]?.value))]);
  },

  input(step: WizardStep, input: WizardInput): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    Object.assign(box, stepTitle(step), { prompt: input.prompt, value: input.value, password: input.password === true });
    if (input.placeholder !== undefined) box.placeholder = input.placeholder;
    const link = input.link;
    if (link !== undefined) box.buttons = [{ iconPath: new vscode.ThemeIcon('link-external'), tooltip: link.tooltip }];
    return settle<string>(box, (done) => [
      box.onDidChangeValue((value) => {
        box.validationMessage = input.validate?.(value);
      }),
      box.onDidAccept(() => {
        const problem = input.validate?.(box.value);
        box.validationMessage = problem;
        if (problem === undefined) done(box.value);
      }),
      box.onDidTriggerButton(() => {
        if (link !== undefined) void vscode.env.openExternal(vscode.Uri.parse(link.url));
      }),
    ]);
  },

  async choose(message: string, detail: string, actions: readonly string[]): Promise<string | undefined> {
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
  },
};
