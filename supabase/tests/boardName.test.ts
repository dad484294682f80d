/**
 * Issue 15.8: the waiting-room board's name rule (private.board_name) on both databases — a compound first
 * name stays whole ("عبد الله", "Abd el Kader"), the initial skips the Arabic article ("التازي" → "ت.").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';

const CASES: [string | null, string | null][] = [
  ['عبد الله', 'عبد الله'],
  ['عبد الله التازي', 'عبد الله ت.'],
  ['عبد الرحيم بنعلي', 'عبد الرحيم ب.'],
  ['أبو بكر العلوي', 'أبو بكر ع.'],
  ['فاطمة الزهراء', 'فاطمة ز.'],
  ['Amine Tazi', 'Amine T.'],
  ['  Amine   Tazi  ', 'Amine T.'],
  ['Abd el Kader Benali', 'Abd el Kader B.'],
  ['Abdel Kader Benali', 'Abdel Kader B.'],
  ['Salma', 'Salma'],
  ['', null],
  [null, null],
];

describe.each(DB_KINDS)('private.board_name on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 1 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it.each(CASES)('%j → %j', async (full, shown) => {
    const { rows } = await t.db.query<{ n: string | null }>('select private.board_name($1) as n', [full]);
    expect(rows[0]!.n).toBe(shown);
  });
});
