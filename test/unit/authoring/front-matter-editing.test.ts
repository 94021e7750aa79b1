import assert from 'node:assert/strict';
import { addToAttach, yamlScalar } from '../../../src/core/authoring/attach-edit';
import { cursorContext } from '../../../src/core/authoring/cursor-context';
import { KEY_DESCRIPTIONS } from '../../../src/core/authoring/key-descriptions';
import { KNOWN_KEYS } from '../../../src/core/draft/front-matter-keys';

/** The text with `|` marking the position, and that position. */
function at(marked: string): [string, number] {
  const offset = marked.indexOf('|');
  return [marked.replace('|', ''), offset];
}

function apply(text: string, paths: string[]): string {
  const edit = addToAttach(text, paths);
  assert.ok(edit !== undefined, 'an edit');
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

describe('authoring: where the cursor is in the front matter', () => {
  it('knows a key being typed, and a key already written', () => {
    assert.deepEqual(cursorContext(...at('---\nto: a@example.com\nsu|\n---\nbody')), { kind: 'key', key: 'su', start: 22, end: 24 });
    assert.deepEqual(cursorContext(...at('---\nSubj|ect: x\n---\n')), { kind: 'key', key: 'subject', start: 4, end: 11 });
  });

  it('knows the item of a value: after commas, in flow and block lists, quotes kept together', () => {
    const [text, offset] = at('---\nto: "Li, Bob" <bob@example.com>, car|\n---\n');
    const context = cursorContext(text, offset);
    assert.ok(context?.kind === 'value');
    assert.equal(context.key, 'to');
    assert.equal(context.typed, 'car');
    assert.equal(text.slice(context.itemStart, context.itemEnd), 'car');

    const list = cursorContext(...at('---\nattach:\n  - ./docs/rep|ort.pdf\nto: x@example.com\n---\n'));
    assert.ok(list?.kind === 'value');
    assert.deepEqual([list.key, list.item, list.typed], ['attach', './docs/report.pdf', './docs/rep']);

    const flow = cursorContext(...at('---\ncc: [a@example.com, b@ex|]\n---\n'));
    assert.ok(flow?.kind === 'value');
    assert.deepEqual([flow.key, flow.item], ['cc', 'b@ex']);
  });

  it('offers nothing in the body, before the front matter, or in a file without one', () => {
    assert.equal(cursorContext(...at('---\nto: a@example.com\n---\nto: |\n')), undefined);
    assert.equal(cursorContext(...at('# README\nto: |\n')), undefined);
    // An unterminated front matter is one being written: it counts.
    assert.equal(cursorContext(...at('---\nto: a@example.com\nprof|'))?.kind, 'key');
  });

  it('describes every key the parser knows', () => {
    for (const key of KNOWN_KEYS) assert.ok(KEY_DESCRIPTIONS[key].template.length > 0, key);
  });
});

describe('authoring: adding dropped files to attach:', () => {
  it('adds the key before the closing fence when the draft has none', () => {
    assert.equal(apply('---\nto: a@example.com\n---\nHi\n', ['report.pdf']), '---\nto: a@example.com\nattach:\n  - report.pdf\n---\nHi\n');
    assert.equal(apply('---\r\nto: a@example.com\r\n---\r\n', ['a b.pdf']), '---\r\nto: a@example.com\r\nattach:\r\n  - a b.pdf\r\n---\r\n');
  });

  it('turns one path into a list, appends to a block list with its indent, and to a flow list', () => {
    assert.equal(apply('---\nattach: one.pdf\nto: x@example.com\n---\n', ['two.pdf']), '---\nattach:\n  - one.pdf\n  - two.pdf\nto: x@example.com\n---\n');
    assert.equal(apply('---\nattach:\n- one.pdf\n\nto: x@example.com\n---\n', ['two.pdf', 'docs/three.pdf']), '---\nattach:\n- one.pdf\n- two.pdf\n- docs/three.pdf\n\nto: x@example.com\n---\n');
    assert.equal(apply('---\nattach: [one.pdf]\n---\n', ['two.pdf']), '---\nattach: [one.pdf, two.pdf]\n---\n');
    assert.equal(apply('---\nattach: []\n---\n', ['two.pdf']), '---\nattach: [two.pdf]\n---\n');
    assert.equal(apply('---\nto: x@example.com\nattach:\n---\n', ['two.pdf']), '---\nto: x@example.com\nattach:\n  - two.pdf\n---\n');
  });

  it('quotes a path YAML would read as something else', () => {
    assert.equal(yamlScalar('docs/report v2.pdf'), 'docs/report v2.pdf');
    assert.equal(yamlScalar('notes: draft.md'), '"notes: draft.md"');
    assert.equal(yamlScalar('#1.pdf'), '"#1.pdf"');
    assert.equal(yamlScalar('a, b.pdf'), '"a, b.pdf"');
    assert.equal(yamlScalar('"quoted".txt'), '"\\"quoted\\".txt"');
  });

  it('does nothing to a file without front matter', () => {
    assert.equal(addToAttach('# README\n', ['a.pdf']), undefined);
  });
});
