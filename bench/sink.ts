/**
 * The SMTP sink every benchmark client talks to: smtp-server on 127.0.0.1 with no TLS and no
 * AUTH, advertising PIPELINING, SIZE, 8BITMIME and SMTPUTF8, draining and discarding message
 * data. It runs in its own process (forked by bench/run.ts) so the server's CPU time never lands
 * on a client's clock.
 *
 * Per connection it counts the TCP reads (socket 'data' events) and, when asked, which of them
 * carried RCPT TO lines, so the bench can tell how the envelope arrived on the server's side.
 *
 * IPC: parent → `{type:'reset', traceRcpt}` (answer `{type:'reset-done'}`), `{type:'collect'}`
 * (answer `{type:'stats', connections}` once every connection since the reset has closed).
 */
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { ConnectionStats, SinkReply, SinkRequest } from './sink-protocol';

const COLLECT_WAIT_MS = 5000;

interface LiveConnection {
  stats: MutableStats;
  closed: boolean;
}
type MutableStats = { -readonly [K in keyof ConnectionStats]: ConnectionStats[K] };

let traceRcpt = false;
let live: LiveConnection[] = [];
const byRemotePort = new Map<number, LiveConnection>();

const server = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  disableReverseLookup: true,
  logger: false,
  // Advertised as `SIZE 67108864` (RFC 1870); large enough for every scenario.
  size: 64 * 1024 * 1024,
  maxClients: 16,
  onRcptTo(_address, session, callback) {
    const connection = byRemotePort.get(session.remotePort);
    if (connection !== undefined) connection.stats.rcptAccepted += 1;
    callback();
  },
  onData(stream, session, callback) {
    const connection = byRemotePort.get(session.remotePort);
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
      if (connection !== undefined) {
        connection.stats.messages += 1;
        connection.stats.dataBytes += bytes;
      }
      callback(null, 'Queued as bench');
    });
  },
});

server.server.on('connection', (socket: Socket) => {
  const connection: LiveConnection = {
    stats: { reads: 0, bytesIn: 0, rcptReads: 0, rcptAccepted: 0, messages: 0, dataBytes: 0 },
    closed: false,
  };
  live.push(connection);
  if (socket.remotePort !== undefined) byRemotePort.set(socket.remotePort, connection);
  const tracing = traceRcpt;
  // A RCPT line cut by a read boundary continues into the next read, which also carries it.
  let lastLineIsRcpt = false;
  socket.on('data', (chunk: Buffer) => {
    connection.stats.reads += 1;
    connection.stats.bytesIn += chunk.length;
    if (!tracing) return;
    const carriesRcpt = lastLineIsRcpt || chunk.indexOf('RCPT TO:') !== -1;
    if (carriesRcpt) connection.stats.rcptReads += 1;
    const tailStart = chunk.lastIndexOf(10) + 1;
    lastLineIsRcpt = tailStart < chunk.length
      ? chunk.subarray(tailStart, tailStart + 4).toString('latin1') === 'RCPT'
      : false;
  });
  socket.on('close', () => {
    connection.closed = true;
    if (socket.remotePort !== undefined) byRemotePort.delete(socket.remotePort);
  });
});

function send(reply: SinkReply): void {
  process.send?.(reply);
}

async function collect(): Promise<void> {
  const deadline = Date.now() + COLLECT_WAIT_MS;
  while (live.some((connection) => !connection.closed) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const open = live.filter((connection) => !connection.closed).length;
  send({ type: 'stats', connections: live.map((connection) => ({ ...connection.stats })), stillOpen: open });
  live = live.filter((connection) => !connection.closed);
}

process.on('message', (message: SinkRequest) => {
  if (message.type === 'reset') {
    traceRcpt = message.traceRcpt;
    live = live.filter((connection) => !connection.closed);
    send({ type: 'reset-done' });
  } else if (message.type === 'collect') {
    void collect();
  } else {
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('sink: no TCP address');
  send({ type: 'ready', port: address.port });
});
