/**
 * What the extension asks VS Code's built-in Microsoft authentication provider for. Pure (no
 * vscode import), so it is unit-tested.
 *
 * The provider (extensions/microsoft-authentication in VS Code) reads two kinds of scope that it
 * never sends to Microsoft: `VSCODE_CLIENT_ID:<application id>` replaces VS Code's own
 * application, and `VSCODE_TENANT:<tenant>` the tenant (its default is `organizations`, which
 * leaves out personal Outlook.com accounts). Everything else goes to the Microsoft identity
 * platform as the scope. VS Code's own application is not authorised for SMTP.Send, so a profile
 * names its own registration (`oauth.clientId`); README, "Signing in with Microsoft or Google".
 */
import { MICROSOFT_SCOPES } from '../../core/oauth/providers';
import type { OAuthSettings } from '../../core/oauth/types';

export const CLIENT_ID_SCOPE = 'VSCODE_CLIENT_ID:';
export const TENANT_SCOPE = 'VSCODE_TENANT:';
/** The default: `common` signs in work, school and personal accounts alike. */
export const DEFAULT_TENANT = 'common';

export function microsoftSessionScopes(oauth: Pick<OAuthSettings, 'clientId' | 'tenant' | 'scopes'>): string[] {
  const scopes = [...(oauth.scopes ?? MICROSOFT_SCOPES)];
  if (oauth.clientId !== undefined) scopes.push(`${CLIENT_ID_SCOPE}${oauth.clientId}`);
  scopes.push(`${TENANT_SCOPE}${oauth.tenant ?? DEFAULT_TENANT}`);
  return scopes;
}
