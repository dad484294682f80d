// The in-memory fakes' copy of P1 and N1 (inMemoryNameRules.ts) runs the shared case table the database runs
// (supabase/tests/personNameP1.test.ts): a fake that lets through what the database refuses (or refuses a name the
// database stores) makes service and screen tests pass on a rule the product does not have (mend23: the fake lagged
// name22's folding — private.contact_fold).
import { describe, expect, it } from 'vitest';
import {
  N1_ALLOWED,
  N1_NOT_ALLOWED,
  P1_ALLOWED,
  P1_NOT_ALLOWED,
} from '../../../../test/fixtures/contracts/personNameCases';
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
