// The in-memory fakes' copy of P1 and N1 (inMemoryNameRules.ts) runs the shared case table the database runs
// (supabase/tests/personNameP1.test.ts): a fake that lets through what the database refuses (or refuses a name the
// database stores) makes service and screen tests pass on a rule the product does not have (mend23: the fake lagged
// name22's folding — private.contact_fold).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  N1_ALLOWED,
  N1_NOT_ALLOWED,
  P1_ALLOWED,
  P1_NOT_ALLOWED,
} from '../../../../test/fixtures/contracts/personNameCases';
import { SQL_PATTERNS, TIFINAGH_LETTERS } from '../../../../scripts/name-rule-patterns';
import { clinicNameAllowed, isCleanPersonName } from './inMemoryNameRules';

describe('the in-memory name rules run the shared P1/N1 contract', () => {
  it('P1: every NOT_ALLOWED name is refused, every ALLOWED name passes', () => {
    const wrong = [
      ...P1_NOT_ALLOWED.filter((n) => isCleanPersonName(n)).map((n) => `passed: ${n}`),
      ...P1_ALLOWED.filter((n) => !isCleanPersonName(n)).map((n) => `refused: ${n}`),
    ];
    expect(wrong).toEqual([]);
  });

  it('N1: clinic names, rooms and cities share the folded link and phone test', () => {
    const wrong = [
      ...N1_NOT_ALLOWED.filter((n) => clinicNameAllowed(n)).map((n) => `passed: ${n}`),
      ...N1_ALLOWED.filter((n) => !clinicNameAllowed(n)).map((n) => `refused: ${n}`),
    ];
    expect(wrong).toEqual([]);
  });
});

// names27: the database's number-word, link-word and clock-time patterns are generated from this copy's word lists
// (scripts/name-rule-patterns.ts). The newest migration that defines each function must hold exactly the generated
// patterns — a hand edit of one side, or a word added to one side only, fails here.
describe('the SQL name-rule patterns are the generated ones', () => {
  const dir = fileURLToPath(new URL('../../../../supabase/migrations/', import.meta.url));
  const newestBody = (fn: string): string => {
    const head = `create or replace function private.${fn}(`;
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .reverse()
      .map((f) => readFileSync(`${dir}${f}`, 'utf8'))
      .find((sql) => sql.includes(head));
    expect(file, fn).toBeDefined();
    const start = file!.indexOf(head);
    return file!.slice(start, file!.indexOf('\n$$;', start));
  };
  const patterns = (body: string): string[] =>
    [...body.matchAll(/!~ '((?:[^']|'')*)'/g)].map((m) => m[1]!.replaceAll("''", "'"));

  it('private.spelled_contact_free (P1): the run and host patterns', () => {
    expect(patterns(newestBody('spelled_contact_free'))).toEqual([
      SQL_PATTERNS.numberRun.tifinagh,
      SQL_PATTERNS.numberRun.other,
      SQL_PATTERNS.hostWords,
    ]);
  });

  it('private.clinic_spelled_contact_free (N1): the run, the word, the spelled run and the host patterns', () => {
    expect(patterns(newestBody('clinic_spelled_contact_free'))).toEqual([
      SQL_PATTERNS.numberRun.tifinagh,
      SQL_PATTERNS.numberRun.other,
      SQL_PATTERNS.numberWord.tifinagh,
      SQL_PATTERNS.numberWord.other,
      SQL_PATTERNS.spelledRun.tifinagh,
      SQL_PATTERNS.spelledRun.other,
      SQL_PATTERNS.hostWords,
    ]);
    expect(newestBody('clinic_spelled_contact_free')).toContain(
      `translate(p_words, '${TIFINAGH_LETTERS}', '')`,
    );
  });
});
