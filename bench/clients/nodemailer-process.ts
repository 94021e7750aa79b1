/**
 * Nodemailer as a user's whole program for the whole-process bench (bench/whole-process.ts):
 * load Nodemailer, then `createTransport().sendMail()` of the text and the 20 MiB attachment read
 * from its path, then exit. Nothing is timed inside: the orchestrator measures the process from
 * spawn to exit, start-up and module loading included, exactly as for `send-as-email send`.
 *
 *   node nodemailer-process.js '{"port":N,"from":…,"to":…,"subject":…,"text":…,"attachmentPath":…,"attachmentName":…}'
 */
import nodemailer from 'nodemailer';

interface Order {
  readonly port: number;
  readonly from: { readonly name: string; readonly address: string };
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly attachmentPath: string;
  readonly attachmentName: string;
}

const order = JSON.parse(process.argv[2] ?? '{}') as Order;
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: order.port, secure: false, ignoreTLS: true, pool: false });
transport
  .sendMail({
    from: { name: order.from.name, address: order.from.address },
    to: order.to,
    subject: order.subject,
    text: order.text,
    attachments: [{ path: order.attachmentPath, filename: order.attachmentName }],
  })
  .then(
    () => transport.close(),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
