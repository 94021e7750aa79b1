/**
 * Turns SMTP client events into the `C:`/`S:` lines the Output channel and the CLI's stderr
 * show. The events are already redacted at the source (src/core/smtp); this only formats.
 * Every line leaves through `formatTranscriptLine`, which shows control and bidi characters
 * from the server or the draft escaped (escape.ts): a reply cannot drive the terminal.
 */
import { escapeForDisplay } from './escape';
import type { SmtpEvent, TlsDetails } from './smtp/types';

export interface TranscriptLine {
  /** `C` client, `S` server, `*` information about the session, `!` an error. */
  readonly who: 'C' | 'S' | '*' | '!';
  readonly text: string;
}

function tlsLine(d: TlsDetails): string {
  const cert = [d.subject ? `subject ${d.subject}` : '', d.issuer ? `issuer ${d.issuer}` : '', d.validTo ? `valid to ${d.validTo}` : '']
    .filter(Boolean)
    .join(', ');
  const trust = d.authorized ? 'certificate verified' : `certificate NOT verified (${d.authorizationError ?? 'unknown reason'})`;
  // The fingerprint is what a profile pins with "tls": { "fingerprint": "…" }.
  const fingerprint = d.fingerprint256 ? `; SHA-256 ${d.fingerprint256}` : '';
  return `TLS ${d.protocol}, ${d.cipher}; ${trust}${cert ? `; ${cert}` : ''}${fingerprint}`;
}

/** One event → the lines it shows as. `verbose` is already reflected in the events themselves. */
export function transcriptLines(event: SmtpEvent): TranscriptLine[] {
  switch (event.type) {
    case 'connect':
      return [{ who: '*', text: `connected to ${event.host}:${event.port} (${event.address}), security ${event.security}` }];
    case 'tls':
      return [{ who: '*', text: tlsLine(event.details) }];
    case 'send':
      return [{ who: 'C', text: event.line }];
    case 'data':
      return event.text === undefined
        ? [{ who: 'C', text: `<message data: ${event.bytes} bytes>` }]
        : event.text.replace(/\r?\n$/, '').split(/\r?\n/).map((text) => ({ who: 'C' as const, text }));
    case 'receive':
      return event.raw.map((text) => ({ who: 'S' as const, text }));
    case 'error':
      // The stage is named here once; error messages never carry it themselves.
      return [{ who: '!', text: `${event.error.name} (stage ${event.error.stage}): ${event.error.message}` }];
    case 'close':
      return [{ who: '*', text: event.hadError ? 'connection closed after an error' : 'connection closed' }];
  }
}

/** `HH:MM:SS.mmm` in local time, for prefixes. */
export function clockTime(date: Date): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The one way a transcript line becomes text: escaped, so nothing raw reaches a terminal or the log. */
export function formatTranscriptLine(line: TranscriptLine, at?: Date): string {
  const prefix = at === undefined ? '' : `${clockTime(at)} `;
  return `${prefix}${line.who}: ${escapeForDisplay(line.text)}`;
}
