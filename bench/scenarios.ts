/**
 * The five scenarios: who runs in each, how a run is checked against what the sink received,
 * and how the medians turn into table rows with a target.
 */
import type { Fixtures, RunResult, ScenarioId } from './clients/job';
import { ATTACHMENT_BYTES } from './fixtures';
import type { ConnectionStats } from './sink-protocol';

/** Base64 of the attachment alone (RFC 2045 6.8): any complete message is at least this long. */
const ATTACHMENT_BASE64_BYTES = Math.ceil(ATTACHMENT_BYTES / 3) * 4;

export type Side = 'ours' | 'nodemailer' | 'raw';

export interface Sample {
  readonly side: Side;
  readonly result: RunResult;
  /** The sink's view of the run's connection (absent for scenarios without one). */
  readonly server?: ConnectionStats;
}

export type Verdict = 'PASS' | 'FAIL' | 'info' | 'n/a';

export interface Row {
  readonly label: string;
  readonly ours: string;
  readonly other: string;
  readonly ratio: string;
  readonly target: string;
  readonly verdict: Verdict;
  /** Client CPU time during the window, ours / theirs: steadier than wall time on a busy machine. */
  readonly cpu: string;
  /** Why a FAIL or n/a, shown under the table. */
  readonly note?: string;
}

export interface Scenario {
  readonly id: ScenarioId;
  readonly number: number;
  readonly title: string;
  /** The side compared with ours in the main row. */
  readonly sides: readonly Side[];
  readonly traceRcpt: boolean;
  /** Connections the sink must have seen for one run. */
  readonly connections: number;
  /** Checks one run against what the sink received; returns a problem or undefined. */
  validate(sample: Sample, fixtures: Fixtures, composedBytes: number): string | undefined;
  rows(samples: ReadonlyMap<Side, readonly Sample[]>, fixtures: Fixtures): Row[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;
  return ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');
const mb = (kib: number): string => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(1)} MB` : '—');
const ratioText = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');

function times(samples: ReadonlyMap<Side, readonly Sample[]>, side: Side): number {
  return median((samples.get(side) ?? []).map((sample) => sample.result.ms));
}

function cpuRatio(samples: ReadonlyMap<Side, readonly Sample[]>, other: Side): string {
  const cpu = (side: Side): number => median((samples.get(side) ?? []).map((sample) => sample.result.cpuMs));
  return ratioText(cpu('ours') / cpu(other));
}

function rss(samples: ReadonlyMap<Side, readonly Sample[]>, side: Side): number {
  return median((samples.get(side) ?? []).map((sample) => sample.result.maxRssKiB));
}

/** A row comparing a median of ours with a median of the other side, lower is better. */
function lowerIsBetter(label: string, ours: number, other: number, limit: number | undefined, format: (value: number) => string, cpu: string): Row {
  const ratio = ours / other;
  const target = limit === undefined ? 'report only' : `≤ ${limit.toFixed(2)}×`;
  return {
    label,
    ours: format(ours),
    other: format(other),
    ratio: ratioText(ratio),
    target,
    verdict: verdictOf(ours, limit === undefined ? undefined : ratio <= limit),
    cpu,
  };
}

function verdictOf(ours: number, passed: boolean | undefined): Verdict {
  if (!Number.isFinite(ours)) return 'n/a';
  if (passed === undefined) return 'info';
  return passed ? 'PASS' : 'FAIL';
}

function oneConnection(sample: Sample): string | undefined {
  return sample.server === undefined ? 'the sink saw no connection' : undefined;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'rcpt500',
    number: 1,
    title: '500 recipients, one message',
    sides: ['ours', 'nodemailer'],
    traceRcpt: true,
    connections: 1,
    validate(sample, fixtures) {
      const server = sample.server;
      if (server === undefined) return oneConnection(sample);
      if (server.rcptAccepted !== fixtures.recipients.length) return `sink accepted ${server.rcptAccepted} RCPT, expected ${fixtures.recipients.length}`;
      if (server.messages !== 1) return `sink received ${server.messages} messages, expected 1`;
      return undefined;
    },
    rows(samples) {
      const ours = samples.get('ours') ?? [];
      const theirs = samples.get('nodemailer') ?? [];
      const writesOf = (list: readonly Sample[]): string => {
        const worst = Math.max(...list.map((sample) => sample.result.writes?.rcptWriteOps ?? Number.NaN));
        const together = list.length > 0 && list.every((sample) => sample.result.writes?.envelopeInOneWrite === true);
        return list.length === 0 ? '—' : `${worst}${together ? ' (MAIL+RCPT)' : ''}`;
      };
      const readsOf = (list: readonly Sample[]): string =>
        list.length === 0 ? '—' : String(Math.max(...list.map((sample) => sample.server?.rcptReads ?? Number.NaN)));
      const oursOneWrite = ours.length > 0 && ours.every((sample) => sample.result.writes?.rcptWriteOps === 1 && sample.result.writes.envelopeInOneWrite);
      return [
        lowerIsBetter('1. 500 RCPT: connected → final reply', times(samples, 'ours'), times(samples, 'nodemailer'), 1, ms, cpuRatio(samples, 'nodemailer')),
        {
          label: '1. 500 RCPT: client write ops with RCPT (max)',
          ours: writesOf(ours),
          other: writesOf(theirs),
          ratio: '',
          target: '1 write, MAIL+500 RCPT',
          verdict: ours.length === 0 ? 'n/a' : oursOneWrite ? 'PASS' : 'FAIL',
          cpu: '',
        },
        {
          label: '1. 500 RCPT: server TCP reads with RCPT (max)',
          ours: readsOf(ours),
          other: readsOf(theirs),
          ratio: '',
          target: 'report only',
          verdict: ours.length === 0 ? 'n/a' : 'info',
          cpu: '',
        },
      ];
    },
  },
  {
    id: 'many',
    number: 2,
    title: '200 small messages over one connection',
    sides: ['ours', 'nodemailer', 'raw'],
    traceRcpt: false,
    connections: 1,
    validate(sample, fixtures) {
      const server = sample.server;
      if (server === undefined) return oneConnection(sample);
      if (server.messages !== fixtures.messageCount) return `sink received ${server.messages} messages, expected ${fixtures.messageCount}`;
      return undefined;
    },
    rows(samples, fixtures) {
      const rate = (side: Side): number =>
        median((samples.get(side) ?? []).map((sample) => fixtures.messageCount / (sample.result.ms / 1000)));
      const ours = rate('ours');
      const theirs = rate('nodemailer');
      const floor = rate('raw');
      const format = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(0)} msg/s` : '—');
      return [
        {
          label: '2. 200 messages, one connection',
          ours: format(ours),
          other: format(theirs),
          ratio: ratioText(ours / theirs),
          target: '≥ 1.50×',
          verdict: verdictOf(ours, ours / theirs >= 1.5),
          cpu: cpuRatio(samples, 'nodemailer'),
        },
        {
          label: '2. same, vs raw socket (2 round trips/msg)',
          ours: format(ours),
          other: format(floor),
          ratio: ratioText(ours / floor),
          target: 'report only',
          verdict: verdictOf(ours, undefined),
          cpu: cpuRatio(samples, 'raw'),
        },
      ];
    },
  },
  {
    id: 'bulk',
    number: 3,
    title: '27 MiB already composed, from a file stream',
    sides: ['ours', 'raw', 'nodemailer'],
    traceRcpt: false,
    connections: 1,
    validate(sample, _fixtures, composedBytes) {
      const server = sample.server;
      if (server === undefined) return oneConnection(sample);
      if (server.messages !== 1) return `sink received ${server.messages} messages, expected 1`;
      if (server.dataBytes !== composedBytes) return `sink received ${server.dataBytes} message bytes, expected ${composedBytes}`;
      return undefined;
    },
    rows(samples) {
      const ours = times(samples, 'ours');
      return [
        lowerIsBetter('3. 27 MiB file: connected → final reply, vs raw socket', ours, times(samples, 'raw'), 2, ms, cpuRatio(samples, 'raw')),
        lowerIsBetter('3. 27 MiB file: same, vs Nodemailer', ours, times(samples, 'nodemailer'), undefined, ms, cpuRatio(samples, 'nodemailer')),
      ];
    },
  },
  {
    id: 'attach',
    number: 4,
    title: 'Draft with a 20 MiB attachment from disk: compose + send',
    sides: ['ours', 'nodemailer'],
    traceRcpt: false,
    connections: 1,
    validate(sample) {
      const server = sample.server;
      if (server === undefined) return oneConnection(sample);
      if (server.messages !== 1) return `sink received ${server.messages} messages, expected 1`;
      if (server.dataBytes < ATTACHMENT_BASE64_BYTES) {
        return `sink received only ${server.dataBytes} bytes (the attachment alone is ${ATTACHMENT_BASE64_BYTES} in base64)`;
      }
      return undefined;
    },
    rows(samples) {
      return [
        lowerIsBetter('4. 20 MiB attachment: start → final reply', times(samples, 'ours'), times(samples, 'nodemailer'), 0.6, ms, cpuRatio(samples, 'nodemailer')),
        lowerIsBetter('4. 20 MiB attachment: peak RSS', rss(samples, 'ours'), rss(samples, 'nodemailer'), 1, mb, ''),
      ];
    },
  },
  {
    id: 'compose',
    number: 5,
    title: 'Compose the scenario 4 message to /dev/null',
    sides: ['ours', 'nodemailer'],
    traceRcpt: false,
    connections: 0,
    validate(sample) {
      const written = sample.result.messageBytes ?? 0;
      return written < ATTACHMENT_BASE64_BYTES
        ? `only ${written} bytes were written (the attachment alone is ${ATTACHMENT_BASE64_BYTES} in base64)`
        : undefined;
    },
    rows(samples) {
      return [lowerIsBetter('5. compose to /dev/null', times(samples, 'ours'), times(samples, 'nodemailer'), undefined, ms, cpuRatio(samples, 'nodemailer'))];
    },
  },
];
