import assert from 'node:assert/strict';
import { isAppError } from '../../../src/core/errors';
import { exitCodeFor } from '../../../src/core/exit-code';
import { everyKind } from './explain-cases';

/** The kinds that mean "change the input": nothing was sent. */
const INPUT_KINDS = ['draft', 'config', 'usage', 'setup', 'argument'];
/** The kinds that mean composing or delivery failed. */
const FAILURE_KINDS = ['compose', 'connection', 'tls', 'protocol', 'reply', 'auth', 'recipients', 'unsupported', 'timeout', 'aborted'];

/** The cases of `everyKind` whose kind is one of `kinds`; fails unless each kind has at least one. */
function casesOf(kinds: readonly string[]): Array<[string, unknown]> {
  const cases = everyKind().filter(([, error]) => isAppError(error) && kinds.includes(error.kind));
  assert.deepEqual([...new Set(cases.map(([, error]) => (isAppError(error) ? error.kind : '')))].sort(), [...kinds].sort(), 'every kind has a case');
  return cases;
}

describe('exit status for every error (exitCodeFor)', () => {
  it('is 2 for input the user must change, nothing having been sent', () => {
    // Every setup reason, and `argument`: the client refused CR/LF in an address before writing anything.
    for (const [name, error] of casesOf(INPUT_KINDS)) assert.equal(exitCodeFor(error), 2, name);
  });

  it('is 1 when delivery or composing failed, or for anything unexpected; never 0', () => {
    const failures: Array<[string, unknown]> = [...casesOf(FAILURE_KINDS), ['an Error', new Error('EFBIG')], ['a string', 'a string'], ['undefined', undefined]];
    for (const [name, error] of failures) assert.equal(exitCodeFor(error), 1, name);
  });
});
