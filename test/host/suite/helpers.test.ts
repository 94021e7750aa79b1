// The small pieces of the extension layer that the flows stand on, checked inside the host
// (they use vscode types): argument parsing, positions, the log's session header. Pure helpers
// (sizes, secret keys, settings layers) have unit tests in test/unit/core.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseArguments } from '../../../src/commands/arguments';
import { problemRange, toDiagnostic } from '../../../src/host/diagnostics';
import { formatForLanguage } from '../../../src/host/draft-reader';
import { sessionHeader } from '../../../src/host/protocol-log';
import { localized } from '../../../src/core/text';
import { normaliseProfile } from '../../../src/core/profiles';

describe('extension layer helpers', () => {
  it('takes a menu Uri as the draft, and an options object from code', () => {
    const uri = vscode.Uri.file('/tmp/draft.md');
    assert.deepEqual(parseArguments(uri), { uri, programmatic: false });
    assert.deepEqual(parseArguments(undefined), { programmatic: false });
    const parsed = parseArguments({ uri: '/tmp/a.md', target: '/tmp/a.eml', profile: 'work', password: 'x', compose: { messageId: '<a@b>', date: 0, boundaryPrefix: 'b' } });
    assert.equal(parsed.uri?.fsPath, vscode.Uri.file('/tmp/a.md').fsPath);
    assert.equal(parsed.target?.fsPath, vscode.Uri.file('/tmp/a.eml').fsPath);
    assert.equal(parsed.profile, 'work');
    assert.equal(parsed.programmatic, true);
    assert.equal(parsed.compose?.messageId, '<a@b>');
    assert.equal(parsed.compose?.date?.getTime(), 0);
    // Each multipart gets its own boundary even at the same depth.
    assert.notEqual(parsed.compose?.boundary?.(1), parsed.compose?.boundary?.(1));
  });

  it('turns 1-based draft positions into 0-based editor ranges', () => {
    const problem = {
      severity: 'error' as const,
      code: 'invalid-address',
      text: localized('"{0}" is not a valid address', 'bob@\u202eexample.com'),
      message: 'bad',
      start: { line: 2, column: 5 },
      end: { line: 2, column: 9 },
    };
    const range = problemRange(problem);
    assert.deepEqual([range.start.line, range.start.character, range.end.line, range.end.character], [1, 4, 1, 8]);
    const diagnostic = toDiagnostic({ ...problem, severity: 'warning' });
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.code, 'invalid-address');
    assert.equal(diagnostic.source, 'Send as Email');
    // Rendered from the LocalizedText (not the English `message`), the draft's bidi control escaped.
    assert.equal(diagnostic.message, '"bob@\\u202eexample.com" is not a valid address');
  });

  it('sends Markdown as Markdown and everything else as plaintext', () => {
    assert.equal(formatForLanguage('markdown'), 'markdown');
    assert.equal(formatForLanguage('plaintext'), 'plaintext');
    assert.equal(formatForLanguage('javascript'), 'plaintext');
  });

  it('writes the session header with the draft\'s text escaped', () => {
    const { profile } = normaliseProfile('work', { host: 'SMTP.Example.com', port: 587, username: 'Ann@example.com' });
    assert.ok(profile);
    assert.equal(
      sessionHeader(new Date(2025, 0, 2, 3, 4, 5), 'send "a\u202eb\x1b[2J"', profile),
      '=== 2025-01-02 03:04:05 · send "a\\u202eb\\x1b[2J" · profile "work" · SMTP.Example.com:587 (starttls) ===',
    );
    const header = sessionHeader(new Date(2025, 0, 2, 3, 4, 5), 'send "Hi"', profile);
    assert.equal(header, '=== 2025-01-02 03:04:05 · send "Hi" · profile "work" · SMTP.Example.com:587 (starttls) ===');
  });
});
