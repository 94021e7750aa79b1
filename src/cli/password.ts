/**
 * The password for the command line: from SEND_AS_EMAIL_PASSWORD, or asked on the terminal with
 * no echo. Never from an argument (arguments show in `ps` and shell history).
 */
import { escapeForDisplay } from '../core/escape';
import { SetupError } from '../core/errors';
import type { SmtpProfile } from '../core/profiles';
import { tokenSourceFor } from '../core/oauth/access-token';
import { profileUsesOAuth } from '../core/oauth/profile-oauth';
import type { OAuthLog, TokenSource } from '../core/oauth/types';
import { profileNeedsSecret } from '../core/send';
import { localized } from '../core/text';
import { chooseGrantStore } from './grant-store';

/**
 * What a session authenticates with: for an OAuth profile, tokens from the keyring or the sign-in
 * file (grant-store.ts), or the profile's tokenCommand — no password is asked; otherwise the
 * password, if AUTH needs one.
 */
export async function sessionCredentials(
  profile: SmtpProfile,
  log: OAuthLog,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ readonly secret: string | undefined; readonly tokenSource: TokenSource | undefined }> {
  if (profileUsesOAuth(profile)) return { secret: undefined, tokenSource: tokenSourceFor(profile, await chooseGrantStore(), { signal: undefined, log }) };
  return { secret: profileNeedsSecret(profile) ? await readPassword(profile, env) : undefined, tokenSource: undefined };
}

export async function readPassword(profile: Pick<SmtpProfile, 'name' | 'username' | 'host'>, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env['SEND_AS_EMAIL_PASSWORD'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const input = process.stdin;
  if (!input.isTTY) {
    throw new SetupError('no-password', localized('Profile "{0}" needs a password for {1}, and none was given.', profile.name, profile.username ?? ''));
  }
  process.stderr.write(escapeForDisplay(`Password for ${profile.username ?? ''} at ${profile.host}: `));
  return new Promise<string>((resolve, reject) => {
    let password = '';
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const finish = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('data', onData);
      process.stderr.write('\n');
      if (error === undefined) resolve(password);
      else reject(error);
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new SetupError('no-password', localized('Cancelled: no password was given for profile "{0}".', profile.name)));
        if (char === '\u007f' || char === '\b') password = password.slice(0, -1);
        else password += char;
      }
    };
    input.on('data', onData);
  });
}
