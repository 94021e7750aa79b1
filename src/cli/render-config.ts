/**
 * The config file's keys for how Markdown drafts become HTML, the same as the extension's
 * settings: `"stylesheet"` (a CSS file; a relative path starts at the config file's folder,
 * `~/…` at the home folder) and `"markdown": { "breaks": false }` (default true).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../core/errors';
import { isRecord } from '../core/guards';
import type { MarkdownRenderOptions } from '../core/markdown/types';
import { localized } from '../core/text';

export function readRenderConfig(raw: Readonly<Record<string, unknown>>, path: string): MarkdownRenderOptions {
  const stylesheet = raw['stylesheet'];
  if (stylesheet !== undefined && typeof stylesheet !== 'string') throw new ConfigError(localized('"stylesheet" in {0} must be the path of a CSS file.', path));
  const markdown = raw['markdown'] ?? {};
  if (!isRecord(markdown)) throw new ConfigError(localized('"markdown" in {0} must be an object such as {1}.', path, '{ "breaks": true }'));
  const breaks = markdown['breaks'];
  if (breaks !== undefined && typeof breaks !== 'boolean') throw new ConfigError(localized('"markdown.breaks" in {0} must be true or false.', path));
  const written = stylesheet === undefined || stylesheet === '' ? undefined : stylesheet;
  // `~` is expanded by the one rule for local files; a relative path means beside the config file.
  const located = written === undefined || written === '~' || /^~[/\\]/.test(written) || isAbsolute(written) ? written : resolve(dirname(path), written);
  return { breaks: breaks ?? true, stylesheet: located };
}
