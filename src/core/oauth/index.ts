/** OAuth 2.0 sign-in for SMTP: the public surface (see types.ts). */
export type * from './types';
export { SignInError, isSignInError } from './errors';
export type { SignInReason } from './errors';
export { authorizeWithLoopback, authorizationUrl } from './loopback';
export { refreshGrant } from './refresh';
export { accessTokenFor, grantIsFresh, storedGrant, tokenSourceFor } from './access-token';
export type { OAuthProfile } from './access-token';
export { runTokenCommand, splitCommandLine } from './token-command';
export { endpointsFor, OAUTH_PRESETS } from './providers';
export { grantKey, grantKeyFor } from './grant-key';
export { parseGrant, serialiseGrant } from './grant-codec';
export { profileUsesOAuth, readOAuth } from './profile-oauth';
export { createPkce, s256Challenge } from './pkce';
