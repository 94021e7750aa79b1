import assert from 'node:assert/strict';
import { draftWarnings } from '../../../../src/core/draft/warnings';
import { localLinks } from '../../../../src/core/draft/warnings/local-link';
import { unknownProfile } from '../../../../src/core/draft/warnings/unknown-profile';
import { linesOf } from './support';

describe('warning: a Markdown link to a local file', () => {
  it('marks the whole link, decoded; not images, URLs, anchors or code', () => {
    const lines = linesOf(['---', 'to: bob@example.com', '---', 'See [the report](my%20report.pdf "title") and [site](https://example.com).', '![chart](chart.png) [top](#top) `[x](y.pdf)` [mail](mailto:a@b.c)', '```', '[x](code.pdf)', '```']);
    const problems = localLinks(lines);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'local-link');
    assert.match(problems[0]?.message ?? '', /my report\.pdf/);
    assert.deepEqual([problems[0]?.start, problems[0]?.end], [{ line: 4, column: 5 }, { line: 4, column: 42 }]);
  });

  it('is not looked for in a plaintext draft', () => {
    const text = ['---', 'to: bob@example.com', '---', '[x](report.pdf)'].join('\n');
    const input = { text, draft: undefined, profile: undefined, profiles: { names: [], unusable: [] }, htmlBytes: undefined };
    assert.equal(draftWarnings({ ...input, format: 'markdown' }).length, 1);
    assert.equal(draftWarnings({ ...input, format: 'plaintext' }).length, 0);
  });
});

describe('problem: profile: names no configured profile', () => {
  it('is an error on the value, listing the configured names', () => {
    const [problem] = unknownProfile(linesOf(['---', 'to: bob@example.com', 'profile: "wrok"', '---']), { names: ['work', 'home'], unusable: [] });
    assert.equal(problem?.code, 'unknown-profile');
    assert.equal(problem?.severity, 'error');
    assert.match(problem?.message ?? '', /"wrok"; configured: work, home/);
    assert.deepEqual([problem?.start, problem?.end], [{ line: 3, column: 10 }, { line: 3, column: 16 }]);
  });

  it('is silent for a configured, an unusable (explained when sending) or no profile', () => {
    const known = { names: ['work'], unusable: ['hidden'] };
    assert.deepEqual(unknownProfile(linesOf(['---', 'profile: work', '---']), known), []);
    assert.deepEqual(unknownProfile(linesOf(['---', 'profile: hidden', '---']), known), []);
    assert.deepEqual(unknownProfile(linesOf(['---', 'to: a@example.com', '---']), known), []);
  });
});
