import assert from 'node:assert/strict';
import { BUILT_IN_TEMPLATE } from '../../../src/core/templates/built-in';
import { appendSignature, readSignature } from '../../../src/core/templates/signature';
import { escapeSnippet, templateSnippet } from '../../../src/core/templates/snippet';
import { normaliseProfile } from '../../../src/core/profiles';
import type { LocalizedText } from '../../../src/core/text';

describe('authoring: templates and signatures', () => {
  it('the built-in template has to, cc, subject and attach in its front matter', () => {
    assert.match(BUILT_IN_TEMPLATE, /^---\nto: \ncc: \nsubject: \nattach: \n---\n/);
  });

  it('makes a snippet with the cursor in to:, then subject:, then the body', () => {
    assert.equal(templateSnippet(BUILT_IN_TEMPLATE), '---\nto: $1\ncc: \nsubject: $2\nattach: \n---\n$0\n');
    assert.equal(
      templateSnippet('---\nsubject: "Re: Weekly $ report {x}"\nto: team@example.com\n---\n\nHi all,\n'),
      '---\nsubject: ${2:"Re: Weekly \\$ report {x\\}"}\nto: ${1:team@example.com}\n---\n\n$0Hi all,\n',
    );
  });

  it('escapes what the snippet grammar would read', () => {
    assert.equal(escapeSnippet('cost: $5 {a} \\n'), 'cost: \\$5 {a\\} \\\\n');
  });

  it('appends a signature after a blank line and the "-- " separator (RFC 3676 4.3), once', () => {
    assert.equal(appendSignature('Hi,\n\nBob\n\n', 'Bob Li\r\nExample Ltd\n'), 'Hi,\n\nBob\n\n-- \nBob Li\nExample Ltd\n');
    assert.equal(appendSignature('Hi\n', '--\nBob'), 'Hi\n\n-- \nBob\n');
    assert.equal(appendSignature('Hi\n', undefined), 'Hi\n');
    // An empty body keeps a line to write on; the snippet puts the cursor there, above the signature.
    const signed = appendSignature(BUILT_IN_TEMPLATE, 'Ann');
    assert.equal(signed, '---\nto: \ncc: \nsubject: \nattach: \n---\n\n\n-- \nAnn\n');
    assert.equal(templateSnippet(signed), '---\nto: $1\ncc: \nsubject: $2\nattach: \n---\n$0\n\n-- \nAnn\n');
    assert.equal(appendSignature('Hi\n', '  \n'), 'Hi\n');
  });

  it('reads a profile\'s signature field', () => {
    const errors: LocalizedText[] = [];
    assert.equal(readSignature({ signature: 'Bob\nLi' }, 'p', []), 'Bob\nLi');
    assert.equal(readSignature({ signature: 42 }, 'p', errors), undefined);
    assert.equal(errors.length, 1);
    assert.equal(normaliseProfile('p', { host: 'smtp.example.com', signature: '**Bob**\nExample' }).profile?.signature, '**Bob**\nExample');
    assert.equal(normaliseProfile('p', { host: 'smtp.example.com', signature: ['x'] }).errors.length, 1);
  });
});
