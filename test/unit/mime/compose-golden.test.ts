/**
 * Whole-message golden tests, one per structure. The expected .eml files were written by
 * test/support/write-mime-golden.ts and reviewed by hand; any byte that changes fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeMessage } from '../../../src/core/mime';
import { FIXTURES, GOLDEN_CASES } from '../../support/mime-drafts';
import { collect, parseWithPython } from '../../support/mime-parsers';

const EXPECTED_STRUCTURE: Readonly<Record<string, string>> = {
  plain: 'text/plain',
  alternative: 'multipart/alternative',
  'alternative-related': 'multipart/alternative',
  mixed: 'multipart/mixed',
  'mixed-alternative-related': 'multipart/mixed',
};

describe('composeMessage golden messages', () => {
  for (const golden of GOLDEN_CASES) {
    describe(golden.name, () => {
      it('matches the reviewed .eml byte for byte', async () => {
        const message = await composeMessage(await golden.options());
        const actual = await collect(message.stream());
        const expected = readFileSync(join(FIXTURES, `${golden.name}.eml`));
        assert.equal(actual.toString('utf8'), expected.toString('utf8'));
        assert.ok(actual.equals(expected));
      });

      it('is byte-identical run to run and stream to stream', async () => {
        const first = await composeMessage(await golden.options());
        const second = await composeMessage(await golden.options());
        const a = await collect(first.stream());
        const b = await collect(first.stream());
        const c = await collect(second.stream());
        assert.ok(a.equals(b), 'a second stream() of the same message differs');
        assert.ok(a.equals(c), 'a second composition differs');
      });

      it('reports a size equal to the streamed length', async () => {
        const message = await composeMessage(await golden.options());
        const bytes = await collect(message.stream());
        assert.equal(message.size, bytes.length);
      });

      it('has the expected top-level type and no parser defects', async () => {
        const message = await composeMessage(await golden.options());
        const parsed = await parseWithPython(await collect(message.stream()));
        assert.equal(parsed.contentType, EXPECTED_STRUCTURE[golden.name]);
        assert.deepEqual(parsed.defects, []);
      });
    });
  }
});
