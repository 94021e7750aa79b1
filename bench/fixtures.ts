/**
 * Test data made once per bench run in a private temp folder, removed at the end:
 * - a 20 MiB attachment of random bytes (incompressible, like a PDF or a photo);
 * - the same bytes as an already composed MIME message: base64 in 76-column CRLF lines
 *   (RFC 2045 6.8), about 27.4 MiB, the size Nodemailer puts on the wire for that attachment;
 * - a small composed message, the draft text and 500 recipient addresses.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Fixtures } from './clients/job';

export const ATTACHMENT_BYTES = 20 * 1024 * 1024;
const RECIPIENTS = 500;
const MESSAGES = 200;
const BASE64_LINE = 76;

const from = { name: 'Bench Sender', address: 'sender@bench.example' };
const to = 'reader@bench.example';
const subject = 'Quarterly report, figures attached';

const draftText = [
  'Hi Bob,',
  '',
  'The quarterly figures are attached. Revenue is up 4.2% on the previous quarter; the',
  'detail by region is on page 3 and the cost breakdown on page 7.',
  '',
  'Two things need a decision before Friday:',
  '',
  '1. whether we keep the second supplier for the winter months;',
  '2. the date of the review meeting (Tuesday or Thursday).',
  '',
  'Thanks,',
  'Alice',
  '',
].join('\n');

/** A small, already composed message: what scenarios 1 and 2 send many times. */
function smallMessage(): string {
  const lines = [
    `From: ${from.name} <${from.address}>`,
    `To: ${to}`,
    `Subject: ${subject}`,
    'Date: Fri, 28 Nov 2025 10:00:00 +0000',
    'Message-ID: <bench-small@bench.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    ...draftText.split('\n'),
  ];
  return lines.join('\r\n');
}

function base64Lines(data: Buffer): string {
  const encoded = data.toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < encoded.length; at += BASE64_LINE) lines.push(encoded.slice(at, at + BASE64_LINE));
  return lines.join('\r\n');
}

function composedMessage(attachment: Buffer, attachmentName: string): string {
  const boundary = '----=_bench_boundary_0';
  return [
    `From: ${from.name} <${from.address}>`,
    `To: ${to}`,
    `Subject: ${subject}`,
    'Date: Fri, 28 Nov 2025 10:00:00 +0000',
    'Message-ID: <bench-large@bench.example>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    ...draftText.split('\n'),
    `--${boundary}`,
    `Content-Type: application/octet-stream; name="${attachmentName}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${attachmentName}"`,
    '',
    base64Lines(attachment),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

export function makeFixtures(): Fixtures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'send-as-email-bench-'));
  const attachmentName = 'quarterly-report.bin';
  const attachmentPath = path.join(dir, attachmentName);
  const attachment = randomBytes(ATTACHMENT_BYTES);
  fs.writeFileSync(attachmentPath, attachment);
  const composedPath = path.join(dir, 'composed.eml');
  // Base64 and the headers never put a dot at the start of a line: the file is already dot-safe.
  fs.writeFileSync(composedPath, composedMessage(attachment, attachmentName), 'latin1');
  const recipients = Array.from({ length: RECIPIENTS }, (_, i) => `reader${String(i).padStart(3, '0')}@bench.example`);
  return {
    dir,
    composedPath,
    attachmentPath,
    attachmentName,
    smallMessage: smallMessage(),
    draftText,
    subject,
    from,
    to,
    recipients,
    messageCount: MESSAGES,
  };
}

export function removeFixtures(fixtures: Fixtures): void {
  fs.rmSync(fixtures.dir, { recursive: true, force: true });
}
