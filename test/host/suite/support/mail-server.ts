/**
 * An in-process smtp-server for the host suites: STARTTLS with a throwaway certificate (the
 * profile trusts it through `tls.ca`, so verification stays on), AUTH required after TLS, a
 * recipient it refuses, and a hook that holds MAIL FROM so a test can cancel mid-session.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createTestCertificate } from '../../../support/servers/certificate';

export const REFUSED_RECIPIENT = 'nobody@refused.example';

export interface ReceivedMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly user: string | undefined;
  readonly secure: boolean;
  readonly bytes: Buffer;
}

export interface MailServer {
  readonly port: number;
  readonly caPath: string;
  readonly received: ReceivedMessage[];
  /** Unexpected server-side errors (tests assert there are none). */
  readonly errors: readonly Error[];
  /** Connections accepted so far. */
  connections: number;
  /** While set, MAIL FROM waits for this promise before answering (and calls onHold first). */
  hold: { readonly onHold: () => void; readonly release: Promise<void> } | undefined;
  close(): Promise<void>;
}

export interface MailServerOptions {
  /**
   * Also offers AUTH XOAUTH2 and accepts `username` with a token this says is valid (the OAuth
   * suite asks its authorization server). A refused token gets XOAUTH2's 334 error JSON, then 535.
   */
  readonly acceptToken?: (token: string) => Promise<boolean>;
}

export async function startMailServer(username: string, password: string, options: MailServerOptions = {}): Promise<MailServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'send-as-email-host-smtp-'));
  const certificate = await createTestCertificate(dir);
  const state = {
    received: [] as ReceivedMessage[],
    connections: 0,
    hold: undefined as MailServer['hold'],
    errors: [] as Error[],
  };
  const server = new SMTPServer({
    secure: false,
    key: certificate.keyPem,
    cert: certificate.certPem,
    name: 'mx.host-test.local',
    authMethods: options.acceptToken === undefined ? ['PLAIN', 'LOGIN'] : ['PLAIN', 'LOGIN', 'XOAUTH2'],
    // AUTH only after STARTTLS: a send that skipped TLS could not authenticate.
    allowInsecureAuth: false,
    size: 10 * 1024 * 1024,
    logger: false,
    onConnect(_session, callback) {
      state.connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      const { acceptToken } = options;
      if (auth.method === 'XOAUTH2' && acceptToken !== undefined) {
        void acceptToken(auth.accessToken ?? '').then((valid) =>
          valid && auth.username === username ? callback(null, { user: username }) : callback(null, { data: { status: '401', schemes: 'bearer', scope: 'smtp' } }),
        );
        return;
      }
      if (auth.username === username && auth.password === password) callback(null, { user: username });
      else callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onMailFrom(_address, _session, callback) {
      const hold = state.hold;
      if (hold === undefined) return callback();
      hold.onHold();
      void hold.release.then(() => callback());
    },
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED_RECIPIENT) {
        return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          secure: session.secure,
          bytes: Buffer.concat(chunks),
        });
        callback(null, 'Ok: queued as HOSTTEST1');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  // A client that cancels closes its socket; smtp-server then reports EPIPE/ECONNRESET for the
  // reply it could no longer write. That is the expected end of such a session, not a failure.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') state.errors.push(error);
  });
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    caPath: certificate.certPath,
    get received() {
      return state.received;
    },
    get errors() {
      return state.errors;
    },
    get connections() {
      return state.connections;
    },
    set connections(value: number) {
      state.connections = value;
    },
    get hold() {
      return state.hold;
    },
    set hold(value) {
      state.hold = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
