/** Reading the `oauth` object of a profile: providers, preset defaults, tokenCommand, mistakes. */
import assert from 'node:assert/strict';
import { endpointsFor } from '../../../src/core/oauth/providers';
import { profileUsesOAuth } from '../../../src/core/oauth/profile-oauth';
import { normaliseProfile } from '../../../src/core/profiles';
import type { SmtpProfile } from '../../../src/core/profiles';
import { profileNeedsSecret } from '../../../src/core/send';
import { renderText } from '../../../src/core/text';

function ok(raw: Record<string, unknown>): SmtpProfile {
  const result = normaliseProfile('p', raw);
  assert.ok(result.profile, result.errors.map((e) => renderText(e)).join('; '));
  return result.profile;
}

function errors(raw: Record<string, unknown>): string {
  const result = normaliseProfile('p', raw);
  assert.equal(result.profile, undefined);
  return result.errors.map((e) => renderText(e)).join('; ');
}

describe('profiles with "auth": "oauth2"', () => {
  it('Outlook defaults to Microsoft: tenant "common", SMTP.Send + offline_access, redirect to localhost', () => {
    const profile = ok({ preset: 'outlook', username: 'ann@contoso.com', auth: 'oauth2', oauth: { clientId: 'app-id' } });
    assert.deepEqual(profile.oauth, { provider: 'microsoft', clientId: 'app-id' });
    const endpoints = endpointsFor(profile.oauth ?? { provider: 'custom' }, 'p');
    assert.equal(endpoints.authorizeUrl, 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    assert.equal(endpoints.tokenUrl, 'https://login.microsoftonline.com/common/oauth2/v2.0/token');
    assert.deepEqual(endpoints.scopes, ['https://outlook.office.com/SMTP.Send', 'offline_access']);
    assert.equal(endpoints.redirectHost, 'localhost');
    assert.ok(profileUsesOAuth(profile));
    assert.ok(!profileNeedsSecret(profile), 'no password is asked for an OAuth profile');
  });

  it('Outlook with no oauth object at all still signs in with Microsoft; a tenant is used in the endpoints', () => {
    assert.deepEqual(ok({ preset: 'outlook', username: 'a@b.c', auth: 'oauth2' }).oauth, { provider: 'microsoft' });
    const profile = ok({ preset: 'outlook', username: 'a@b.c', auth: 'oauth2', oauth: { tenant: 'contoso.onmicrosoft.com', clientId: 'x' } });
    assert.match(endpointsFor(profile.oauth ?? { provider: 'custom' }, 'p').tokenUrl, /\/contoso\.onmicrosoft\.com\/oauth2\/v2\.0\/token$/);
  });

  it('Gmail keeps passwords by default; with oauth2 it is Google, which needs a Desktop client id and secret', () => {
    assert.equal(ok({ preset: 'gmail', username: 'a@gmail.com' }).oauth, undefined);
    assert.match(errors({ preset: 'gmail', username: 'a@gmail.com', auth: 'oauth2' }), /needs "oauth.clientId".*needs "oauth.clientSecret"/);
    const profile = ok({ preset: 'gmail', username: 'a@gmail.com', auth: 'oauth2', oauth: { clientId: 'id.apps.googleusercontent.com', clientSecret: 'GOCSPX-x' } });
    const endpoints = endpointsFor(profile.oauth ?? { provider: 'custom' }, 'p');
    assert.deepEqual(endpoints.scopes, ['https://mail.google.com/']);
    assert.deepEqual(endpoints.extraAuthorizeParams, { access_type: 'offline', prompt: 'consent' });
    assert.equal(endpoints.tokenUrl, 'https://oauth2.googleapis.com/token');
  });

  it('custom needs https endpoints (http only on loopback) and a client id', () => {
    assert.match(errors({ host: 'h', username: 'u', auth: 'oauth2', oauth: { provider: 'custom', authorizeUrl: 'http://idp.example/a', tokenUrl: 'https://idp.example/t', clientId: 'c' } }), /"oauth.authorizeUrl" must be an https URL/);
    assert.match(errors({ host: 'h', username: 'u', auth: 'oauth2', oauth: { provider: 'custom' } }), /needs "oauth.clientId".*needs "oauth.authorizeUrl".*needs "oauth.tokenUrl"/);
    const profile = ok({ host: 'h', username: 'u', auth: 'oauth2', oauth: { provider: 'custom', authorizeUrl: 'http://127.0.0.1:8080/a', tokenUrl: 'https://idp.example/t', clientId: 'c', scopes: 'smtp  offline' } });
    assert.deepEqual(profile.oauth?.scopes, ['smtp', 'offline']);
  });

  it('tokenCommand: an argv array, or a string split without a shell; no provider needed', () => {
    assert.deepEqual(ok({ host: 'h', username: 'u', auth: 'oauth2', oauth: { tokenCommand: `pizauth show 'my account'` } }).oauth, { provider: 'custom', tokenCommand: ['pizauth', 'show', 'my account'] });
    assert.deepEqual(ok({ host: 'h', username: 'u', auth: 'xoauth2', oauth: { tokenCommand: ['oauth2ms'] } }).oauth?.tokenCommand, ['oauth2ms']);
    assert.match(errors({ host: 'h', username: 'u', auth: 'oauth2', oauth: { tokenCommand: `x 'unclosed` } }), /tokenCommand/);
  });

  it('"xoauth2" without an oauth object keeps its old meaning (a token typed as the password)', () => {
    const profile = ok({ host: 'h', username: 'u', auth: 'xoauth2' });
    assert.equal(profile.oauth, undefined);
    assert.ok(profileNeedsSecret(profile));
  });

  it('an oauth object with a password auth, or oauth2 without one, is a mistake', () => {
    assert.match(errors({ host: 'h', username: 'u', auth: 'plain', oauth: { provider: 'google' } }), /"oauth" needs "auth": "oauth2"/);
    assert.match(errors({ host: 'h', username: 'u', auth: 'oauth2' }), /needs an "oauth" object/);
    assert.match(errors({ host: 'h', username: 'u', auth: 'oauth2', oauth: { provider: 'yahoo' } }), /"oauth.provider" must be one of/);
  });
});
