/**
 * Incremental parser for SMTP replies (RFC 5321 4.2). Bytes go in as they arrive from the
 * socket, in any split (one byte at a time, or several replies in one packet); whole replies
 * come out. Multi-line replies use `250-` on every line but the last (`250 `).
 *
 * A server that sends garbage or never-ending lines must not make the client buffer without
 * bound, so line length and reply size are capped (RFC 5321 4.5.3.1.5 only promises 512 octets
 * per reply line; real servers stay far below the 4096 allowed here).
 */
import type { SmtpReply } from './types';

export interface ParsedReply extends SmtpReply {
  /** The lines as received, without CRLF: `250-PIPELINING`. */
  readonly raw: readonly string[];
}

export interface ReplyLimits {
  /** Longest line, CRLF excluded. */
  readonly maxLineLength: number;
  readonly maxLines: number;
  /** Sum of all line lengths of one reply. */
  readonly maxReplyBytes: number;
}

export const DEFAULT_REPLY_LIMITS: ReplyLimits = { maxLineLength: 4096, maxLines: 100, maxReplyBytes: 64 * 1024 };

/**
 * The reply stream broke the grammar or a limit. `line` is the offending line when there is
 * one: the connection scrubs it of credentials before showing it (a whole line, so a secret
 * is never cut in two and half of it shown).
 */
export class MalformedReplyError extends Error {
  override readonly name = 'MalformedReplyError';
  constructor(
    readonly reason: string,
    readonly line?: string,
  ) {
    super(line === undefined ? reason : `${reason} ${JSON.stringify(line.slice(0, 80))}`);
  }
}

const EMPTY = Buffer.alloc(0);
const LF = 0x0a;
const CR = 0x0d;
const DIGIT_0 = 0x30;
const DOT = 0x2e;
const SPACE = 0x20;
const HYPHEN = 0x2d;
/** RFC 3463 status-code = class "." subject "." detail, sent first on each line (RFC 2034). */
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?: |$)/;

interface PendingLine {
  readonly code: number;
  readonly text: string;
  readonly raw: string;
}

export class ReplyParser {
  private partial: Buffer = EMPTY;
  private lines: PendingLine[] = [];
  private replyBytes = 0;

  constructor(private readonly limits: ReplyLimits = DEFAULT_REPLY_LIMITS) {}

  /** Bytes received that are not yet part of a complete reply (partial lines and lines of an unfinished reply). */
  get pendingBytes(): number {
    return this.partial.length + this.replyBytes;
  }

  /** Feeds bytes; returns every reply they complete, in order. Throws MalformedReplyError. */
  push(chunk: Uint8Array): ParsedReply[] {
    // Read the chunk in place; only an unfinished line at its end is copied (below), since
    // the caller may reuse its buffer.
    const data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const replies: ParsedReply[] = [];
    let start = 0;
    for (;;) {
      const end = data.indexOf(LF, start);
      if (end === -1) break;
      // Tolerate a bare LF as line end; strip the CR of a proper CRLF.
      const lineEnd = end > start && data[end - 1] === CR ? end - 1 : end;
      this.checkLength(lineEnd - start);
      const reply = this.acceptLine(data.toString('utf8', start, lineEnd));
      if (reply !== undefined) replies.push(reply);
      start = end + 1;
    }
    this.partial = start === data.length ? EMPTY : Buffer.from(data.subarray(start));
    // A CR may still be waiting for its LF, hence the +1.
    if (this.partial.length > this.limits.maxLineLength + 1) this.checkLength(this.partial.length);
    return replies;
  }

  private checkLength(length: number): void {
    if (length > this.limits.maxLineLength) {
      throw new MalformedReplyError(`reply line longer than ${this.limits.maxLineLength} bytes`);
    }
  }

  private acceptLine(raw: string): ParsedReply | undefined {
    const code = replyCode(raw);
    // After the code: nothing, or " text" on the last line, "-text" on the others.
    const separator = raw.length > 3 ? raw.charCodeAt(3) : SPACE;
    if (code === undefined || (separator !== SPACE && separator !== HYPHEN)) {
      throw new MalformedReplyError('malformed reply line', raw);
    }
    const last = separator === SPACE;
    const first = this.lines[0];
    if (first !== undefined && first.code !== code) {
      throw new MalformedReplyError(`reply code changed within a multi-line reply (${first.code} then ${code})`);
    }
    this.lines.push({ code, text: raw.length > 4 ? raw.slice(4) : '', raw });
    this.replyBytes += raw.length + 2;
    if (this.lines.length > this.limits.maxLines) throw new MalformedReplyError(`reply longer than ${this.limits.maxLines} lines`);
    if (this.replyBytes > this.limits.maxReplyBytes) throw new MalformedReplyError(`reply larger than ${this.limits.maxReplyBytes} bytes`);
    if (!last) return undefined;
    const lines = this.lines;
    this.lines = [];
    this.replyBytes = 0;
    return buildReply(code, lines);
  }
}

/**
 * Reply-code = %x32-35 %x30-35 %x30-39 (RFC 5321 4.2), read by character codes: this runs for
 * every reply line (502 of them for a 500-recipient envelope), so no regular expression.
 */
function replyCode(raw: string): number | undefined {
  if (raw.length < 3) return undefined;
  const a = raw.charCodeAt(0) - DIGIT_0;
  const b = raw.charCodeAt(1) - DIGIT_0;
  const c = raw.charCodeAt(2) - DIGIT_0;
  if (!(a >= 2 && a <= 5 && b >= 0 && b <= 5 && c >= 0 && c <= 9)) return undefined;
  return a * 100 + b * 10 + c;
}

function buildReply(code: number, lines: readonly PendingLine[]): ParsedReply {
  const cls = String(Math.floor(code / 100));
  let enhancedCode: string | undefined;
  const texts: string[] = [];
  const raw: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as PendingLine;
    raw.push(line.raw);
    // Cheap test first: a status code starts with its class digit and a dot.
    const match = line.text.charCodeAt(1) === DOT ? ENHANCED.exec(line.text) : null;
    // Only a status code whose class agrees with the reply code is one (RFC 3463 2: the class
    // repeats the reply's first digit); anything else is ordinary text.
    if (match === null || match[1] !== cls) {
      texts.push(line.text);
      continue;
    }
    if (index === 0) enhancedCode = `${match[1]}.${match[2]}.${match[3]}`;
    texts.push(line.text.slice(match[0].length));
  }
  return enhancedCode === undefined ? { code, lines: texts, raw } : { code, enhancedCode, lines: texts, raw };
}
