/**
 * Starting real servers from mocha hooks. A missing prerequisite skips the suite on a developer
 * machine (printing why) but fails it under CI=true, so CI can never go green by skipping.
 */
import { MissingPrerequisiteError } from './prerequisites';

/**
 * Runs `start` (e.g. `() => startPostfix()`) in a `before` hook. On MissingPrerequisiteError
 * outside CI it prints the reason and skips every test of the suite; anything else is thrown.
 */
export async function startOrSkip<T>(context: Mocha.Context, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof MissingPrerequisiteError && process.env.CI !== 'true') {
      console.log(`      SKIPPED: ${error.message}`);
      context.skip();
    }
    throw error;
  }
}

/**
 * A server for the whole `describe`: started (or the suite skipped, as startOrSkip says) in a
 * `before` hook registered now, stopped in an `after`. Returns the running server, for tests and
 * for `before` hooks registered after this call.
 */
export function useServer<T extends { stop(): Promise<void> }>(what: string, start: () => Promise<T>): () => T {
  let server: T | undefined;
  before(async function () {
    server = await startOrSkip(this, start);
  });
  after(async () => {
    await server?.stop();
    server = undefined;
  });
  return () => {
    if (server === undefined) throw new Error(`${what} was not started`);
    return server;
  };
}
