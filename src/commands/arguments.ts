/**
 * Command arguments. Menus call with a Uri (editor title, Explorer: `(uri, selectedUris)`);
 * code may instead pass one options object, documented per command:
 *   sendAsEmail.send           { uri?: Uri | string, signal?: AbortSignal, compose?: ComposeArguments }
 *   sendAsEmail.saveEml        { uri?: Uri | string, target?: Uri | string, compose?: ComposeArguments }
 *                              (target skips the save dialog)
 *   sendAsEmail.setPassword    { profile?: string, password?: string }
 *   sendAsEmail.forgetPassword { profile?: string }                          (no confirmation)
 *   sendAsEmail.testProfile    { profile?: string, signal?: AbortSignal, pin?: boolean }
 *                              (pin: true pins the certificate shown without asking)
 * A string path is taken as a file path. `compose` fixes what is otherwise fresh per message —
 * `{ messageId?: '<id@host>', date?: ISO string | epoch ms, boundaryPrefix?: string }` — so a
 * script (or a test) can produce the same bytes twice, e.g. an .eml identical to what was sent.
 */
import * as vscode from 'vscode';
import { isRecord } from '../core/guards';

function toUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value !== '') return vscode.Uri.file(value);
  return undefined;
}

/** The values a script fixes in the message identity (core/identity.ts `identityWith`). */
export interface ComposeOverrides {
  readonly messageId?: string;
  readonly date?: Date;
  readonly boundary?: (depth: number) => string;
}

function composeOverrides(value: unknown): ComposeOverrides | undefined {
  if (!isRecord(value)) return undefined;
  const messageId = typeof value['messageId'] === 'string' ? value['messageId'] : undefined;
  const rawDate = value['date'];
  const date = typeof rawDate === 'string' || typeof rawDate === 'number' ? new Date(rawDate) : undefined;
  const prefix = typeof value['boundaryPrefix'] === 'string' ? value['boundaryPrefix'] : undefined;
  let count = 0;
  return {
    ...(messageId === undefined ? {} : { messageId }),
    ...(date === undefined || Number.isNaN(date.getTime()) ? {} : { date }),
    // A counter as well as the depth: every multipart needs its own boundary (RFC 2046 5.1.1).
    ...(prefix === undefined ? {} : { boundary: (depth: number) => `${prefix}-${depth}-${count++}` }),
  };
}

export interface CommandArguments {
  readonly uri?: vscode.Uri;
  readonly target?: vscode.Uri;
  readonly profile?: string;
  readonly password?: string;
  readonly signal?: AbortSignal;
  readonly compose?: ComposeOverrides;
  readonly pin?: boolean;
  /** True when called with an options object, i.e. from code rather than a menu or the palette. */
  readonly programmatic: boolean;
}

export function parseArguments(first: unknown): CommandArguments {
  const asUri = toUri(first instanceof vscode.Uri ? first : undefined);
  if (asUri !== undefined) return { uri: asUri, programmatic: false };
  if (!isRecord(first)) return { programmatic: false };
  const uri = toUri(first['uri']);
  const target = toUri(first['target']);
  const profile = typeof first['profile'] === 'string' ? first['profile'] : undefined;
  const password = typeof first['password'] === 'string' ? first['password'] : undefined;
  const signal = first['signal'] instanceof AbortSignal ? first['signal'] : undefined;
  const compose = composeOverrides(first['compose']);
  const pin = first['pin'] === true;
  return {
    ...(uri === undefined ? {} : { uri }),
    ...(target === undefined ? {} : { target }),
    ...(profile === undefined ? {} : { profile }),
    ...(password === undefined ? {} : { password }),
    ...(signal === undefined ? {} : { signal }),
    ...(compose === undefined ? {} : { compose }),
    ...(pin ? { pin } : {}),
    programmatic: true,
  };
}
