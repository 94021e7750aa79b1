/**
 * The extension API's `oauth` part (api.ts): where a profile's sign-in is kept and whether it
 * is signed in — never a token — and, only when VS Code runs the extension in development or
 * test mode, the hooks the host tests use to stand in for the browser and for Microsoft.
 */
import type { Settings } from '../settings';
import { testHooksFor } from './environment';
import type { OAuthEnvironment, OAuthTestHooks } from './environment';
import type { OAuthSignIn } from './sign-in';

export interface OAuthApi {
  /** The SecretStorage key the named profile's grant (or Microsoft sign-in) lives under; undefined if no such usable profile. */
  grantKeyFor(profileName: string): Promise<string | undefined>;
  /** Whether the named profile can get an access token without asking (signed in, or a tokenCommand). */
  isSignedIn(profileName: string): Promise<boolean>;
  /** Present only in development and test mode (`ExtensionMode`), never in an installed extension. */
  readonly testHooks: OAuthTestHooks | undefined;
}

/** `signIn` is loaded on first use (the OAuth code stays out of the extension's start). */
export function createOAuthApi(settings: Settings, signIn: () => Promise<OAuthSignIn>, environment: OAuthEnvironment, testMode: boolean): OAuthApi {
  return {
    grantKeyFor: async (name) => {
      const profile = settings.current.profiles.get(name);
      return profile === undefined ? undefined : (await signIn()).keyFor(profile);
    },
    isSignedIn: async (name) => {
      const profile = settings.current.profiles.get(name);
      return profile === undefined ? false : (await signIn()).isSignedIn(profile);
    },
    testHooks: testMode ? testHooksFor(environment) : undefined,
  };
}
