/**
 * Rewrites test/fixtures/mime/*.eml from the current composer. Run only after a deliberate
 * change to the output, and review the diff by eye before committing:
 *   npx tsx test/support/write-mime-golden.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeMessage } from '../../src/core/mime';
import { collect } from './mime-parsers';
import { FIXTURES, GOLDEN_CASES } from './mime-drafts';

async function main(): Promise<void> {
  for (const golden of GOLDEN_CASES) {
    const message = await composeMessage(await golden.options());
    const bytes = await collect(message.stream());
    writeFileSync(join(FIXTURES, `${golden.name}.eml`), bytes);
    console.log(`${golden.name}.eml: ${bytes.length} bytes`);
  }
}

void main();
