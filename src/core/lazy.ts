/**
 * The heavy libraries (YAML, Markdown, the MIME-type table) load only when a draft is checked
 * or composed, never when the extension or the CLI starts: activation and `--help` stay fast.
 * Every use goes through these loaders; the production build keeps each library in its own
 * file beside the bundle (esbuild.js), so it is not even parsed until first needed.
 */
import type * as Yaml from 'yaml';
import type MarkdownIt from 'markdown-it';
import type * as MimeTypes from 'mime-types';

export async function loadYaml(): Promise<typeof Yaml> {
  return import('yaml');
}

export async function loadMarkdownIt(): Promise<typeof MarkdownIt> {
  // CommonJS interop: the constructor is the module itself or its `default`, by loader.
  const module = (await import('markdown-it')) as unknown as typeof MarkdownIt & { readonly default?: typeof MarkdownIt };
  return module.default ?? module;
}

export async function loadMimeTypes(): Promise<typeof MimeTypes> {
  return import('mime-types');
}
