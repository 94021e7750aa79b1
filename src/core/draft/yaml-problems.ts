/**
 * YAML's own errors and warnings, placed in the draft and, for the two mistakes drafts
 * actually make, explained: a value containing ": " (`subject: Re: flight booking`) and a
 * quoted display name followed by more text (`cc: "Li, Bob" <bob@example.com>`).
 */
import type { Document } from 'yaml';
import type { LocalizedText } from '../text';
import { localized } from '../text';
import type { FieldContext } from './field-context';
import { ProblemCode } from './problem-codes';

/** A `key: value` line, possibly a list item: the key and the value as written. */
const KEY_LINE = /^(\s*(?:-\s+)?)([\w-]+):[ \t]+(.*?)\s*$/;

interface KeyLine {
  readonly key: string;
  readonly value: string;
  /** Offset of the value within the YAML text (identifies the line). */
  readonly valueStart: number;
}

function keyLineAt(yaml: string, offset: number): KeyLine | undefined {
  const lineStart = yaml.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const lineEnd = yaml.indexOf('\n', lineStart);
  const line = yaml.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).replace(/\r$/, '');
  const match = KEY_LINE.exec(line);
  if (!match) return undefined;
  const [, indent = '', key = '', value = ''] = match;
  const valueStart = lineStart + line.indexOf(value, indent.length + key.length + 1);
  return { key, value, valueStart };
}

/** `value` in single quotes, YAML-escaped (1.2 §7.3.2: '' is one quote). */
function singleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function hintFor(code: string, message: string, line: KeyLine | undefined): LocalizedText | undefined {
  if (!line) return undefined;
  if (code === 'BLOCK_AS_IMPLICIT_KEY' && line.value.includes(': ')) {
    return localized('the value of {0} contains ": ", which YAML reads as another key: put the value in quotes, like  {0}: {1}', line.key, singleQuoted(line.value));
  }
  if (/^"[^"]*"\s*\S/.test(line.value)) {
    return localized('invalid YAML: {0}; to quote a display name, put the whole value in single quotes:  {1}: {2}', message, line.key, singleQuoted(line.value));
  }
  return undefined;
}

/** Reports YAML errors and warnings; true when there was an error (the fields cannot be read). */
export function reportYamlProblems(doc: Document, ctx: FieldContext): boolean {
  const explainedLines = new Set<number>();
  for (const error of doc.errors) {
    const line = keyLineAt(ctx.yaml, error.pos[0]);
    const hint = hintFor(error.code, error.message, line);
    if (hint && line) {
      // One explanation per line, however many errors YAML raised there.
      if (explainedLines.has(line.valueStart)) continue;
      explainedLines.add(line.valueStart);
    }
    ctx.sink.error(ProblemCode.invalidYaml, hint ?? localized('invalid YAML: {0}', error.message), ctx.base + error.pos[0], ctx.base + error.pos[1]);
  }
  for (const warning of doc.warnings) {
    ctx.sink.warning(ProblemCode.yamlWarning, localized('YAML: {0}', warning.message), ctx.base + warning.pos[0], ctx.base + warning.pos[1]);
  }
  return doc.errors.length > 0;
}
