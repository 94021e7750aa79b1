import assert from 'node:assert/strict';
import { parseAddressList } from '../../../src/core/draft';

/** Parses input that must be valid and returns its addresses. */
function valid(input: string): unknown[] {
  const { addresses, errors } = parseAddressList(input);
  assert.deepEqual(errors, [], input);
  return addresses;
}

/** Parses input with exactly one invalid address; returns the error. */
function oneError(input: string): { message: string; offset: number; length: number } {
  const { errors } = parseAddressList(input);
  assert.equal(errors.length, 1, `${input}: ${JSON.stringify(errors)}`);
  return errors[0] as { message: string; offset: number; length: number };
}

describe('parseAddressList (RFC 5322 §3.4)', () => {
  describe('accepted forms', () => {
    it('reads a bare addr-spec', () => {
      assert.deepEqual(valid('bob@example.com'), [{ address: 'bob@example.com' }]);
    });

    it('reads Name <addr> and an angle-addr without a name', () => {
      assert.deepEqual(valid('Bob Li <bob@example.com>, <carol@example.com>'), [
        { name: 'Bob Li', address: 'bob@example.com' },
        { address: 'carol@example.com' },
      ]);
    });

    it('keeps a comma inside a quoted display name', () => {
      assert.deepEqual(valid('"Li, Bob" <bob@example.com>, carol@example.com'), [
        { name: 'Li, Bob', address: 'bob@example.com' },
        { address: 'carol@example.com' },
      ]);
    });

    it('unescapes backslash escapes in a quoted display name', () => {
      assert.deepEqual(valid('"Bob \\"The Builder\\" Li\\\\" <bob@example.com>'), [
        { name: 'Bob "The Builder" Li\\', address: 'bob@example.com' },
      ]);
    });

    it('keeps whitespace inside quotes but joins words with one space', () => {
      assert.deepEqual(valid('  Bob    "Li  Jr"   <b@x.org>'), [{ name: 'Bob Li  Jr', address: 'b@x.org' }]);
    });

    it('accepts semicolons as separators, and a trailing one', () => {
      assert.deepEqual(valid('a@x.org; B <b@y.org>;c@z.org;'), [
        { address: 'a@x.org' },
        { name: 'B', address: 'b@y.org' },
        { address: 'c@z.org' },
      ]);
    });

    it('ignores empty elements (obs-addr-list, §4.4)', () => {
      assert.deepEqual(valid(' , a@x.org,, ,b@y.org,'), [{ address: 'a@x.org' }, { address: 'b@y.org' }]);
    });

    it('returns nothing for an empty or blank input', () => {
      assert.deepEqual(valid(''), []);
      assert.deepEqual(valid('   '), []);
    });

    it('flattens group syntax into its members', () => {
      assert.deepEqual(valid('Team: a@x.org, Bob <b@y.org>;, c@z.org'), [
        { address: 'a@x.org' },
        { name: 'Bob', address: 'b@y.org' },
        { address: 'c@z.org' },
      ]);
    });

    it('accepts a quoted group name and an empty group', () => {
      assert.deepEqual(valid('"Ops, EU": a@x.org; undisclosed-recipients:;'), [{ address: 'a@x.org' }]);
    });

    it('tolerates comments in parentheses', () => {
      assert.deepEqual(valid('bob@example.com (Bob at work), Carol (the boss) <carol@example.com> (cc)'), [
        { address: 'bob@example.com' },
        { name: 'Carol', address: 'carol@example.com' },
      ]);
    });

    it('accepts a quoted local part, even one with @ and spaces', () => {
      assert.deepEqual(valid('"john doe"@example.com, <"a@b"@example.com>'), [
        { address: '"john doe"@example.com' },
        { address: '"a@b"@example.com' },
      ]);
    });

    it('accepts a domain literal', () => {
      assert.deepEqual(valid('root@[192.0.2.1], x@[IPv6:2001:db8::1]'), [
        { address: 'root@[192.0.2.1]' },
        { address: 'x@[IPv6:2001:db8::1]' },
      ]);
    });

    it('accepts Unicode in display name, local part and domain (RFC 6532)', () => {
      assert.deepEqual(valid('张伟 <用户@例子.中国>, josé@café.example'), [
        { name: '张伟', address: '用户@例子.中国' },
        { address: 'josé@café.example' },
      ]);
    });

    it('accepts atext specials in a dot-atom local part', () => {
      assert.deepEqual(valid("o'neil+tag.x!#$%&*/=?^_`{|}~-@example.com"), [
        { address: "o'neil+tag.x!#$%&*/=?^_`{|}~-@example.com" },
      ]);
    });
  });

  describe('invalid addresses say why and where', () => {
    const cases: ReadonlyArray<[input: string, offset: number, length: number, reason: RegExp]> = [
      ['a@x.org, bob.example.com', 9, 15, /has no @/],
      ['bob@@example.com', 0, 16, /more than one @/],
      ['@example.com', 0, 12, /nothing comes before the @/],
      ['bob@', 0, 4, /nothing comes after the @/],
      ['.bob@x.org', 0, 10, /local part starts with a dot/],
      ['bob.@x.org', 0, 10, /local part ends with a dot/],
      ['bo..b@x.org', 0, 11, /two dots in a row/],
      ['bo,b@x.org;', 0, 2, /has no @/],
      ['bo[b@x.org', 0, 10, /local part contains '\['.*quoted local part/],
      ['bob@x..org', 0, 10, /domain has two dots in a row/],
      ['bob@.x.org', 0, 10, /domain starts with a dot/],
      ['bob@x.org.', 0, 10, /domain ends with a dot/],
      ['bob@x_y.org', 0, 11, /domain contains '_'/],
      ['bob@-x.org', 0, 10, /starts or ends with a hyphen/],
      ['bob@[1.2.3.4', 0, 12, /literal has no closing \]/],
      ['bob@[]', 0, 6, /address literal \[\] is not an IPv4 address/],
      ['Bob bob@x.org', 0, 13, /angle brackets: Bob <bob@x.org>/],
      ['bob smith', 0, 9, /contains a space/],
      ['x@y.org, Bob <bob@x.org', 9, 14, /< has no closing >/],
      ['"Bob <bob@x.org>', 0, 16, /quoted string has no closing "/],
      ['Bob (work <bob@x.org>', 0, 21, /comment has no closing \)/],
      ['<a@x.org> <b@x.org>', 0, 19, /more than one <address>; separate addresses with commas/],
      ['Bob <a@x.org> junk', 0, 18, /'junk' follows the closing >/],
      ['Bob <>', 0, 6, /angle brackets are empty/],
      ['""@x.org', 0, 8, /nothing comes before the @/],
      ['"bob"x@y.org', 0, 12, /'x' follows the quoted local part/],
      ['Bob <"bob@x.org>', 0, 16, /quoted local part has no closing "|< has no closing >/],
    ];
    for (const [input, offset, length, reason] of cases) {
      it(`${input} → ${reason.source}`, () => {
        const error = oneError(input);
        assert.match(error.message, reason);
        assert.equal(error.offset, offset);
        assert.equal(error.length, length);
        // The field's label, then the address as written (or the addr-spec inside <…>).
        assert.match(error.message, /^address: '[^']*' is not a valid address: /);
      });
    }

    it('keeps the valid addresses around an invalid one', () => {
      const { addresses, errors } = parseAddressList('a@x.org; bad@@x.org; c@y.org');
      assert.deepEqual(addresses, [{ address: 'a@x.org' }, { address: 'c@y.org' }]);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.offset, 9);
      assert.equal(errors[0]?.length, 10);
    });

    it('reports a line break or NUL inside a display name', () => {
      assert.match(oneError('"Bob\nEvil: x" <bob@x.org>').message, /contains a line break/);
      assert.match(oneError('"Bob\0" <bob@x.org>').message, /contains U\+0000/);
    });
  });
});
