/**
 * The command line's configuration file: `{ "profiles": { NAME: PROFILE }, "defaultProfile": NAME }`.
 * Default location: $SEND_AS_EMAIL_CONFIG, else $XDG_CONFIG_HOME/send-as-email/config.json,
 * else ~/.config/send-as-email/config.json.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { normaliseProfile } from '../core/profiles';
import type { SmtpProfile } from '../core/profiles';

export class ConfigError extends Error {
  override get name(): string {
    return 'ConfigError';
  }
}

export interface CliConfig {
  readonly path: string;
  /** False when no file exists at the default location (an explicit --config must exist). */
  readonly found: boolean;
  readonly profiles: ReadonlyMap<string, SmtpProfile>;
  readonly defaultProfile?: string;
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['SEND_AS_EMAIL_CONFIG']) return env['SEND_AS_EMAIL_CONFIG'];
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'send-as-email', 'config.json');
}

export async function loadConfig(explicitPath: string | undefined): Promise<CliConfig> {
  const path = explicitPath ?? defaultConfigPath();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (explicitPath === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { path, found: false, profiles: new Map() };
    }
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`config file ${path} must hold a JSON object`);
  const record = raw as Record<string, unknown>;
  const profilesRaw = record['profiles'] ?? {};
  if (typeof profilesRaw !== 'object' || profilesRaw === null || Array.isArray(profilesRaw)) {
    throw new ConfigError(`"profiles" in ${path} must be an object of name → profile`);
  }
  const profiles = new Map<string, SmtpProfile>();
  const errors: string[] = [];
  for (const [name, value] of Object.entries(profilesRaw as Record<string, unknown>)) {
    const result = normaliseProfile(name, value);
    if (result.profile !== undefined) profiles.set(name, result.profile);
    errors.push(...result.errors);
  }
  if (errors.length > 0) throw new ConfigError(`${path}: ${errors.join('; ')}`);
  const defaultProfile = record['defaultProfile'];
  if (defaultProfile !== undefined && typeof defaultProfile !== 'string') throw new ConfigError(`"defaultProfile" in ${path} must be a string`);
  return { path, found: true, profiles, ...(defaultProfile === undefined ? {} : { defaultProfile }) };
}

/** The profile named on the command line, else the draft's, else the default, else the only one. */
export function pickProfile(config: CliConfig, ...names: ReadonlyArray<string | undefined>): SmtpProfile {
  const wanted = names.find((n) => n !== undefined) ?? config.defaultProfile;
  if (wanted !== undefined) {
    const profile = config.profiles.get(wanted);
    if (profile === undefined) {
      const known = [...config.profiles.keys()];
      throw new ConfigError(`no profile "${wanted}" in ${config.path}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`);
    }
    return profile;
  }
  const only = [...config.profiles.values()];
  if (only.length === 1 && only[0] !== undefined) return only[0];
  if (only.length === 0) {
    throw new ConfigError(`no SMTP profile configured${config.found ? ` in ${config.path}` : `: create ${config.path} (see README, "Command line")`}`);
  }
  throw new ConfigError(`several profiles in ${config.path}: choose one with --profile, "profile:" in the draft, or "defaultProfile"`);
}
