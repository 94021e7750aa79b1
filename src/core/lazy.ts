/**
 * The heavy libraries (YAML, Markdown, the MIME-type table) load only when a draft is checked
 * or composed, never when the extension or the CLI starts: activation and `--help` stay fast.
 * Every use goes through these loaders; the production build keeps each library in its own
 * file beside the bundle (esbuild.js), so it is not even parsed until first needed. Two of
 * our own modules are lazy the same way, because of what they bundle: the syntax highlighter
 * (highlight.js with its languages) and the CSS inliner (juice), needed only for a fenced block
 * that names a language and for a user stylesheet.
 */
import type * as Yaml from 'yaml';
import type MarkdownIt from 'markdown-it';
import type * as MimeTypes from 'mime-types';
import type * as Highlighter from './markdown/highlighter';
import type * as CssInliner from './markdown/css-inliner';
import type * as ImapFlowModule from 'imapflow';
import type * as ChildProcess from 'node:child_process';
import type * as Http from 'node:http';
import type * as Tls from 'node:tls';

/*
 * Each loader keeps its first promise: the bundle turns `import()` into `require()` wrapped in
 * a fresh namespace object per call, and a mail merge asks for YAML and the MIME-type table
 * once per row (thousands of short-lived wrappers otherwise).
 */
let yaml: Promise<typeof Yaml> | undefined;
let markdownIt: Promise<typeof MarkdownIt> | undefined;
let mimeTypes: Promise<typeof MimeTypes> | undefined;

export async function loadYaml(): Promise<typeof Yaml> {
  yaml ??= import('yaml');
  return yaml;
}

export async function loadMarkdownIt(): Promise<typeof MarkdownIt> {
  markdownIt ??= import('markdown-it').then((loaded) => {
    // CommonJS interop: the constructor is the module itself or its `default`, by loader.
    const module = loaded as unknown as typeof MarkdownIt & { readonly default?: typeof MarkdownIt };
    return module.default ?? module;
  });
  return markdownIt;
}

export async function loadMimeTypes(): Promise<typeof MimeTypes> {
  mimeTypes ??= import('mime-types');
  return mimeTypes;
}

/** The IMAP client, only once a copy is filed in the Sent folder (core/imap/save-sent.ts). */
export async function loadImapFlow(): Promise<typeof ImapFlowModule> {
  return import('imapflow');
}

/*
 * Our own lazy modules are required, not imported: the tests run TypeScript through tsx's
 * CommonJS hook, where `import()` of a relative path goes to Node's own loader, which cannot
 * load `.ts`. esbuild makes both forms the same on-demand `require` of the vendor file.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- see above */

export async function loadHighlighter(): Promise<typeof Highlighter> {
  return Promise.resolve(require('./markdown/highlighter') as typeof Highlighter);
}

export async function loadCssInliner(): Promise<typeof CssInliner> {
  return Promise.resolve(require('./markdown/css-inliner') as typeof CssInliner);
}

/*
 * Node's own modules that only some paths need, required on first use (Node caches them): TLS
 * for an encrypted session (a plaintext one never loads it), HTTP for the OAuth loopback
 * redirect, child processes for a token command, a browser or the keyring. Each costs a
 * millisecond or more to load, paid at start-up by every command if imported at the top.
 */

export function nodeTls(): typeof Tls {
  return require('node:tls') as typeof Tls;
}

export function nodeHttp(): typeof Http {
  return require('node:http') as typeof Http;
}

export function nodeChildProcess(): typeof ChildProcess {
  return require('node:child_process') as typeof ChildProcess;
}
