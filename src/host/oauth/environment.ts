/**
 * The two places where a sign-in leaves the extension: the browser (`vscode.env.openExternal`)
 * and the VS Code authentication provider that stands for Microsoft. The host tests replace
 * both through the extension API's test hooks (api.ts), which exist only when VS Code runs the
 * extension in development or test mode — never through a setting, which a workspace could set.
 */
import * as vscode from 'vscode';
import { SignInError } from '../../core/oauth/errors';
import { localized } from '../../core/text';

export const MICROSOFT_PROVIDER_ID = 'microsoft';

export class OAuthEnvironment {
  microsoftProviderId: string = MICROSOFT_PROVIDER_ID;
  openBrowser: (url: string) => Promise<void> = openExternal;
}

async function openExternal(url: string): Promise<void> {
  const opened = await vscode.env.openExternal(vscode.Uri.parse(url));
  // The user declined to open the link (VS Code asks for untrusted domains): nothing will come back.
  if (!opened) throw new SignInError('redirect', localized('The browser was not opened, so the sign-in was cancelled.'), undefined);
}

/** What the host tests may change (see api.ts). */
export interface OAuthTestHooks {
  /** The authentication provider used for `provider: "microsoft"`; undefined restores "microsoft". */
  setMicrosoftProvider(id: string | undefined): void;
  /** Receives the authorization URL instead of the browser; undefined restores openExternal. */
  setOpenBrowser(open: ((url: string) => Promise<void>) | undefined): void;
}

export function testHooksFor(environment: OAuthEnvironment): OAuthTestHooks {
  return {
    setMicrosoftProvider: (id) => {
      environment.microsoftProviderId = id ?? MICROSOFT_PROVIDER_ID;
    },
    setOpenBrowser: (open) => {
      environment.openBrowser = open ?? openExternal;
    },
  };
}
