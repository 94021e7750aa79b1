// What the extension asks VS Code's built-in Microsoft provider for: the SMTP scope and a refresh
// token, plus the two scopes that provider reads itself and never sends (its own application id
// and tenant are replaced by the profile's).
import assert from 'node:assert/strict';
import { microsoftSessionScopes } from '../../../src/host/oauth/microsoft-scopes';

describe('host-oauth: scopes for VS Code\'s Microsoft provider', () => {
  it('asks for SMTP.Send and offline_access with the profile\'s application, in tenant "common" by default', () => {
    assert.deepEqual(microsoftSessionScopes({ clientId: 'app-id' }), [
      'https://outlook.office.com/SMTP.Send',
      'offline_access',
      'VSCODE_CLIENT_ID:app-id',
      'VSCODE_TENANT:common',
    ]);
  });

  it('takes the tenant and the scopes the profile names', () => {
    assert.deepEqual(microsoftSessionScopes({ clientId: 'app-id', tenant: 'contoso.onmicrosoft.com', scopes: ['https://outlook.office.com/SMTP.Send'] }), [
      'https://outlook.office.com/SMTP.Send',
      'VSCODE_CLIENT_ID:app-id',
      'VSCODE_TENANT:contoso.onmicrosoft.com',
    ]);
  });

  it('leaves the application to VS Code when the profile names none (still in tenant "common")', () => {
    assert.deepEqual(microsoftSessionScopes({}), ['https://outlook.office.com/SMTP.Send', 'offline_access', 'VSCODE_TENANT:common']);
  });
});
