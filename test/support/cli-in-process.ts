/** Runs the `send-as-email` command line in-process (`main(argv, io)`) with a temporary environment. */
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/main';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `onOut` sees each stdout line as it is printed (a test that must act on a printed URL). */
export async function runCli(argv: string[], env: Record<string, string | undefined> = {}, onOut?: (line: string) => void): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (t) => {
      out.push(t);
      onOut?.(t);
    },
    err: (t) => err.push(t),
  };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const code = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
