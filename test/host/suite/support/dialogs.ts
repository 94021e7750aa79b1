/**
 * Dialogs captured and answered by a test. The suites run in the extension's own host, where
 * `vscode.window` is the very object the extension calls, so replacing `showErrorMessage` for
 * one test sees exactly what the user would see, and answers as a click would.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Replaces one member of a VS Code namespace object for the duration of `body`. */
export async function replacing<T extends object, R>(target: T, key: string, descriptor: PropertyDescriptor, body: () => Promise<R>): Promise<R> {
  const original = Object.getOwnPropertyDescriptor(target, key);
  assert.ok(original, `vscode has no ${key}`);
  Object.defineProperty(target, key, { ...descriptor, configurable: true });
  try {
    return await body();
  } finally {
    Object.defineProperty(target, key, original);
  }
}

export interface Shown {
  readonly message: string;
  readonly buttons: readonly string[];
}

/** Runs `body` with `showXMessage` answered by `answer` (undefined: Escape), recording what was shown. */
export async function answering<R>(
  kind: 'showInformationMessage' | 'showErrorMessage' | 'showWarningMessage',
  answer: (shown: Shown) => string | undefined,
  body: () => Promise<R>,
): Promise<{ result: R; shown: Shown[] }> {
  const shown: Shown[] = [];
  const fake = (message: string, ...rest: unknown[]): Thenable<string | undefined> => {
    const buttons = rest.filter((item): item is string => typeof item === 'string');
    const entry = { message, buttons };
    shown.push(entry);
    return Promise.resolve(answer(entry));
  };
  const result = await replacing(vscode.window, kind, { value: fake, writable: true }, body);
  return { result, shown };
}
