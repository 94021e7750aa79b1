/** Messages between bench/run.ts and the sink process (bench/sink.ts). */

export interface ConnectionStats {
  /** TCP reads on the server side (socket 'data' events). */
  readonly reads: number;
  readonly bytesIn: number;
  /** Reads that carried (part of) a RCPT TO line; counted only when traceRcpt is on. */
  readonly rcptReads: number;
  readonly rcptAccepted: number;
  /** Messages fully received (final dot seen). */
  readonly messages: number;
  /** Message bytes after dot-unstuffing, final dot excluded. */
  readonly dataBytes: number;
}

export type SinkRequest =
  | { readonly type: 'reset'; readonly traceRcpt: boolean }
  | { readonly type: 'collect' }
  | { readonly type: 'stop' };

export type SinkReply =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'reset-done' }
  | { readonly type: 'stats'; readonly connections: readonly ConnectionStats[]; readonly stillOpen: number };
