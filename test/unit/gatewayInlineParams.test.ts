// The gateway's one-round-trip path (issue 12) writes bind parameters into the SQL as literals. What it
// writes must mean exactly the value, whatever the value holds, and SQL it cannot rewrite safely is refused
// (null: the caller then uses bind parameters).
import { describe, expect, it } from 'vitest';
import { inlineParams } from '../../supabase/local/db/inline';

describe('inlineParams', () => {
  it('writes values as escape-string literals, typed by their context like bind parameters', () => {
    expect(inlineParams('select $1::json, $2, $3, $4', ['{"a":1}', 5, true, null])).toBe(
      `select E'{"a":1}'::json, '5', 'true', NULL`,
    );
  });

  it('doubles quotes and backslashes, so no value can end its literal', () => {
    const evil = `x'); drop table t; --\\' \\`;
    expect(inlineParams('select $1', [evil])).toBe(`select E'x''); drop table t; --\\\\'' \\\\'`);
  });

  it('leaves $n alone inside quoted identifiers and literals', () => {
    expect(inlineParams(`select "a$1", 'b$1', "c""$2", $1`, ['v', 'w'])).toBe(
      `select "a$1", 'b$1', "c""$2", E'v'`,
    );
  });

  it('replaces $10 as parameter ten, not $1 followed by 0', () => {
    const params = Array.from({ length: 10 }, (_, i) => `p${i + 1}`);
    expect(inlineParams('select $10, $1', params)).toBe(`select E'p10', E'p1'`);
  });

  it.each([
    ['dollar quoting', 'select $$x$$', []],
    ['an E-string in the SQL', `select E'\\n', $1`, ['v']],
    ['a comment', 'select $1 -- x', ['v']],
    ['a block comment', 'select /* $1 */ $1', ['v']],
    ['a parameter that is not given', 'select $2', ['v']],
    ['an unterminated literal', `select 'x`, []],
    ['$ inside an unquoted identifier', 'select a$1', ['v']],
  ] as const)('refuses SQL with %s', (_what, sql, params) => {
    expect(inlineParams(sql, params)).toBeNull();
  });

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['an object', { a: 1 }],
    ['an array', [1]],
    ['NaN', Number.NaN],
  ])('refuses %s as a value', (_what, value) => {
    expect(inlineParams('select $1', [value])).toBeNull();
  });
});
