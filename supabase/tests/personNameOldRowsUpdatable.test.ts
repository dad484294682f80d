/**
 * fix25 (review25 M1, 20261225500001): P1 got stricter (number words, short-link hosts written as words). A name
 * stored under the rule before stays as it is, and its row stays updatable: a patient's opt-out, a profile's
 * language. A CHECK that calls the rule (profiles_full_name_clean → private.is_clean_person_name) is re-checked on
 * EVERY update of the row, so it would refuse these; sec25 (session 25) turns such CHECKs into shape checks and a
 * trigger on the written column — this test holds that promise for the new rule. The name itself, written again,
 * is refused (PERSON.NAME_NOT_ALLOWED).
 *
 * The old row is planted under sec24b's body of private.person_name_no_contact (20261224600001, read from the
 * migration), then today's body (20261225500001) is put back; all in one rolled-back transaction.
 * PGlite and PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ID, U } from './helpers/world';
import { openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const OLD_NAME = 'Gagnant zero six douze trente quatre cinquante six';

const ruleBody = (file: string): string => {
  const sql = readFileSync(fileURLToPath(new URL(`../migrations/${file}`, import.meta.url)), 'utf8');
  const start = sql.indexOf('create or replace function private.person_name_no_contact(');
  const end = sql.indexOf('\n$$;', start);
  if (start < 0 || end < 0) throw new Error(`no person_name_no_contact in ${file}`);
  return `${sql.slice(start, end)}\n$$;`;
};

describe.each(DB_KINDS)('P1 stricter, old names keep their rows updatable (fix25) on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '08:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const plant = async (tx: DbTx) => {
    await tx.query(ruleBody('20261224600001_p1_name_rule_m3_l1.sql'));
    await tx.query(`update public.profiles set full_name = $1 where id = $2`, [OLD_NAME, U.patientA]);
    await tx.query(`update public.patients set full_name = $1 where clinic_id = $2 and user_id = $3`, [
      OLD_NAME,
      ID.clinicA,
      U.patientB,
    ]);
    await tx.query(ruleBody('20261225500001_p1_number_words_link_words.sql'));
    expect(
      (await tx.query<{ ok: boolean }>(`select private.is_clean_person_name($1) as ok`, [OLD_NAME])).rows[0]!
        .ok,
    ).toBe(false);
  };

  it('a profile and a patient record named under the old rule: another column is updated, the name stays', () =>
    rolledBack(t.db, async (tx) => {
      await plant(tx);
      await tx.query(`update public.profiles set preferred_language = 'ar' where id = $1`, [U.patientA]);
      await tx.query(`update public.patients set sms_opt_out = true where clinic_id = $1 and user_id = $2`, [
        ID.clinicA,
        U.patientB,
      ]);
      const names = await tx.query<{ n: string }>(
        `select full_name as n from public.profiles where id = $1
         union all select full_name from public.patients where clinic_id = $2 and user_id = $3`,
        [U.patientA, ID.clinicA, U.patientB],
      );
      expect(names.rows.map((r) => r.n)).toEqual([OLD_NAME, OLD_NAME]);
    }));

  it('the old name written again is refused', () =>
    rolledBack(t.db, async (tx) => {
      await plant(tx);
      expect(
        await refused(tx, null, `update public.profiles set full_name = $1 where id = $2`, [
          `${OLD_NAME} `.trim() + ' sept',
          U.patientA,
        ]),
      ).toMatch(/PERSON\.NAME_NOT_ALLOWED|23514/);
    }));
});
