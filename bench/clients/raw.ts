/**
 * The floor for scenario 3: a minimal hand-written SMTP exchange that pushes an already composed,
 * already dot-safe file into a raw socket. No parsing of the data, no CRLF or dot handling: what
 * any client costs above this is its own overhead.
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

async function main(job: Job): Promise<RunResult> {
  if (job.scenario !== 'bulk') throw new Error(`raw client: no ${job.scenario} scenario`);
  const f = job.fixtures;
  const socket = net.connect({ host: '127.0.0.1', port: job.port });
  const reader = new ReplyReader(socket);
  await expect(reader, '220');
  socket.write('EHLO bench.localhost\r\n');
  await expect(reader, '250');

  const stop = startClock();
  socket.write(`MAIL FROM:<${f.from.address}>\r\nRCPT TO:<${f.to}>\r\nDATA\r\n`);
  await expect(reader, '250');
  await expect(reader, '250');
  await expect(reader, '354');
  const file = fs.createReadStream(f.composedPath);
  file.pipe(socket, { end: false });
  await new Promise<void>((resolve, reject) => {
    file.once('end', resolve);
    file.once('error', reject);
  });
  socket.write('.\r\n');
  await expect(reader, '250');
  const { ms, cpuMs } = stop();

  socket.write('QUIT\r\n');
  await expect(reader, '221');
  socket.end();
  return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB(), messageBytes: file.bytesRead };
}

runChild(main);
