/**
 * The "Send as Email" Output channel: one timestamped header per session, then the SMTP
 * conversation as `C:`/`S:` lines (src/core/transcript.ts), then the outcome. The language id
 * gives it the grammar in media/protocol-log.tmLanguage.json. Events arrive already redacted
 * (the SMTP client removes credentials where it makes them), and nothing here adds any.
 */
import * as vscode from 'vscode';
import { escapeForDisplay } from '../core/escape';
import type { SmtpProfile } from '../core/profiles';
import type { SmtpObserver, TlsDetails, TraceLevel } from '../core/smtp/types';
import { formatTranscriptLine, transcriptLines } from '../core/transcript';
import type { TranscriptLine } from '../core/transcript';

export const LOG_CHANNEL_NAME = 'Send as Email';
export const LOG_LANGUAGE_ID = 'send-as-email-log';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2025-11-29 14:03:12` in local time. */
export function sessionTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `=== 2025-11-29 14:03:12 · send · profile "work" · smtp.example.com:587 (starttls) ===` */
export function sessionHeader(date: Date, action: string, profile: SmtpProfile): string {
  // The action names the draft's subject: escaped, as every other line (core/transcript.ts).
  return escapeForDisplay(`=== ${sessionTime(date)} · ${action} · profile "${profile.name}" · ${profile.host}:${profile.port} (${profile.security}) ===`);
}

export interface LogSession {
  /** Give this to the SMTP client. At trace `off` it records nothing. */
  readonly observer: SmtpObserver;
  /** The last TLS handshake seen in this session, for summaries. */
  readonly tls: TlsDetails | undefined;
  info(text: string): void;
  error(text: string): void;
}

export class ProtocolLog implements vscode.Disposable {
  private readonly channel: vscode.OutputChannel;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.channel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, LOG_LANGUAGE_ID);
  }

  private write(line: TranscriptLine): void {
    this.channel.appendLine(formatTranscriptLine(line, this.now()));
  }

  /** Starts a session: writes its header and returns the observer and outcome writers. */
  startSession(action: string, profile: SmtpProfile, trace: TraceLevel): LogSession {
    this.channel.appendLine(sessionHeader(this.now(), action, profile));
    let tls: TlsDetails | undefined;
    const observer: SmtpObserver = (event) => {
      if (event.type === 'tls') tls = event.details;
      if (trace === 'off') return;
      for (const line of transcriptLines(event)) this.write(line);
    };
    return {
      observer,
      get tls() {
        return tls;
      },
      info: (text) => this.write({ who: '*', text }),
      error: (text) => this.write({ who: '!', text }),
    };
  }

  show(preserveFocus: boolean): void {
    this.channel.show(preserveFocus);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
