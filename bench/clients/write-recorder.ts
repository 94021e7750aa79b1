/**
 * Counts what a client hands to its TCP sockets, to check RFC 2920 pipelining from the client's
 * side: how many write operations carried RCPT TO lines.
 *
 * The receiver's TCP reads cannot prove this alone: many small writes made in one tick arrive
 * coalesced in one read, and one big write can arrive split over several. So we count at the
 * client, at the last JavaScript step before libuv: net.Socket#_write (one buffer) and
 * net.Socket#_writev (a corked batch, one writev(2)). Public socket.write() calls are counted too.
 *
 * While recording, chunks are only kept (no scanning), so the timed work pays almost nothing;
 * they are analysed after the clock stops.
 */
import net from 'node:net';
import type { WriteReport } from './job';

type Chunk = string | Uint8Array;
interface WritevEntry {
  readonly chunk: Chunk;
}
/** The three net.Socket methods wrapped, as function properties (they are called with the socket as `this`). */
interface PatchableSocket {
  _write: (this: PatchableSocket, chunk: Chunk, encoding: BufferEncoding, callback: (error?: Error | null) => void) => void;
  _writev?: (this: PatchableSocket, chunks: WritevEntry[], callback: (error?: Error | null) => void) => void;
  write: (this: PatchableSocket, ...args: unknown[]) => boolean;
}

let recording = false;
let socketWriteCalls = 0;
const ops: Chunk[][] = [];

/** Installs the counters; call before any client code opens a socket. */
export function installWriteRecorder(): void {
  const proto = net.Socket.prototype as unknown as PatchableSocket;
  const originalWrite = proto._write;
  const originalWritev = proto._writev;
  const originalPublicWrite = proto.write;
  proto._write = function (chunk, encoding, callback) {
    if (recording) ops.push([chunk]);
    originalWrite.call(this, chunk, encoding, callback);
  };
  if (originalWritev !== undefined) {
    proto._writev = function (chunks, callback) {
      if (recording) ops.push(chunks.map((entry) => entry.chunk));
      originalWritev.call(this, chunks, callback);
    };
  }
  proto.write = function (...args: unknown[]) {
    if (recording) socketWriteCalls += 1;
    return originalPublicWrite.apply(this, args);
  };
}

export function startRecording(): void {
  ops.length = 0;
  socketWriteCalls = 0;
  recording = true;
}

export function stopRecording(expectedRecipients: number): WriteReport {
  recording = false;
  let rcptWriteOps = 0;
  let envelopeInOneWrite = false;
  for (const op of ops) {
    const text = op.map((chunk) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'))).join('').toUpperCase();
    const rcptLines = countOccurrences(text, 'RCPT TO:');
    if (rcptLines > 0) rcptWriteOps += 1;
    if (rcptLines === expectedRecipients && text.includes('MAIL FROM:')) {
      envelopeInOneWrite = true;
    }
  }
  return { writeOps: ops.length, rcptWriteOps, envelopeInOneWrite, socketWriteCalls };
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count += 1;
  return count;
}
