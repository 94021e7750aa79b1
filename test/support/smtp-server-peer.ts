/**
 * In-process peers for the SMTP client's protocol tests: an npm `smtp-server` that records
 * every message byte for byte, a throw-away certificate (servers/certificate.ts), and a TCP proxy that
 * records how the client's bytes were chunked on the wire (to see PIPELINING honestly).
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Server, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { makeCertificate } from './servers/certificate';

export type TestCertificate = ReturnType<typeof makeCertificate>;

/** A self-signed certificate for localhost, 127.0.0.1 and ::1 (trusted in tests through `tls.ca`): the one generator. */
export { makeCertificate };

export interface ReceivedMessage {
  readonly from: string;
  readonly mailArgs: Record<string, string | true>;
  readonly to: readonly string[];
  readonly rcptArgs: readonly (Record<string, string | true> | false)[];
  readonly data: Buffer;
  readonly clientHostname: string;
  readonly user: unknown;
}

export interface PeerServer {
  readonly port: number;
  readonly messages: ReceivedMessage[];
  /** Sessions that reached DATA (onData called), complete or not. */
  dataStarted: number;
  /** Connections accepted so far: a check that must not connect compares it before and after. */
  connections: number;
  close(): Promise<void>;
}

export async function startSmtpServer(options: SMTPServerOptions, host = '127.0.0.1'): Promise<PeerServer> {
  const messages: ReceivedMessage[] = [];
  const peer = { dataStarted: 0, connections: 0 };
  const server = new SMTPServer({
    logger: false,
    closeTimeout: 200,
    authOptional: true,
    onData(stream, session: SMTPServerSession, callback) {
      peer.dataStarted++;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          from: mailFrom === false ? '' : mailFrom.address,
          mailArgs: mailFrom === false || mailFrom.args === false ? {} : mailFrom.args,
          to: session.envelope.rcptTo.map((r) => r.address),
          rcptArgs: session.envelope.rcptTo.map((r) => r.args),
          data: Buffer.concat(chunks),
          clientHostname: session.hostNameAppearsAs,
          user: session.user,
        });
        callback(null);
      });
    },
    ...options,
    onConnect(session, callback) {
      peer.connections++;
      if (options.onConnect) options.onConnect(session, callback);
      else callback();
    },
  });
  // smtp-server reports client-side hang-ups (a TLS test that fails on purpose) as 'error'.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(peer, {
    port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/**
 * Options for a peer that offers STARTTLS with `tls` and requires AUTH (PLAIN or LOGIN) for
 * exactly one user: `username` with `password`; anything else is refused.
 */
export function requireAuth(tls: { readonly key: string; readonly cert: string }, username: string, password: string): SMTPServerOptions {
  return {
    key: tls.key,
    cert: tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    onAuth(auth, _session, callback) {
      if (auth.username === username && auth.password === password) callback(null, { user: username });
      else callback(new Error('Invalid username or password'));
    },
  };
}

/** What a command-line suite sends through: a fresh folder, a live server, a config pointing at it. */
export interface LocalPeer {
  /** A new temporary folder (its real path: symlinks resolved), removed by `close`. */
  readonly dir: string;
  readonly server: PeerServer;
  /** `dir/config.json`, whose one profile "local" is plain SMTP to the server, sending as `from`. */
  readonly config: string;
  close(): Promise<void>;
}

export async function openLocalPeer(prefix: string, from: string): Promise<LocalPeer> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const server = await startSmtpServer({});
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ profiles: { local: { host: '127.0.0.1', port: server.port, security: 'none', from } } }));
  return {
    dir,
    server,
    config,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RecordingProxy {
  readonly port: number;
  /** Every chunk the proxy read from the client, in order. */
  readonly clientChunks: Buffer[];
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:port to target, keeping the client's read boundaries. */
export async function startRecordingProxy(targetPort: number): Promise<RecordingProxy> {
  const clientChunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = netConnect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      clientChunks.push(Buffer.from(chunk));
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    clientChunks,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
