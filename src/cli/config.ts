/**
 * The command line's configuration file: `{ "profiles": { NAME: PROFILE }, "defaultProfile": NAME }`.
 * Default location: $SEND_AS_EMAIL_CONFIG, else $XDG_CONFIG_HOME/send-as-email/config.json,
 * else ~/.config/send-as-email/config.json.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../core/errors';
import { errnoOf, isRecord } from '../core/guards';
import { normaliseProfile } from '../core/profiles';
import type { SmtpProfile } from '../core/profiles';
import type { MarkdownRenderOptions } from '../core/markdown/types';
import { localized, renderText } from '../core/text';
import { readRenderConfig } from './render-config';

export interface CliConfig {
  readonly path: string;
  /** False when no file exists at the default location (an explicit --config must exist). */
  readonly found: boolean;
  readonly profiles: ReadonlyMap<string, SmtpProfile>;
  readonly defaultProfile: string | undefined;
  /** `stylesheet` and `markdown.breaks` (render-config.ts). */
  readonly render: MarkdownRenderOptions;
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['SEND_AS_EMAIL_CONFIG']) return env['SEND_AS_EMAIL_CONFIG'];
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'send-as-email', 'config.json');
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function loadConfig(explicitPath: string | undefined): Promise<CliConfig> {
  const path = explicitPath ?? defaultConfigPath();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (explicitPath === undefined && errnoOf(error) === 'ENOENT') {
      return { path, found: false, profiles: new Map(), defaultProfile: undefined, render: { breaks: true, stylesheet: undefined } };
    }
    throw new ConfigError(localized('Cannot read the config file {0}: {1}', path, reasonOf(error)), error);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(localized('The config file {0} is not valid JSON: {1}', path, reasonOf(error)), error);
  }
  if (!isRecord(raw)) throw new ConfigError(localized('The config file {0} must hold a JSON object.', path));
  const profilesRaw = raw['profiles'] ?? {};
  if (!isRecord(profilesRaw)) throw new ConfigError(localized('"profiles" in {0} must be an object of name → profile.', path));
  const profiles = new Map<string, SmtpProfile>();
  const errors: string[] = [];
  for (const [name, value] of Object.entries(profilesRaw)) {
    const result = normaliseProfile(name, value);
    if (result.profile !== undefined) profiles.set(name, result.profile);
    // The command line speaks English: its sentences are rendered here, once.
    errors.push(...result.errors.map((error) => renderText(error)));
  }
  if (errors.length > 0) throw new ConfigError(localized('Problems in the config file {0}: {1}', path, errors.join('; ')));
  const defaultProfile = raw['defaultProfile'];
  if (defaultProfile !== undefined && typeof defaultProfile !== 'string') throw new ConfigError(localized('"defaultProfile" in {0} must be a string.', path));
  return { path, found: true, profiles, defaultProfile, render: readRenderConfig(raw, path) };
}

/** The profile named on the command line, else the draft's, else the default, else the only one. */
export function pickProfile(config: CliConfig, ...names: ReadonlyArray<string | undefined>): SmtpProfile {
  const wanted = names.find((n) => n !== undefined) ?? config.defaultProfile;
  if (wanted !== undefined) {
    const profile = config.profiles.get(wanted);
    if (profile === undefined) {
      const known = [...config.profiles.keys()];
      throw new ConfigError(
        known.length > 0
          ? localized('No profile "{0}" in {1} (known: {2}).', wanted, config.path, known.join(', '))
          : localized('No profile "{0}" in {1}.', wanted, config.path),
      );
    }
    return profile;
  }
  const only = [...config.profiles.values()];
  if (only.length === 1 && only[0] !== undefined) return only[0];
  if (only.length === 0) {
    throw new ConfigError(
      config.found
        ? localized('No SMTP profile is configured in {0}.', config.path)
        : localized('No SMTP profile is configured: create {0} (see README, "Command line").', config.path),
    );
  }
  throw new ConfigError(localized('Several profiles in {0}: choose one with --profile, "profile:" in the draft, or "defaultProfile".', config.path));
}
