/** tokenCommand: how a command line is split (no shell), and how the helper is run. */
import assert from 'node:assert/strict';
import { SignInError } from '../../../src/core/oauth/errors';
import { runTokenCommand, splitCommandLine } from '../../../src/core/oauth/token-command';

const node = process.execPath;
const script = (body: string): string[] => [node, '-e', body];

describe('splitCommandLine', () => {
  const cases: Array<[string, string[] | undefined]> = [
    ['oauth2ms', ['oauth2ms']],
    ['  pizauth   show  work  ', ['pizauth', 'show', 'work']],
    [`helper --account 'Ann Lee' --x "a \\"b\\" \\\\ c"`, ['helper', '--account', 'Ann Lee', '--x', 'a "b" \\ c']],
    [`a\\ b c`, ['a b', 'c']],
    [`say 'it''s'`, ['say', 'its']],
    [`"" x`, ['', 'x']],
    // Nothing a shell would expand is expanded.
    ['echo $HOME *.txt `id` | cat; rm -rf ~', ['echo', '$HOME', '*.txt', '`id`', '|', 'cat;', 'rm', '-rf', '~']],
    [`unclosed 'quote`, undefined],
    [`unclosed "quote`, undefined],
    ['trailing\\', undefined],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(splitCommandLine(input), expected));
  }
});

describe('runTokenCommand', function () {
  this.timeout(10_000);

  it('returns the trimmed standard output', async () => {
    assert.equal(await runTokenCommand(script(`process.stdout.write('  tok-abc.123  \\n')`), 'p', { signal: undefined }), 'tok-abc.123');
  });

  it('passes arguments as they are, with no shell in between', async () => {
    assert.equal(await runTokenCommand([...script('process.stdout.write(process.argv[1])'), '$(id) ; `x`'], 'p', { signal: undefined }), '$(id) ; `x`');
  });

  it('a failing helper: exit status and the end of its standard error, never its standard output', async () => {
    await assert.rejects(
      runTokenCommand(script(`process.stdout.write('half-a-token'); process.stderr.write('login required\\n'); process.exit(4)`), 'work', { signal: undefined }),
      (error: unknown) =>
        error instanceof SignInError && error.reason === 'token-command' && /exit status 4/.test(error.message) && /login required/.test(error.message) && !error.message.includes('half-a-token'),
    );
  });

  it('no output, or more than one line, is not a token', async () => {
    for (const body of [`process.stdout.write('')`, `process.stdout.write('a\\nb')`]) {
      await assert.rejects(runTokenCommand(script(body), 'p', { signal: undefined }), (error: unknown) => error instanceof SignInError && /did not print one access token/.test(error.message));
    }
  });

  it('is killed after its timeout', async () => {
    await assert.rejects(runTokenCommand(script('setTimeout(() => {}, 60000)'), 'p', { signal: undefined, timeoutMs: 300 }), (error: unknown) => error instanceof SignInError && /within 0 seconds|within \d+ seconds/.test(error.message));
  });

  it('a program that does not exist is named', async () => {
    await assert.rejects(runTokenCommand(['/nonexistent/helper-xyz'], 'p', { signal: undefined }), (error: unknown) => error instanceof SignInError && /could not be started/.test(error.message));
  });
});
