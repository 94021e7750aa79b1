/**
 * Checks one addr-spec (`local@domain`, RFC 5322 §3.4.1) and says why it is wrong. Unicode is
 * allowed in the local part and the domain (RFC 6532 §3.2 extends atext with UTF-8); the
 * composer converts domains to IDNA A-labels later.
 */

/** RFC 5322 §3.2.3 atext, plus any non-ASCII character that is not whitespace or a control. */
export function isAtext(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x80) return code > 0x9f && !/\s/u.test(ch);
  return /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]/.test(ch);
}

/** A readable name for a character in a message: `a space`, `','`, `U+0007`. */
export function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f) || /\s/u.test(ch)) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${ch}'`;
}

/**
 * RFC 5322 §3.2.3 dot-atom-text: atext runs joined by single dots. `part` names the thing in
 * the message ("the local part").
 */
export function dotAtomProblem(text: string, part: string): string | undefined {
  if (text.startsWith('.')) return `${part} starts with a dot`;
  if (text.endsWith('.')) return `${part} ends with a dot`;
  if (text.includes('..')) return `${part} has two dots in a row`;
  for (const ch of text) {
    if (ch !== '.' && !isAtext(ch)) return `${part} contains ${describeCharacter(ch)}`;
  }
  return undefined;
}

/** Returns why `spec` is not a valid addr-spec, or undefined when it is one. */
export function addrSpecProblem(spec: string): string | undefined {
  if (spec === '') return 'the address is empty';
  let local: string;
  let domain: string;
  if (spec.startsWith('"')) {
    const close = closingQuote(spec);
    if (close < 0) return 'the quoted local part has no closing "';
    local = spec.slice(0, close + 1);
    const rest = spec.slice(close + 1);
    if (rest === '') return 'it has no @ and domain after the quoted local part';
    if (!rest.startsWith('@')) return `${describeCharacter(rest[0] ?? '')} follows the quoted local part where @ belongs`;
    domain = rest.slice(1);
    if (local === '""') return 'the local part before the @ is empty';
    const quotedProblem = quotedLocalProblem(local);
    if (quotedProblem) return quotedProblem;
  } else {
    const ats = spec.split('@').length - 1;
    if (ats === 0) return 'it has no @ (an address looks like name@example.com)';
    if (ats > 1) return 'it has more than one @ (quote the local part if one belongs to it)';
    [local = '', domain = ''] = spec.split('@');
    if (local === '') return 'nothing comes before the @';
    const localProblem = dotAtomProblem(local, 'the local part');
    if (localProblem) return withQuotingHint(localProblem, local);
  }
  if (domain === '') return 'nothing comes after the @';
  return domainProblem(domain);
}

function withQuotingHint(problem: string, local: string): string {
  return /[ "(),:;<>@[\\\]]/.test(local) ? `${problem}, which is allowed only inside a quoted local part` : problem;
}

/** Index of the quote that closes the quoted-string starting at 0, honouring quoted-pairs. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

// RFC 5322 §3.2.4 qtext / quoted-pair; line breaks are never allowed in a header-bound value.
function quotedLocalProblem(quoted: string): string | undefined {
  for (const ch of quoted.slice(1, -1)) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 && ch !== '\t') return `the quoted local part contains ${describeCharacter(ch)}`;
    if (code === 0x7f) return `the quoted local part contains ${describeCharacter(ch)}`;
  }
  return undefined;
}

/**
 * RFC 5322 §3.4.1 domain = dot-atom / domain-literal. As the message goes out over SMTP,
 * names are held to RFC 5321 §4.1.2 (letters, digits, hyphens; no hyphen at a label's ends);
 * non-ASCII labels are left to IDNA when composing.
 */
function domainProblem(domain: string): string | undefined {
  if (domain.startsWith('[')) {
    if (!domain.endsWith(']')) return 'the address literal has no closing ]';
    const inner = domain.slice(1, -1);
    if (inner === '') return 'the address literal [] is empty';
    for (const ch of inner) {
      // §3.4.1 dtext: printable US-ASCII except [ ] and backslash.
      const code = ch.codePointAt(0) ?? 0;
      if (code < 33 || code > 126 || ch === '[' || ch === ']' || ch === '\\') {
        return `the address literal contains ${describeCharacter(ch)}`;
      }
    }
    return undefined;
  }
  if (domain.startsWith('.')) return 'the domain starts with a dot';
  if (domain.endsWith('.')) return 'the domain ends with a dot';
  for (const label of domain.split('.')) {
    if (label === '') return 'the domain has two dots in a row';
    for (const ch of label) {
      const code = ch.codePointAt(0) ?? 0;
      const allowed = code >= 0x80 ? isAtext(ch) : /[A-Za-z0-9-]/.test(ch);
      if (!allowed) return `the domain contains ${describeCharacter(ch)}`;
    }
    if (label.startsWith('-') || label.endsWith('-')) return `the domain label '${label}' starts or ends with a hyphen`;
    if (/^[A-Za-z0-9-]+$/.test(label) && label.length > 63) return `the domain label '${label.slice(0, 12)}…' is longer than 63 characters`;
  }
  return undefined;
}
