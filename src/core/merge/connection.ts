/**
 * The merge's one SMTP connection: opened on the first row that is really sent (a re-run that
 * only skips rows connects to nothing), kept for every row after it, and opened again after the
 * server said 421 or the connection dropped. It rides on `SmtpSession.run` — the one session
 * scaffold (connect, secure, authenticate, QUIT) — holding it open until the merge is done.
 */
import { SmtpSession } from '../send';
import type { SessionOptions } from '../send';
import type { SmtpClient } from '../smtp';

interface Held {
  readonly client: SmtpClient;
  readonly release: () => void;
  readonly finished: Promise<void>;
}

export class MergeConnection {
  private held: Held | undefined;

  constructor(private readonly options: SessionOptions) {}

  /** The open client; connects (and authenticates) first when there is none. Throws SmtpError/SetupError. */
  async client(): Promise<SmtpClient> {
    if (this.held !== undefined) return this.held.client;
    let release: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    let opened: (client: SmtpClient) => void = () => undefined;
    const client = new Promise<SmtpClient>((resolve) => {
      opened = resolve;
    });
    const finished = SmtpSession.open(this.options).run(async (session) => {
      opened(session.client);
      await done;
    });
    // A failure to connect rejects `finished` before the client is handed over.
    const ready = await Promise.race([client, finished.then(() => undefined)]);
    if (ready === undefined) throw new Error('the SMTP session ended before it opened');
    this.held = { client: ready, release, finished: finished.catch(() => undefined) };
    return ready;
  }

  /** QUIT (when the connection still carries it) and forget the client; the next row reconnects. */
  async close(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (held === undefined) return;
    held.release();
    await held.finished;
  }
}
