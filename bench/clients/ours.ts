/**
 * Our side of every scenario, one run per process, measured exactly where the Nodemailer side
 * (bench/clients/nodemailer.ts) is measured. Bundled by esbuild before the run, so no
 * TypeScript compilation lands on the clock.
 */
import fs from 'node:fs';
import type { Draft } from '../../src/core/draft/types';
import { randomIdentity } from '../../src/core/identity';
import { composeMessage } from '../../src/core/mime';
import type { SmtpProfile } from '../../src/core/profiles';
import { SmtpSession } from '../../src/core/send';
import { SmtpClient } from '../../src/core/smtp';
import type { Job, RunResult } from './job';
import { maxRssKiB, runChild, startClock } from './job';
import { installWriteRecorder, startRecording, stopRecording } from './write-recorder';

installWriteRecorder();

async function connect(port: number): Promise<SmtpClient> {
  const client = new SmtpClient({ host: '127.0.0.1', port, security: 'none', clientName: 'bench.localhost' });
  await client.connect();
  return client;
}

/** The sink: plaintext, no AUTH, on loopback. */
function benchProfile(port: number): SmtpProfile {
  return { name: 'bench', host: '127.0.0.1', port, security: 'none', auth: 'none', tls: { allowSelfSigned: false }, allowPlaintextAuth: false };
}

/** The same plain-text draft with one attachment that Nodemailer gets as {text, attachments:[{path}]}. */
function draftOf(job: Job): Draft {
  const f = job.fixtures;
  return {
    format: 'plaintext',
    baseDir: f.dir,
    to: [{ address: f.to }],
    cc: [],
    bcc: [],
    replyTo: [],
    subject: f.subject,
    attachments: [{ path: f.attachmentPath, realPath: f.attachmentPath, filename: f.attachmentName, size: fs.statSync(f.attachmentPath).size, outside: false }],
    references: [],
    headers: [],
    body: f.draftText,
    bodyStartLine: 1,
  };
}

async function main(job: Job): Promise<RunResult> {
  const f = job.fixtures;
  switch (job.scenario) {
    case 'rcpt500': {
      const client = await connect(job.port);
      startRecording();
      const stop = await startClock(job);
      const result = await client.send({ from: f.from.address, to: f.recipients }, f.smallMessage);
      const { ms, cpuMs } = await stop();
      const writes = stopRecording(f.recipients.length);
      await client.quit();
      return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB(), messageBytes: result.bytesSent, writes };
    }
    case 'many': {
      const client = await connect(job.port);
      const stop = await startClock(job);
      for (let i = 0; i < f.messageCount; i += 1) {
        await client.send({ from: f.from.address, to: [f.to] }, f.smallMessage);
      }
      const { ms, cpuMs } = await stop();
      await client.quit();
      return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB() };
    }
    case 'bulk': {
      const size = fs.statSync(f.composedPath).size;
      const client = await connect(job.port);
      const stop = await startClock(job);
      const result = await client.send({ from: f.from.address, to: [f.to], size }, fs.createReadStream(f.composedPath));
      const { ms, cpuMs } = await stop();
      await client.quit();
      return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB(), messageBytes: result.bytesSent };
    }
    case 'attach': {
      // As the real pipeline runs it (src/cli/main.ts, src/core/send.ts): the session opens
      // while the message is composed, then the message is sent and the session QUITs.
      const draft = draftOf(job);
      const stop = await startClock(job);
      const session = SmtpSession.open({ profile: benchProfile(job.port), trace: 'off', clientName: 'bench.localhost' });
      await session.connecting;
      const result = await session.send(composeMessage({ draft, from: f.from, identity: randomIdentity(f.from.address), html: undefined, eightBitMime: false }));
      const { ms, cpuMs } = await stop();
      return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB(), messageBytes: result.bytesSent };
    }
    case 'compose': {
      const draft = draftOf(job);
      const stop = await startClock(job);
      const output = fs.createWriteStream('/dev/null');
      const stream = (await composeMessage({ draft, from: f.from, identity: randomIdentity(f.from.address), html: undefined, eightBitMime: false })).stream();
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        output.once('error', reject);
        output.once('finish', resolve);
        stream.pipe(output);
      });
      const { ms, cpuMs } = await stop();
      return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB(), messageBytes: output.bytesWritten };
    }
  }
}

runChild(main);
