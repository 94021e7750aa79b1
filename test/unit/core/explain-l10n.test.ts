/**
 * The failure explanations are translated in the extension (vscode.l10n.t is passed in as the
 * translator): every template explainError can produce, and every provider's password advice,
 * must have a Simplified Chinese entry with the same {n} placeholders.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainError, formatTemplate } from '../../../src/core/explain';
import { PROVIDER_PRESETS } from '../../../src/core/profiles';
import { SmtpAuthError, SmtpConnectionError } from '../../../src/core/smtp/errors';

const ROOT = join(__dirname, '..', '..', '..');
const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

function templatesInExplain(): string[] {
  const source = readFileSync(join(ROOT, 'src', 'core', 'explain.ts'), 'utf8');
  return [...source.matchAll(/\bt\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => (m[1] ?? '').replace(/\\'/g, "'"));
}

describe('failure explanations are localisable', () => {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

  it('has a zh-cn entry, with the same placeholders, for every template and provider advice', () => {
    const templates = [...templatesInExplain(), ...Object.values(PROVIDER_PRESETS).map((p) => p.passwordAdvice)];
    assert.ok(templates.length > 25, `found only ${templates.length} templates`);
    const missing = templates.filter((t) => bundle[t] === undefined);
    assert.deepEqual(missing, []);
    for (const t of templates) assert.deepEqual(placeholders(bundle[t] ?? ''), placeholders(t), t);
  });

  it('routes every sentence through the translator', () => {
    const seen: string[] = [];
    const t = (template: string, ...args: Array<string | number>): string => {
      seen.push(template);
      return formatTemplate(`«${template}»`, ...args);
    };
    const auth = new SmtpAuthError({ stage: 'auth', mechanism: 'LOGIN', message: 'x', reply: { code: 535, lines: ['no'] } });
    const e = explainError(auth, { name: 'q', host: 'smtp.qq.com', port: 465, security: 'tls', auth: 'auto', tls: { allowSelfSigned: false }, allowPlaintextAuth: false }, t);
    assert.equal(e.summary, '«Authentication failed (LOGIN): 535 no»');
    assert.match(e.advice, /^«QQ Mail needs/);
    const refused = explainError(new SmtpConnectionError({ stage: 'connect', code: 'ECONNREFUSED', message: 'refused' }), undefined, t);
    assert.equal(refused.advice, '«Nothing is listening on «the server». Check the host and port.»');
    assert.ok(seen.every((template) => bundle[template] !== undefined));
  });

  it('formats {n} placeholders and leaves other braces alone', () => {
    assert.equal(formatTemplate('{1} and {0} { "tls": {} } {9}', 'a', 'b'), 'b and a { "tls": {} } {9}');
  });
});
