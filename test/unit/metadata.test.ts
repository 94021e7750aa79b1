/**
 * The package agrees with itself (after vscode-markdownlint's metadata test). The README is what
 * a user reads in the Extensions view, so it must document exactly the commands, settings,
 * profile fields, draft keys, CLI options and command outcomes that exist; package.json's titles
 * must exist in every language; CHANGELOG's top entry must be the version being shipped; and
 * every image and link the README uses must ship in the .vsix. Without this test the README
 * drifted within one release (outcomes documented with `kind` instead of `status`, a screenshot
 * excluded by .vscodeignore, "Unreleased" for a shipped version).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Record<string, unknown> {
  assert.ok(isRecord(value), `${what} is an object`);
  return value;
}

const packageJson = record(JSON.parse(read('package.json')), 'package.json');
const contributes = record(packageJson['contributes'], 'contributes');
const nls = record(JSON.parse(read('package.nls.json')), 'package.nls.json');
const nlsZh = record(JSON.parse(read('package.nls.zh-cn.json')), 'package.nls.zh-cn.json');
const readme = read('README.md');

// --- Markdown, just enough of it -------------------------------------------------------------

/** The lines under `heading` (exact text, e.g. "## Commands") up to the next heading of its level or above. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `the README has a "${heading}" heading`);
  const level = /^#+/.exec(heading)?.[0].length ?? 1;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const match = /^(#+) /.exec(lines[end] ?? '');
    if (match?.[1] !== undefined && match[1].length <= level) break;
  }
  return lines.slice(start + 1, end).join('\n');
}

/** Cells of a GFM table row: split on `|` not escaped as `\|`. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

interface Table {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

/** Every table in `text`, in order. */
function tables(text: string): Table[] {
  const found: Table[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i] ?? '';
    const separator = lines[i + 1] ?? '';
    if (!header.startsWith('|') || !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(separator)) continue;
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && (lines[j] ?? '').startsWith('|'); j++) rows.push(cells(lines[j] ?? ''));
    found.push({ header: cells(header), rows });
    i = j - 1;
  }
  return found;
}

/** The one table under `heading` whose first header cell is `firstColumn`. */
function tableUnder(heading: string, firstColumn: string): Table {
  const matching = tables(section(readme, heading)).filter((t) => t.header[0] === firstColumn);
  assert.equal(matching.length, 1, `one table starting with column "${firstColumn}" under "${heading}"`);
  return matching[0] as Table;
}

/** The contents of every code span in a cell: "`a`, `b`" → ["a", "b"]. */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
}

function column(table: Table, name: string): number {
  const index = table.header.indexOf(name);
  assert.ok(index >= 0, `table has a "${name}" column (has: ${table.header.join(', ')})`);
  return index;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** Links and images in Markdown and HTML: `[t](x)`, `![t](x)`, `<img src="x">`, `<x>` autolinks excluded. */
function links(markdown: string): Array<{ readonly target: string; readonly image: boolean }> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const found: Array<{ target: string; image: boolean }> = [];
  for (const m of withoutCode.matchAll(/(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    found.push({ target: m[2] ?? '', image: m[1] === '!' });
  }
  for (const m of withoutCode.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)) found.push({ target: m[1] ?? '', image: true });
  return found;
}

const isRelative = (target: string): boolean => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');

// --- package.json ------------------------------------------------------------------------------

interface ContributedCommand {
  readonly command: string;
  readonly title: string;
  readonly category: string | undefined;
}

function contributedCommands(): ContributedCommand[] {
  const list = contributes['commands'];
  assert.ok(Array.isArray(list), 'contributes.commands is an array');
  return list.map((entry: unknown) => {
    const item = record(entry, 'a contributed command');
    assert.equal(typeof item['command'], 'string');
    assert.equal(typeof item['title'], 'string');
    const category = item['category'];
    return { command: item['command'] as string, title: item['title'] as string, category: typeof category === 'string' ? category : undefined };
  });
}

function settingsSchema(): Record<string, Record<string, unknown>> {
  const configuration = record(contributes['configuration'], 'contributes.configuration');
  const properties = record(configuration['properties'], 'contributes.configuration.properties');
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, record(value, key)]));
}

/** A profile's fields, nested objects flattened: `tls.ca`, `tls.allowSelfSigned`, … */
function profileFields(): Map<string, Record<string, unknown>> {
  const profiles = settingsSchema()['sendAsEmail.profiles'];
  assert.ok(profiles !== undefined, 'sendAsEmail.profiles is contributed');
  const profile = record(profiles['additionalProperties'], 'the profile schema');
  const fields = new Map<string, Record<string, unknown>>();
  const walk = (properties: Record<string, unknown>, prefix: string): void => {
    for (const [name, raw] of Object.entries(properties)) {
      const schema = record(raw, name);
      if (isRecord(schema['properties'])) walk(schema['properties'], `${prefix}${name}.`);
      else fields.set(`${prefix}${name}`, schema);
    }
  };
  walk(record(profile['properties'], 'the profile properties'), '');
  return fields;
}

/** Every `%key%` package.json asks a package.nls file for. */
function nlsKeysUsed(): Set<string> {
  const used = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      const match = /^%([^%\s]+)%$/.exec(value);
      if (match?.[1] !== undefined) used.add(match[1]);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item);
    } else if (isRecord(value)) {
      for (const item of Object.values(value)) walk(item);
    }
  };
  walk(packageJson);
  return used;
}

function nlsKey(placeholder: string): string {
  const match = /^%([^%]+)%$/.exec(placeholder);
  assert.ok(match?.[1] !== undefined, `"${placeholder}" is a %key% placeholder`);
  return match[1];
}

// --- source files, read with the TypeScript parser (not loaded: no side effects, no churn) ----

function parseSource(file: string): ts.SourceFile {
  return ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, true);
}

/** The initializer of a top-level `const name = …` in `file`, `as const` removed. */
function constant(file: string, name: string): ts.Expression {
  const source = parseSource(file);
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== name || declaration.initializer === undefined) continue;
      let value = declaration.initializer;
      while (ts.isAsExpression(value) || ts.isParenthesizedExpression(value)) value = value.expression;
      return value;
    }
  }
  assert.fail(`${file} declares const ${name}`);
}

/** The CLI's usage text (its literal parts; interpolations are left out). */
function cliUsage(): string {
  const value = constant('src/cli/main.ts', 'USAGE');
  if (ts.isNoSubstitutionTemplateLiteral(value) || ts.isStringLiteral(value)) return value.text;
  assert.ok(ts.isTemplateExpression(value), 'USAGE is a template literal');
  return [value.head.text, ...value.templateSpans.map((span) => span.literal.text)].join(' ');
}

/** The front matter keys the draft parser knows. */
function knownKeys(): string[] {
  const value = constant('src/core/draft/front-matter-keys.ts', 'KNOWN_KEYS');
  assert.ok(ts.isArrayLiteralExpression(value), 'KNOWN_KEYS is an array literal');
  return value.elements.map((element) => {
    assert.ok(ts.isStringLiteral(element), 'each known key is a string literal');
    return element.text;
  });
}

/** status → its other fields (optional ones marked `name?`), from the CommandOutcome union. */
function outcomeShapes(): Map<string, string[]> {
  const file = 'src/commands/outcome.ts';
  const source = parseSource(file);
  const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'CommandOutcome');
  assert.ok(alias !== undefined, `${file} declares type CommandOutcome`);
  const members = ts.isUnionTypeNode(alias.type) ? alias.type.types : [alias.type];
  const shapes = new Map<string, string[]>();
  for (const member of members) {
    assert.ok(ts.isTypeLiteralNode(member), `each CommandOutcome member is an object type: ${member.getText(source)}`);
    let statuses: string[] = [];
    const fields: string[] = [];
    for (const property of member.members) {
      assert.ok(ts.isPropertySignature(property) && property.type !== undefined, `a plain property: ${property.getText(source)}`);
      const name = property.name.getText(source);
      if (name === 'status') {
        const type = property.type;
        const literals = ts.isUnionTypeNode(type) ? type.types : [type];
        statuses = literals.map((literal) => {
          assert.ok(ts.isLiteralTypeNode(literal) && ts.isStringLiteral(literal.literal), `status is a string literal: ${literal.getText(source)}`);
          return literal.literal.text;
        });
      } else {
        fields.push(property.questionToken === undefined ? name : `${name}?`);
      }
    }
    assert.ok(statuses.length > 0, `a CommandOutcome member without status: ${member.getText(source)}`);
    for (const status of statuses) shapes.set(status, fields);
  }
  return shapes;
}

// --- .vscodeignore, as vsce itself applies it ----------------------------------------------

interface Vsce {
  readonly PackageManager: { readonly None: number };
  listFiles(options: { readonly cwd: string; readonly packageManager: number }): Promise<string[]>;
}

/** The files `vsce package` puts in the .vsix (dependencies aside; the bundle has them). */
async function packagedFiles(): Promise<Set<string>> {
  const vsce = createRequire(__filename)('@vscode/vsce') as Vsce;
  const files = await vsce.listFiles({ cwd: ROOT, packageManager: vsce.PackageManager.None });
  return new Set(files.map((file) => file.replace(/\\/g, '/')));
}

// --- the tests ---------------------------------------------------------------------------------

describe('metadata: package.json, README, CHANGELOG and translations agree', () => {
  describe('commands', () => {
    it('every contributed command is in the README\'s Commands table, and nothing else is', () => {
      const table = tableUnder('## Commands', 'command');
      const documented = table.rows.map((row) => codeSpans(row[0] ?? '')[0] ?? `(no code span in "${row[0] ?? ''}")`);
      assert.deepEqual(sorted(documented), sorted(contributedCommands().map((c) => c.command)));
    });

    it('the README shows each command under its Command Palette title', () => {
      const table = tableUnder('## Commands', 'command');
      const titleColumn = column(table, 'in the Command Palette');
      for (const { command, title, category } of contributedCommands()) {
        const row = table.rows.find((r) => codeSpans(r[0] ?? '')[0] === command);
        assert.ok(row !== undefined, `${command} is documented`);
        const prefix = category === undefined ? '' : `${String(nls[nlsKey(category)])}: `;
        assert.equal(row[titleColumn], `${prefix}${String(nls[nlsKey(title)])}`, `${command}'s title`);
      }
    });

    it('every command has a title in package.nls.json and package.nls.zh-cn.json, and every command title there belongs to a command', () => {
      const titleKeys = contributedCommands().map((c) => nlsKey(c.title));
      for (const [name, bundle] of [['package.nls.json', nls], ['package.nls.zh-cn.json', nlsZh]] as const) {
        for (const key of titleKeys) {
          assert.equal(typeof bundle[key], 'string', `${name} has ${key}`);
          assert.notEqual(bundle[key], '', `${name}'s ${key} is not empty`);
        }
        const commandKeys = Object.keys(bundle).filter((key) => key.startsWith('command.'));
        assert.deepEqual(sorted(commandKeys), sorted(titleKeys), `${name}: command titles without a command`);
      }
    });
  });

  describe('settings', () => {
    it('every contributed setting is in the README\'s Settings table with its default, and nothing else is', () => {
      const schema = settingsSchema();
      const table = tableUnder('## Settings', 'setting');
      const defaults = column(table, 'default');
      const documented = new Map(table.rows.map((row) => [codeSpans(row[0] ?? '')[0] ?? '', row]));
      assert.deepEqual(sorted(documented.keys()), sorted(Object.keys(schema)));
      for (const [key, property] of Object.entries(schema)) {
        const cell = documented.get(key)?.[defaults] ?? '';
        const value = codeSpans(cell)[0];
        assert.ok(value !== undefined, `${key}: the default is written as code, e.g. \`"messages"\``);
        assert.deepEqual(JSON.parse(value), property['default'], `${key}'s default`);
      }
    });

    it('the README says which settings an untrusted workspace cannot set, as package.json restricts them', () => {
      const capabilities = record(packageJson['capabilities'], 'capabilities');
      const untrusted = record(capabilities['untrustedWorkspaces'], 'capabilities.untrustedWorkspaces');
      const restricted = untrusted['restrictedConfigurations'];
      assert.ok(Array.isArray(restricted), 'restrictedConfigurations is an array');
      const table = tableUnder('## Settings', 'setting');
      const trust = column(table, 'from an untrusted workspace');
      const ignored = table.rows.filter((row) => row[trust] === 'ignored').map((row) => codeSpans(row[0] ?? '')[0] ?? '');
      for (const row of table.rows) assert.match(row[trust] ?? '', /^(ignored|used)$/, `"${row[0] ?? ''}": ignored or used`);
      assert.deepEqual(sorted(ignored), sorted(restricted as string[]));
    });

    it('every profile field is in the README\'s Profile fields table with every allowed value, and nothing else is', () => {
      const fields = profileFields();
      const table = tableUnder('### Profile fields', 'field');
      const documented = new Map(table.rows.map((row) => [codeSpans(row[0] ?? '')[0] ?? '', row.slice(1).join(' ')]));
      assert.deepEqual(sorted(documented.keys()), sorted(fields.keys()));
      for (const [name, schema] of fields) {
        const values = Array.isArray(schema['enum']) ? (schema['enum'] as unknown[]).map(String) : [];
        const spans = codeSpans(documented.get(name) ?? '');
        for (const value of values) assert.ok(spans.includes(value), `${name}: the README names \`${value}\``);
      }
    });

    it('every %placeholder% in package.json is translated in both package.nls files, and neither has keys nobody uses', () => {
      const used = nlsKeysUsed();
      for (const [name, bundle] of [['package.nls.json', nls], ['package.nls.zh-cn.json', nlsZh]] as const) {
        const missing = [...used].filter((key) => typeof bundle[key] !== 'string' || bundle[key] === '');
        assert.deepEqual(missing, [], `${name} lacks`);
        const unused = Object.keys(bundle).filter((key) => !used.has(key));
        assert.deepEqual(unused, [], `${name} has keys package.json does not use`);
      }
    });
  });

  describe('the draft and the command line', () => {
    it('the README\'s draft table lists exactly the front matter keys the parser knows', () => {
      const table = tableUnder('## The draft', 'key');
      const documented = table.rows.flatMap((row) => codeSpans(row[0] ?? ''));
      assert.deepEqual(sorted(documented), sorted(knownKeys()));
    });

    it('the README documents exactly the CLI\'s commands and options', () => {
      const usage = cliUsage();
      const usageCommands = new Set([...usage.matchAll(/send-as-email ([a-z][a-z-]*)/g)].map((m) => m[1] ?? ''));
      const usageOptions = new Set([...usage.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1] ?? ''));
      // Always accepted, whether or not the usage text repeats them.
      usageOptions.add('--help');
      usageOptions.add('--version');
      const cli = '## Command line';
      const commands = tableUnder(cli, 'command').rows.map((row) => codeSpans(row[0] ?? '')[0] ?? '');
      const options = tableUnder(cli, 'option').rows.map((row) => (codeSpans(row[0] ?? '')[0] ?? '').split(' ')[0] ?? '');
      assert.deepEqual(sorted(commands), sorted(usageCommands));
      assert.deepEqual(sorted(options), sorted(usageOptions));
    });

    it('every environment variable the CLI and core read is in the README\'s environment table', () => {
      const read = new Set<string>();
      const walk = (dir: string): void => {
        for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
          const path = `${dir}/${entry.name}`;
          if (entry.isDirectory()) walk(path);
          else if (path.endsWith('.ts')) {
            for (const m of readFileSync(join(ROOT, path), 'utf8').matchAll(/\benv(?:\[['"]([A-Z][A-Z0-9_]*)['"]\]|\.([A-Z][A-Z0-9_]*)\b)/g)) {
              read.add(m[1] ?? m[2] ?? '');
            }
          }
        }
      };
      walk('src/cli');
      walk('src/core');
      assert.ok(read.has('SEND_AS_EMAIL_PASSWORD'), 'the scan finds the password variable (the scan works)');
      const documented = new Set(tableUnder('## Command line', 'environment variable').rows.map((row) => codeSpans(row[0] ?? '')[0] ?? ''));
      assert.deepEqual([...read].filter((name) => !documented.has(name)), []);
    });
  });

  describe('command outcomes', () => {
    it('the README\'s outcome table matches the CommandOutcome type: every status, with its fields', () => {
      const shapes = outcomeShapes();
      const table = tableUnder('## Commands from scripts and keybindings', 'status');
      const fieldsColumn = column(table, 'fields');
      const documented = new Map(table.rows.map((row) => [codeSpans(row[0] ?? '')[0] ?? '', codeSpans(row[fieldsColumn] ?? '')]));
      assert.deepEqual(sorted(documented.keys()), sorted(shapes.keys()));
      for (const [status, fields] of shapes) assert.deepEqual(sorted(documented.get(status) ?? []), sorted(fields), `fields of status ${status}`);
    });

    it('the README\'s outcome examples use `status`, not `kind`, for what happened', () => {
      for (const m of readme.matchAll(/\{\s*(\w+):\s*'(\w+)'/g)) {
        if (m[1] === 'kind') assert.fail(`README shows an outcome as "${m[0]}": outcomes have status`);
        if (m[1] === 'status') assert.ok(outcomeShapes().has(m[2] ?? ''), `README's example status '${m[2] ?? ''}' exists`);
      }
    });
  });

  describe('CHANGELOG', () => {
    it('the top entry is package.json\'s version, with a date', () => {
      const first = /^## (.*)$/m.exec(read('CHANGELOG.md'))?.[1];
      assert.ok(first !== undefined, 'CHANGELOG.md has a version heading');
      const match = /^\[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/.exec(first);
      assert.ok(match !== null, `the first heading is "[x.y.z] - YYYY-MM-DD", not "${first}"`);
      assert.equal(match[1], packageJson['version']);
      assert.equal(new Date(`${match[2] ?? ''}T00:00:00Z`).toISOString().slice(0, 10), match[2], 'a real date');
    });

    it('every version is dated, newest first', () => {
      const headings = [...read('CHANGELOG.md').matchAll(/^## (.*)$/gm)].map((m) => m[1] ?? '');
      const dates = headings.map((heading) => {
        const match = /^\[\d+\.\d+\.\d+\] - (\d{4}-\d{2}-\d{2})$/.exec(heading);
        assert.ok(match?.[1] !== undefined, `"${heading}" is "[x.y.z] - YYYY-MM-DD"`);
        return match[1];
      });
      assert.deepEqual(dates, [...dates].sort().reverse());
    });
  });

  describe('the README in the .vsix', () => {
    it('every image and relative link in the README points at a file that exists and ships', async function () {
      this.timeout(60_000);
      const shipped = await packagedFiles();
      assert.ok(shipped.has('README.md'), 'the README itself ships');
      const found = links(readme);
      assert.ok(found.some((link) => link.image), 'the README shows at least one image (the screenshot)');
      for (const { target, image } of found) {
        if (image) assert.ok(isRelative(target) || target.startsWith('https://'), `image ${target}: relative or https`);
        if (image) assert.doesNotMatch(target, /\.svg$/i, `image ${target}: the Marketplace refuses SVG`);
        if (!isRelative(target)) continue;
        const path = decodeURI(target.split('#')[0] ?? '');
        assert.ok(existsSync(join(ROOT, path)), `${target} exists`);
        assert.ok(shipped.has(relative(ROOT, join(ROOT, path)).replace(/\\/g, '/')), `${target} ships in the .vsix (see .vscodeignore)`);
      }
    });

    it('in-page links point at headings that exist', () => {
      const anchors = new Set(
        [...readme.matchAll(/^#+ (.*)$/gm)].map((m) =>
          (m[1] ?? '')
            .toLowerCase()
            .replace(/[^\p{L}\p{N} _-]/gu, '')
            .replace(/ /g, '-'),
        ),
      );
      for (const { target } of links(readme)) {
        if (target.startsWith('#')) assert.ok(anchors.has(target.slice(1)), `${target} names a heading`);
      }
    });

    it('the docs outside the .vsix link only to files that exist in the repository', () => {
      for (const doc of ['CONTRIBUTING.md', 'docs/architecture.md']) {
        for (const { target } of links(read(doc))) {
          if (!isRelative(target)) continue;
          const path = resolve(ROOT, doc, '..', decodeURI(target.split('#')[0] ?? ''));
          assert.ok(path.startsWith(ROOT), `${doc}: ${target} stays inside the repository`);
          assert.ok(existsSync(path), `${doc}: ${target} exists`);
        }
      }
    });
  });

  describe('the repository stands alone', () => {
    /** Build output, dependencies and test leftovers (see .gitignore): not the repository's text. */
    const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'dist', 'out', '.vscode-test', 'test-artifacts', '.tmp', 'demo-output', '.build']);
    const TEXT = /\.(ts|js|mjs|cjs|json|md|sh|py|ya?ml|txt)$|(^|\/)\.ci\/[^/]+$|(^|\/)\.[a-z]+ignore$/;
    // Written in pieces so that this file does not match itself.
    const OUTSIDE = new RegExp(['\\.\\./' + 'shared', 'shared/' + 'notes', 'DESIGN' + '\\.md', 'STYLE' + '\\.md', '/' + 'work/'].join('|'));

    it('no file refers to files outside the repository (design notes, absolute machine paths)', () => {
      const hits: string[] = [];
      const walk = (dir: string): void => {
        for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
          const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
          if (entry.isDirectory()) {
            if (!SKIPPED_DIRS.has(entry.name)) walk(path);
          } else if (entry.isFile() && TEXT.test(path) && path !== 'package-lock.json') {
            readFileSync(join(ROOT, path), 'utf8')
              .split('\n')
              .forEach((line, index) => {
                if (OUTSIDE.test(line)) hits.push(`${path}:${index + 1}: ${line.trim()}`);
              });
          }
        }
      };
      walk('');
      assert.deepEqual(hits, []);
    });
  });

  describe('developer commands', () => {
    it('the README\'s test command is `npm test`, and CI runs it', () => {
      const developers = section(readme, '## For developers');
      assert.match(developers, /^npm test\b/m, 'the README shows `npm test`');
      assert.match(developers, /npm run demo\b/, 'the README shows `npm run demo`');
      const scripts = record(packageJson['scripts'], 'scripts');
      assert.equal(typeof scripts['test'], 'string', 'package.json has a test script');
      const ci = read('.ci/run')
        .split('\n')
        .filter((line) => !line.trim().startsWith('#'));
      assert.ok(ci.some((line) => /^\s*npm test\s*$/.test(line)), '.ci/run calls `npm test`');
    });

    it('every `npm run X` in the README and CONTRIBUTING.md is a script in package.json', () => {
      const scripts = record(packageJson['scripts'], 'scripts');
      for (const doc of ['README.md', 'CONTRIBUTING.md']) {
        for (const m of read(doc).matchAll(/npm run ([\w:.-]+)/g)) {
          assert.equal(typeof scripts[m[1] ?? ''], 'string', `${doc}: npm run ${m[1] ?? ''}`);
        }
      }
    });
  });
});
