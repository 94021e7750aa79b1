/**
 * Collects what SMTP clients report during a test file (every event, every thrown error), so a
 * test can assert on the conversation and a final check can search all of it for credentials.
 */
import type { SmtpEvent, SmtpObserver } from '../../../src/core/smtp/types';

export class SessionRecorder {
  readonly events: SmtpEvent[] = [];
  readonly errors: unknown[] = [];

  /** Observer to pass as `options.observer`. */
  readonly observer: SmtpObserver = (event) => {
    this.events.push(event);
  };

  /** Runs `operation`, records what it throws, and returns the error (fails if nothing was thrown). */
  async capture(operation: () => Promise<unknown>): Promise<unknown> {
    try {
      await operation();
    } catch (error) {
      this.errors.push(error);
      return error;
    }
    throw new Error('expected the operation to fail, but it succeeded');
  }

  /** Index to pass to `since` for "events from now on". */
  mark(): number {
    return this.events.length;
  }

  since(mark: number): SmtpEvent[] {
    return this.events.slice(mark);
  }

  /** The `C:` lines (as reported, i.e. redacted) since `mark`. */
  sentLines(mark = 0): string[] {
    return this.since(mark).flatMap((event) => (event.type === 'send' ? [event.line] : []));
  }
}
