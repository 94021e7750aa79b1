/**
 * Two independent readers of composed messages, for tests: CPython's `email` package
 * (test/support/parse_email.py) and npm mailparser. Both are asked what a mail client would
 * show, so a test can check the composer's output decodes back to exactly its input.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AddressObject } from 'mailparser';
import { simpleParser } from 'mailparser';

export interface ParsedMailbox {
  readonly name: string;
  readonly address: string;
}

export interface ParsedAttachment {
  readonly filename: string | null;
  readonly contentType: string;
  readonly contentId: string | null;
  readonly size: number;
  readonly sha256: string;
}

/** What both parsers report, in one shape. */
export interface ParsedMessage {
  readonly to: readonly ParsedMailbox[];
  readonly cc: readonly ParsedMailbox[];
  readonly hasBcc: boolean;
  readonly subject: string;
  readonly text: string | null;
  readonly html: string | null;
  readonly attachments: readonly ParsedAttachment[];
}

export interface PythonParsedMessage extends ParsedMessage {
  readonly headerNames: readonly string[];
  readonly defects: readonly string[];
  readonly contentType: string;
}

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SCRIPT = join(__dirname, 'parse_email.py');

export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

interface PythonJson {
  headers: Array<[string, string]>;
  to: ParsedMailbox[] | null;
  cc: ParsedMailbox[] | null;
  bcc: ParsedMailbox[] | null;
  subject: string | null;
  contentType: string;
  text: string | null;
  html: string | null;
  attachments: ParsedAttachment[];
  defects: string[];
}

/** Parses a message file with CPython's email package. */
export async function parseFileWithPython(path: string): Promise<PythonParsedMessage> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, path], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (error, out, err) => {
      if (error !== null) {
        reject(new Error(`${error.message}\n${err}`));
      } else {
        resolve(out);
      }
    });
  });
  const json = JSON.parse(stdout) as PythonJson;
  return {
    headerNames: json.headers.map(([name]) => name),
    defects: json.defects,
    contentType: json.contentType,
    to: json.to ?? [],
    cc: json.cc ?? [],
    hasBcc: json.bcc !== null,
    subject: json.subject ?? '',
    text: json.text,
    html: json.html,
    attachments: json.attachments,
  };
}

export async function parseWithPython(message: Buffer): Promise<PythonParsedMessage> {
  const folder = await mkdtemp(join(tmpdir(), 'sae-py-'));
  try {
    const file = join(folder, 'message.eml');
    await writeFile(file, message);
    return await parseFileWithPython(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function mailboxes(value: AddressObject | AddressObject[] | undefined): ParsedMailbox[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return objects.flatMap((object) => object.value.map((entry) => ({ name: entry.name, address: entry.address ?? '' })));
}

export async function parseWithMailparser(message: Buffer): Promise<ParsedMessage> {
  const parsed = await simpleParser(message, { keepCidLinks: true, skipTextToHtml: true });
  return {
    to: mailboxes(parsed.to),
    cc: mailboxes(parsed.cc),
    hasBcc: parsed.headers.has('bcc'),
    subject: parsed.subject ?? '',
    text: parsed.text ?? null,
    html: parsed.html === false || parsed.html === undefined ? null : parsed.html,
    attachments: parsed.attachments.map((attachment) => ({
      filename: attachment.filename ?? null,
      contentType: attachment.contentType,
      contentId: attachment.contentId ?? null,
      size: attachment.content.length,
      sha256: sha256(attachment.content),
    })),
  };
}

/** Lines of the raw message (split at CRLF) longer than `limit` octets. */
export function linesLongerThan(message: Buffer, limit: number): string[] {
  const long: string[] = [];
  let start = 0;
  for (let i = message.indexOf('\r\n'); i >= 0; i = message.indexOf('\r\n', start)) {
    if (i - start > limit) {
      long.push(message.subarray(start, Math.min(i, start + 120)).toString('utf8'));
    }
    start = i + 2;
  }
  if (message.length - start > limit) {
    long.push(message.subarray(start, start + 120).toString('utf8'));
  }
  return long;
}

/** The header block of a message (up to the first empty line), as text. */
export function headerBlock(message: Buffer): string {
  const end = message.indexOf('\r\n\r\n');
  return message.subarray(0, end < 0 ? message.length : end + 2).toString('utf8');
}
