/**
 * Reading what Postfix's virtual(8) delivered into a Maildir, and undoing the two things it
 * changes, so a test can compare with the bytes the client sent:
 * - it prepends Return-Path, X-Original-To, Delivered-To and its own Received header;
 * - it stores LF line endings (Maildir files are Unix text).
 */
import fs from 'node:fs';
import path from 'node:path';

/** The headers Postfix adds on delivery, in the order it writes them. */
export const DELIVERY_TRACE_HEADERS = ['return-path', 'x-original-to', 'delivered-to', 'received'] as const;

/** Maildir file names start `<seconds>.` and virtual(8) adds `M<microseconds>`: arrival order. */
function arrivalKey(name: string): [number, number] {
  const match = /^(\d+)\.(?:[^.]*M(\d+))?/.exec(name);
  return [Number(match?.[1] ?? 0), Number(match?.[2] ?? 0)];
}

/** Files in `new/` and `cur/` of a Maildir, oldest first (an IMAP session moves new → cur). */
export function maildirFiles(maildir: string): string[] {
  const files: string[] = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(maildir, sub);
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue; // Not created until the first delivery.
    }
    for (const name of names) if (!name.startsWith('.')) files.push(path.join(dir, name));
  }
  return files.sort((a, b) => {
    const [sa, ua] = arrivalKey(path.basename(a));
    const [sb, ub] = arrivalKey(path.basename(b));
    return sa - sb || ua - ub || a.localeCompare(b);
  });
}

/** The line starting at `start` (without its LF or CRLF) and where the next one starts. */
function lineAt(buffer: Buffer, start: number): { text: string; next: number } {
  const newline = buffer.indexOf(0x0a, start);
  const end = newline < 0 ? buffer.length : newline;
  const text = buffer.subarray(start, end).toString('latin1').replace(/\r$/, '');
  return { text, next: newline < 0 ? buffer.length : newline + 1 };
}

/**
 * Removes exactly the four headers Postfix prepends (each with its folded continuation lines).
 * Works on LF (Maildir file) and CRLF (IMAP) text. Throws if they are not there in that order:
 * a surprise in what the server stored should fail the test, not be papered over.
 */
export function stripDeliveryTraceHeaders(raw: Buffer): Buffer {
  let offset = 0;
  for (const expected of DELIVERY_TRACE_HEADERS) {
    const { text, next } = lineAt(raw, offset);
    const name = text.slice(0, Math.max(0, text.indexOf(':'))).toLowerCase();
    if (name !== expected) {
      const head = raw.subarray(0, 400).toString('latin1');
      throw new Error(`expected Postfix's ${expected} header at byte ${offset}, found ${JSON.stringify(text)}; message starts: ${JSON.stringify(head)}`);
    }
    offset = next;
    // RFC 5322 2.2.3: a folded header continues on lines starting with space or tab.
    while (offset < raw.length && (raw[offset] === 0x20 || raw[offset] === 0x09)) offset = lineAt(raw, offset).next;
  }
  return raw.subarray(offset);
}

/** Turns every bare LF into CRLF (a CRLF already there stays as it is). */
export function lfToCrlf(text: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = text.indexOf(0x0a); i >= 0; i = text.indexOf(0x0a, i + 1)) {
    if (i > 0 && text[i - 1] === 0x0d) continue;
    parts.push(text.subarray(start, i), Buffer.from('\r\n'));
    start = i + 1;
  }
  parts.push(text.subarray(start));
  return Buffer.concat(parts);
}

/** Raw bytes of every message in a Maildir, oldest first. */
export function readMaildirRaw(maildir: string): Buffer[] {
  return maildirFiles(maildir).map((file) => fs.readFileSync(file));
}

/** Every message in a Maildir as the SMTP client sent it: trace headers removed, CRLF restored. */
export function readMaildirAsSent(maildir: string): Buffer[] {
  return readMaildirRaw(maildir).map((raw) => lfToCrlf(stripDeliveryTraceHeaders(raw)));
}
