/**
 * Nodemailer side of every scenario, one run per process (see bench/scenarios.ts for what each
 * measures). Connection-level scenarios use Nodemailer's own SMTPConnection, the class its SMTP
 * and pool transports drive, so the clock can start once the connection is ready exactly as for
 * our client; the draft scenario uses the public createTransport().sendMail() from a file path.
 */
import fs from 'node:fs';
import type { SendMailOptions } from 'nodemailer';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Job, RunResult } from './job';
import { maxRssKiB, runChild, startClock } from './job';
import { installWriteRecorder, startRecording, stopRecording } from './write-recorder';

installWriteRecorder();

function connect(port: number): Promise<SMTPConnection> {
  const connection = new SMTPConnection({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, logger: false });
  return new Promise((resolve, reject) => {
    connection.once('error', reject);
    connection.connect((error) => (error ? reject(error) : resolve(connection)));
  });
}

function send(
  connection: SMTPConnection,
  envelope: { from: string; to: string[]; size?: number },
  message: string | fs.ReadStream,
): Promise<number> {
  return new Promise((resolve, reject) => {
    connection.send(envelope, message, (error, info) => (error ? reject(error) : resolve(info.messageSize)));
  });
}

function quit(connection: SMTPConnection): Promise<void> {
  return new Promise((resolve) => {
    connection.once('end', () => resolve());
    connection.quit();
  });
}

function draftMail(job: Job): SendMailOptions {
  const f = job.fixtures;
  return {
    from: { name: f.from.name, address: f.from.address },
    to: f.to,
    subject: f.subject,
    text: f.draftText,
    attachments: [{ path: f.attachmentPath, filename: f.attachmentName }],
  };
}

async function main(job: Job): Promise<RunResult> {
  const f = job.fixtures;
  switch (job.scenario) {
    case 'rcpt500': {
      const connection = await connect(job.port);
      startRecording();
      const stop = await startClock(job);
      const messageBytes = await send(connection, { from: f.from.address, to: [...f.recipients] }, f.smallMessage);
      const { ms, cpuMs } = await stop();
      const writes = stopRecording(f.recipients.length);
      await quit(connection);
      return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB(), messageBytes, writes };
    }
    case 'many': {
      const connection = await connect(job.port);
      const stop = await startClock(job);
      for (let i = 0; i < f.messageCount; i += 1) {
        await send(connection, { from: f.from.address, to: [f.to] }, f.smallMessage);
      }
      const { ms, cpuMs } = await stop();
      await quit(connection);
      return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB() };
    }
    case 'bulk': {
      const size = fs.statSync(f.composedPath).size;
      const connection = await connect(job.port);
      const stop = await startClock(job);
      const messageBytes = await send(connection, { from: f.from.address, to: [f.to], size }, fs.createReadStream(f.composedPath));
      const { ms, cpuMs } = await stop();
      await quit(connection);
      return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB(), messageBytes };
    }
    case 'attach': {
      const mail = draftMail(job);
      const stop = await startClock(job);
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: job.port, secure: false, ignoreTLS: true, pool: false });
      const info = await transport.sendMail(mail);
      const { ms, cpuMs } = await stop();
      transport.close();
      const messageBytes = (info as { messageSize?: number }).messageSize;
      return { ok: true, ms, cpuMs, maxRssKiB: maxRssKiB(), ...(messageBytes === undefined ? {} : { messageBytes }) };
    }
    case 'compose': {
      const mail = draftMail(job);
      const stop = await startClock(job);
      const output = fs.createWriteStream('/dev/null');
      const stream = new MailComposer(mail).compile().createReadStream();
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
