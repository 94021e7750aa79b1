/**
 * The modal before a mail merge sends: how many messages, how fast, through which profile, and
 * to whom the first one goes — or, when a journal of an earlier run exists, how many rows it
 * already sent and that "Resume" sends only the rest. Values from the draft, the data and the
 * settings are shown escaped (core/escape.ts).
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../../core/escape';
import type { SmtpProfile } from '../../core/profiles';

export interface MergeFacts {
  /** The first row's subject, as rendered. */
  readonly subject: string;
  /** Rows this run will send. */
  readonly toSend: number;
  /** Rows in the data (after any limit). */
  readonly rows: number;
  /** Rows the journal already has as sent, as failed for good, or as unknown (started, no reply). */
  readonly alreadySent: number;
  readonly failedBefore: number;
  readonly unknown: number;
  /** Rows whose rendered draft has an error: skipped. */
  readonly invalid: number;
  readonly ratePerMinute: number | undefined;
  readonly profile: SmtpProfile;
  /** The first To of the first row to send. */
  readonly firstRecipient: string;
  readonly journal: string;
  /** The journal exists: this run resumes an earlier one. */
  readonly resume: boolean;
  /** The rows' and the data's problems, one line each (`DATA:ROW: column: message`). */
  readonly problems: readonly string[];
}

const SHOWN_PROBLEMS = 3;

export function rateText(ratePerMinute: number | undefined, messages: number): string {
  if (ratePerMinute === undefined) return vscode.l10n.t('Rate: no limit (a custom server)');
  const minutes = Math.ceil(messages / ratePerMinute);
  return vscode.l10n.t('Rate: at most {0} messages a minute (about {1} min for {2} messages)', Math.round(ratePerMinute * 100) / 100, minutes, messages);
}

export function mergeDetail(facts: MergeFacts): string {
  const { profile } = facts;
  const lines = [
    vscode.l10n.t('Rows: {0}', facts.rows),
    facts.resume ? vscode.l10n.t('Already sent (journal): {0}', facts.alreadySent) : undefined,
    facts.failedBefore > 0 ? vscode.l10n.t('Refused for good in an earlier run, not tried again: {0}', facts.failedBefore) : undefined,
    facts.unknown > 0 ? vscode.l10n.t('Unknown (an earlier run ended before the reply; may have been delivered), not sent again: {0}', facts.unknown) : undefined,
    facts.invalid > 0 ? vscode.l10n.t('With problems, skipped: {0}', facts.invalid) : undefined,
    ...facts.problems.slice(0, SHOWN_PROBLEMS).map((line) => `  ${escapeForDisplay(line)}`),
    facts.problems.length > SHOWN_PROBLEMS ? `  ${vscode.l10n.t('and {0} more (in the protocol log)', facts.problems.length - SHOWN_PROBLEMS)}` : undefined,
    vscode.l10n.t('To send now: {0}', facts.toSend),
    rateText(facts.ratePerMinute, facts.toSend),
    vscode.l10n.t('Through profile "{0}": {1}:{2} ({3})', escapeForDisplay(profile.name), escapeForDisplay(profile.host), profile.port, profile.security),
    vscode.l10n.t('First recipient: {0}', escapeForDisplay(facts.firstRecipient)),
    vscode.l10n.t('Journal: {0}', escapeForDisplay(facts.journal)),
  ];
  return lines.filter((line): line is string => line !== undefined).join('\n');
}

/** True when the user chose Send (or Resume). */
export async function confirmMerge(facts: MergeFacts): Promise<boolean> {
  const subject = facts.subject === '' ? vscode.l10n.t('(no subject)') : escapeForDisplay(facts.subject);
  const go = facts.resume ? vscode.l10n.t('Resume') : vscode.l10n.t('Send');
  const question = facts.resume
    ? vscode.l10n.t('Resume the mail merge "{0}": send the {1} remaining message(s)?', subject, facts.toSend)
    : vscode.l10n.t('Send the mail merge "{0}": {1} message(s), one per row?', subject, facts.toSend);
  const choice = await vscode.window.showWarningMessage(question, { modal: true, detail: mergeDetail(facts) }, go);
  return choice === go;
}
