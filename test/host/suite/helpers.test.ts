// The small pieces of the extension layer that the flows stand on, checked inside the host
// (they use vscode types): argument parsing, positions, sizes, the log's session header.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseArguments } from '../../../src/commands/arguments';
import { bytesInUnitOf, formatBytes } from '../../../src/host/byte-size';
import { problemRange, toDiagnostic } from '../../../src/host/diagnostics';
import { formatForLanguage } from '../../../src/host/draft-reader';
import { sessionHeader } from '../../../src/host/protocol-log';
import { secretKey } from '../../../src/host/secret-key';
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
    const problem = { severity: 'error' as const, code: 'invalid-address', message: 'bad', start: { line: 2, column: 5 }, end: { line: 2, column: 9 } };
    const range = problemRange(problem);
    assert.deepEqual([range.start.line, range.start.character, range.end.line, range.end.character], [1, 4, 1, 8]);
    const diagnostic = toDiagnostic({ ...problem, severity: 'warning' });
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.code, 'invalid-address');
    assert.equal(diagnostic.source, 'Send as Email');
  });

  it('formats sizes in the unit of the total', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(27 * 1024 * 1024), '27 MiB');
    assert.deepEqual(bytesInUnitOf(3.2 * 1024 * 1024, 27 * 1024 * 1024), { sent: '3.2', total: '27', unit: 'MiB' });
  });

  it('sends Markdown as Markdown and everything else as plaintext', () => {
    assert.equal(formatForLanguage('markdown'), 'markdown');
    assert.equal(formatForLanguage('plaintext'), 'plaintext');
    assert.equal(formatForLanguage('javascript'), 'plaintext');
  });

  it('binds the secret key to user, host (case-insensitively) and port', () => {
    const { profile } = normaliseProfile('work', { host: 'SMTP.Example.com', port: 587, username: 'Ann@example.com' });
    assert.ok(profile);
    assert.equal(secretKey(profile), 'smtp:Ann@example.com@smtp.example.com:587');
    assert.notEqual(secretKey({ ...profile, port: 465 }), secretKey(profile));
    assert.notEqual(secretKey({ ...profile, host: 'evil.example' }), secretKey(profile));
    const header = sessionHeader(new Date(2025, 0, 2, 3, 4, 5), 'send "Hi"', profile);
    assert.equal(header, '=== 2025-01-02 03:04:05 · send "Hi" · profile "work" · SMTP.Example.com:587 (starttls) ===');
  });
});
