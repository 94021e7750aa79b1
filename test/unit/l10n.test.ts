/**
 * Every sentence a user can read is translatable, and Simplified Chinese is complete.
 *
 * Core builds sentences as LocalizedText with `localized('template', …)`; explain.ts formats
 * through a translator `t('template', …)`; the extension calls `vscode.l10n.t('template', …)`.
 * This test finds every such template in src/ and requires a zh-CN entry with the same {n}
 * placeholders. It also fails when a sentence bypasses that machinery: a `localized(` or
 * `l10n.t(` whose template is not a literal (the scanner could not see it), or a VS Code
 * message, title or prompt given a bare string.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** A single-quoted TypeScript string literal's value. */
function unquote(literal: string): string {
  return literal.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_whole, escape: string) => {
    if (escape.startsWith('u{')) return String.fromCodePoint(parseInt(escape.slice(2, -1), 16));
    if (escape.startsWith('u') && escape.length === 5) return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (escape.startsWith('x') && escape.length === 3) return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (escape === 'n') return '\n';
    return escape;
  });
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

/** Calls whose first argument is a user-visible template. */
const TEMPLATE_CALL = /\b(localized|l10n\.t|(?<![\w])(?:[a-z]\.)?t)\(\s*/g;

interface Found {
  readonly file: string;
  readonly template?: string;
  readonly problem?: string;
}

function scan(file: string): Found[] {
  const text = readFileSync(file, 'utf8');
  const where = relative(ROOT, file);
  const found: Found[] = [];
  for (const match of text.matchAll(TEMPLATE_CALL)) {
    const rest = text.slice((match.index ?? 0) + match[0].length);
    const literal = /^'((?:[^'\\\n]|\\.)*)'/.exec(rest);
    if (literal !== null) {
      found.push({ file: where, template: unquote(literal[1] ?? '') });
      continue;
    }
    // `t(template, ...args)` inside the formatter itself and `l10n.t(text.template, …)` when a
    // LocalizedText is rendered are the only non-literal uses, and they carry a LocalizedText
    // whose literal was found where it was made.
    if (/^(template\b|text\.template\b|problem\.text\.template\b|[a-zA-Z.]*\.text\.template\b|\.\.\.)/.test(rest)) continue;
    if (match[1] === 't' && /^\)/.test(rest)) continue;
    found.push({ file: where, problem: `${match[1] ?? ''}(${rest.slice(0, 40).split('\n')[0] ?? ''}…) does not take a literal template` });
  }
  return found;
}

describe('localisation', () => {
  const files = sourceFiles(SRC);
  const found = files.flatMap(scan);
  const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

  it('finds the templates (the scanner works)', () => {
    assert.ok(found.filter((f) => f.template !== undefined).length > 150, `only ${found.length} templates found`);
  });

  it('every template is a literal the scanner can see', () => {
    assert.deepEqual(found.filter((f) => f.problem !== undefined).map((f) => `${f.file}: ${f.problem}`), []);
  });

  it('has a zh-CN translation with the same placeholders for every template', () => {
    const templates = [...new Set(found.flatMap((f) => (f.template === undefined ? [] : [f.template])))];
    const missing = templates.filter((t) => bundle[t] === undefined);
    assert.deepEqual(missing, [], `${missing.length} templates have no zh-CN entry`);
    const mismatched = templates.filter((t) => bundle[t] !== undefined && placeholders(bundle[t] ?? '').join() !== placeholders(t).join());
    assert.deepEqual(mismatched, []);
  });

  it('shows no bare string in a VS Code message, title, prompt or placeholder', () => {
    const bare: string[] = [];
    for (const file of files.filter((f) => /[\\/](host|commands)[\\/]/.test(f) || f.endsWith('extension.ts'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(show(?:Error|Warning|Information)Message\(\s*|\b(?:title|prompt|placeHolder|detail|label|description):\s*)(['"`])/g)) {
        bare.push(`${relative(ROOT, file)}: ${m[0]}`);
      }
    }
    assert.deepEqual(bare, []);
  });

  it('package.nls.zh-cn.json translates every key of package.nls.json', () => {
    const en = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const zh = JSON.parse(readFileSync(join(ROOT, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(en).filter((k) => zh[k] === undefined), []);
    assert.deepEqual(Object.keys(zh).filter((k) => en[k] === undefined), []);
  });
});
