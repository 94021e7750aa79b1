/**
 * The floor for scenarios 2 and 3: a minimal hand-written SMTP exchange over a raw socket that
 * sends already composed, already dot-safe data as it is. No parsing of the data, no CRLF or dot
 * handling, no events: what any client costs above this is its own overhead.
 */
import fs from 'node:fs';
import net from 'node:net';
import type { Job, RunResult } from './job';
import { maxRssKiB, runChild, startClock } from './job';

/** Reads complete SMTP replies (RFC 5321 4.2: the last line has a space after the code). */
class ReplyReader {
  private buffered = '';
  private readonly replies: string[] = [];
  private waiting: ((reply: string) => void) | undefined;

  constructor(socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => this.push(text));
  }

  next(): Promise<string> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private push(text: string): void {
    this.buffered += text;
    let end = this.buffered.indexOf('\r\n');
    while (end !== -1) {
      const line = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      if (line.charAt(3) !== '-') this.deliver(line);
      end = this.buffered.indexOf('\r\n');
    }
  }

  private deliver(line: string): void {
    const waiting = this.waiting;
    if (waiting !== undefined) {
      this.waiting = undefined;
      waiting(line);
    } else {
      this.replies.push(line);
    }
  }
}

async function expect(reader: ReplyReader, code: string): Promise<void> {
  const reply = await reader.next();
  if (!reply.startsWith(code)) throw new Error(`raw client: expected ${code}, got ${reply}`);
}

async function connect(port: number): Promise<{ socket: net.Socket; reader: ReplyReader }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  const reader = new ReplyReader(socket);
  await expect(reader, '220');
  socket.write('EHLO bench.localhost\r\n');
  await expect(reader, '250');
  return { socket, reader };
}

async function quit(socket: net.Socket, reader: ReplyReader): Promise<void> {
  socket.write('QUIT\r\n');
  await expect(reader, '221');
  socket.end();
}

/** MAIL, RCPT and DATA in one write (RFC 2920), then their three replies. */
async function envelope(socket: net.Socket, reader: ReplyReader, from: string, to: string): Promise<void> {
  socket.write(`MAIL FROM:<${from}>\r\nRCPT TO:<${to}>\r\nDATA\r\n`);
  await expect(reader, '250');
  await expect(reader, '250');
  await expect(reader, '354');
}

/** Scenario 2 floor: two round trips per message, body and final dot in one write. */
async function many(job: Job): Promise<RunResult> {
  const f = job.fixtures;
  const { socket, reader } = await connect(job.port);
  const body = Buffer.from(`${f.smallMessage}.\r\n`, 'latin1');
  const stop = await startClock(job);
  for (let i = 0; i < f.messageCount; i += 1) {
    await envelope(socket, reader, f.from.address, f.to);
    socket.write(body);
    await expect(reader, '250');
  }
  const { ms, cpuMs } = await stop();
  await quit(socket, reader);
  return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB() };
}

/** Scenario 3 floor: the composed file piped into the socket as it is. */
async function bulk(job: Job): Promise<RunResult> {
  const f = job.fixtures;
  const { socket, reader } = await connect(job.port);
  const stop = await startClock(job);
  await envelope(socket, reader, f.from.address, f.to);
  const file = fs.createReadStream(f.composedPath);
  file.pipe(socket, { end: false });
  await new Promise<void>((resolve, reject) => {
    file.once('end', resolve);
    file.once('error', reject);
  });
  socket.write('.\r\n');
  await expect(reader, '250');
  const { ms, cpuMs } = await stop();
  await quit(socket, reader);
  return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB(), messageBytes: file.bytesRead };
}

function main(job: Job): Promise<RunResult> {
  if (job.scenario === 'many') return many(job);
  if (job.scenario === 'bulk') return bulk(job);
  throw new Error(`raw client: no ${job.scenario} scenario`);
}

runChild(main);
