/**
 * Attack: a draft's subject or a server's reply carries terminal escape sequences (ESC [ 2 J
 * clears the screen, OSC 52 writes the clipboard, OSC 8 hides a link) or a bidi override that
 * makes `résumé\u202efdp.exe` read as `résumé exe.pdf`. Shown text must make them visible.
 */
import assert from 'node:assert/strict';
import { escapeForDisplay, escapeForDisplayKeepingLines } from '../../../src/core/escape';

describe('escaping text for display', () => {
  it('shows ESC, BEL and the other C0 controls as \\xNN', () => {
    assert.equal(escapeForDisplay('\x1b[2J\x1b]52;c;aGk=\x07done'), '\\x1b[2J\\x1b]52;c;aGk=\\x07done');
    assert.equal(escapeForDisplay('a\0b\x08c\x7f'), 'a\\x00b\\x08c\\x7f');
  });

  it('shows CR and LF, so a reply cannot forge a line of its own', () => {
    assert.equal(escapeForDisplay('250 ok\r\nSent <x@y>'), '250 ok\\x0d\\x0aSent <x@y>');
  });

  it('shows C1 controls (CSI U+009B is ESC [ on some terminals)', () => {
    assert.equal(escapeForDisplay('\u009b31m\u0085'), '\\x9b31m\\x85');
  });

  it('shows bidi controls and invisible format characters as \\uNNNN', () => {
    assert.equal(escapeForDisplay('résumé\u202efdp.exe'), 'résumé\\u202efdp.exe');
    for (const char of ['\u200b', '\u200f', '\u202a', '\u2066', '\u2069', '\ufeff', '\u061c', '\u2028']) {
      assert.equal(escapeForDisplay(`a${char}b`), `a\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}b`);
    }
  });

  it('leaves ordinary text, tabs and non-Latin scripts alone', () => {
    const text = 'Subject: 周报 — Ünïcødé\tcolumn, مرحبا, emoji 📨, C:\\path';
    assert.equal(escapeForDisplay(text), text);
  });

  it('keeps our own line breaks when asked, escaping the rest', () => {
    assert.equal(escapeForDisplayKeepingLines('Usage:\n  \x1b[31mred'), 'Usage:\n  \\x1b[31mred');
  });
});
