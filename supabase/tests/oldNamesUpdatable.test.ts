/**
 * sec25 item 5 (20261225300003_profile_name_rule_on_write.sql): profiles_full_name_clean was a CHECK calling
 * private.is_clean_person_name, which grew stricter after rows were written (the contact rule, 20261221800001, and
 * the P1 tightenings). PostgreSQL re-checks every CHECK on every UPDATE, so a profile whose name was stored under the
 * old rule could not change at all (its language, its phone) — fix24a's trap for phones. Now a trigger on the written
 * name holds the rule (23514 naming profiles_full_name_clean, after the normaliser: 20261225700001); other columns change freely.
 * The old row is planted as it was stored then: under the old private.person_name_no_contact (none), restored in the
 * same transaction. The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that
 * is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, U } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const OLD_RULE = `create or replace function private.person_name_no_contact(p_name text) returns boolean
  language sql immutable strict parallel safe set search_path = '' as $$ select true $$`;

/** Writes `sql` as it was stored before 20261221800001 (no contact rule), then restores the current one. */
const plantUnderOldRule = async (tx: DbTx, sql: string, params: unknown[]): Promise<void> => {
  const def = (
    await tx.query<{ d: string }>(
      `select pg_get_functiondef('private.person_name_no_contact(text)'::regprocedure) as d`,
    )
  ).rows[0]!.d;
  await tx.exec(OLD_RULE);
  await tx.query(sql, params);
  await tx.exec(def);
};

describe.each(DB_KINDS)('profile names stored under an older rule on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('an old-rule name keeps its profile updatable; a written name meets the current rule', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await plantUnderOldRule(tx, `update public.profiles set full_name = 'Ahmed 0612345678' where id = $1`, [
        U.patientA,
      ]);
      expect(
        (await tx.query<{ ok: boolean }>(`select private.is_clean_person_name('Ahmed 0612345678') as ok`))
          .rows[0]!.ok,
      ).toBe(false);
      // other columns change (before: 23514 on every one of them), by the person and by the service role
      expect(
        await as(
          tx,
          ACTORS.patientA,
          `update public.profiles set preferred_language = 'ar' where id = $1 returning true as r`,
          [U.patientA],
        ),
      ).toBe(true);
      expect(
        await as(
          tx,
          ACTORS.service,
          `update public.profiles set phone = '+212612000987' where id = $1 returning true as r`,
          [U.patientA],
        ),
      ).toBe(true);
      // writing the same old name again is no change; a new name meets the current rule — a phone or a link gets the
      // normaliser's coded 422 first, as under the old CHECK (which ran after the BEFORE triggers; the rule's trigger
      // is named to sort after profiles_name_normalised, 20261225700001)
      expect(
        await refused(tx, null, `update public.profiles set full_name = 'Ahmed 0612345679' where id = $1`, [
          U.patientA,
        ]),
      ).toBe('PT422 PERSON.NAME_NOT_ALLOWED');
      expect(
        await refused(tx, null, `update public.profiles set full_name = 'www.promo.ma' where id = $1`, [
          U.patientA,
        ]),
      ).toBe('PT422 PERSON.NAME_NOT_ALLOWED');
      // Arabic and emoji names are names
      const named = await tx.query<{ full_name: string }>(
        `update public.profiles set full_name = 'أمينة 🌸' where id = $1 returning full_name`,
        [U.patientA],
      );
      expect(named.rows[0]!.full_name).toBe('أمينة 🌸');
    }));
});
