/**
 * The steps Send and Save as .eml share: read the draft, check it (problems
 * become diagnostics), choose the profile, compose. Both end with the very same ComposedMessage,
 * so the saved .eml is byte for byte what would be sent.
 */
import * as vscode from 'vscode';
import type { DraftProblem } from '../core/draft/types';
import { identityWith } from '../core/identity';
import type { MessageIdentity } from '../core/identity';
import { escapeForDisplay } from '../core/escape';
import type { ComposedMessage } from '../core/mime/types';
import type { SmtpProfile } from '../core/profiles';
import { checkDraft, composeDraft, resolveSender } from '../core/compose-draft';
import type { CheckedDraft } from '../core/compose-draft';
import { readDraft } from '../host/draft-reader';
import { showPlainFailure } from '../host/failure-message';
import { translate } from '../host/l10n';
import type { DraftDocument } from '../host/draft-reader';
import type { ComposeOverrides } from './arguments';
import { chooseProfile, profileIsOptional } from './choose-profile';
import type { CommandOutcome } from './outcome';
import type { Services } from './services';

export interface PreparedMessage {
  readonly draft: DraftDocument;
  readonly checked: CheckedDraft;
  readonly profile: SmtpProfile | undefined;
  readonly message: ComposedMessage;
}

export type Preparation = { readonly prepared: PreparedMessage } | { readonly outcome: CommandOutcome };

function reportProblems(problems: readonly DraftProblem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  const first = errors[0];
  if (first === undefined) return;
  const showProblems = vscode.l10n.t('Show Problems');
  const problem = escapeForDisplay(translate(first.text));
  const text =
    errors.length === 1
      ? vscode.l10n.t('The draft cannot be sent: line {0}: {1}', first.start.line, problem)
      : vscode.l10n.t('The draft has {0} problems and cannot be sent. First, line {1}: {2}', errors.length, first.start.line, problem);
  void vscode.window.showErrorMessage(text, showProblems).then((choice) => {
    if (choice === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}

function failed(error: unknown, profile: SmtpProfile | undefined): CommandOutcome {
  const explanation = showPlainFailure(error, profile);
  return { status: 'failed', summary: explanation.summary, advice: explanation.advice };
}

/**
 * One identity per message: the overrides (a script's `compose` argument, or the Preview's) fix
 * what they name. Send, Save as .eml and Preview all compose here.
 */
export async function composeChecked(
  checked: CheckedDraft,
  profile: SmtpProfile | undefined,
  overrides: ComposeOverrides,
): Promise<{ readonly message: ComposedMessage; readonly identity: MessageIdentity }> {
  const identity = identityWith(overrides, resolveSender(checked.draft, profile).address);
  return { message: await composeDraft(checked, identity, profile), identity };
}

/**
 * `purpose` "save" needs a profile only to supply the sender, so a draft with `from:` and no
 * profile named anywhere is saved without one; "send" always needs one.
 */
export async function prepareMessage(
  services: Services,
  target: vscode.Uri | undefined,
  purpose: 'send' | 'save',
  overrides: ComposeOverrides = {},
): Promise<Preparation> {
  const draft = await readDraft(target);
  if (draft === undefined) return { outcome: { status: 'unavailable', reason: 'no draft is open' } };

  let result;
  try {
    result = await checkDraft(draft.source);
  } catch (error) {
    return { outcome: failed(error, undefined) };
  }
  services.diagnostics.show(draft.document.uri, result.problems);
  const checked = result.checked;
  if (checked === undefined) {
    reportProblems(result.problems);
    return { outcome: { status: 'invalid', problems: result.problems } };
  }

  const settings = services.settings.current;
  const wanted = checked.draft.profile;
  let profile: SmtpProfile | undefined;
  if (!(purpose === 'save' && profileIsOptional(settings, checked.draft.from !== undefined, wanted))) {
    const choice = await chooseProfile(settings, wanted, vscode.l10n.t('Send with which SMTP profile?'));
    if ('cancelled' in choice) return { outcome: { status: 'cancelled' } };
    if ('unavailable' in choice) return { outcome: { status: 'unavailable', reason: choice.unavailable } };
    profile = choice.profile;
  }

  try {
    const { message } = await composeChecked(checked, profile, overrides);
    return { prepared: { draft, checked, profile, message } };
  } catch (error) {
    return { outcome: failed(error, profile) };
  }
}
