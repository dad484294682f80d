/**
 * fix24a (20261224700001_old_phones_updatable_room_digits.sql): a row whose phone was stored under an older rule
 * (before 20261224500002: +2121234567, +212612398793123) stays updatable — PostgreSQL re-checks every CHECK
 * constraint on every UPDATE, so while the constraints asked the strict private.is_e164 such a row could not change
 * at all (a patient's SMS opt-out, a profile's language, a clinic's settings). A phone written or changed still
 * meets the current rule, with the same refusal as before (23514 on a direct write, 422 PHONE.INVALID from the RPCs).
 * The old row is planted as it was stored then: under the old private.is_e164 body, restored in the same transaction.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, U } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const FIND_OR_CREATE = `select public.staff_find_or_create_patient($1::uuid, 'Salma Walk-in', $2) as r`;
const OLD_RULE = `create or replace function private.is_e164(p_phone text) returns boolean
  language sql immutable set search_path = '' as $$ select p_phone ~ '^\\+[1-9][0-9]{6,14}$' $$`;

/** Writes `sql` as it was stored before 20261224500002 (the old private.is_e164), then restores the current one. */
const plantUnderOldRule = async (tx: DbTx, sqls: [string, unknown[]][]): Promise<void> => {
  const def = (
    await tx.query<{ d: string }>(`select pg_get_functiondef('private.is_e164(text)'::regprocedure) as d`)
  ).rows[0]!.d;
  await tx.exec(OLD_RULE);
  for (const [sql, params] of sqls) await tx.query(sql, params);
  await tx.exec(def);
};

describe.each(DB_KINDS)('phones stored under an older rule on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('an old-rule phone keeps its row updatable; a new or changed phone meets the current rule', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await plantUnderOldRule(tx, [
        [`update public.patients set phone = '+2121234567' where id = $1`, [ID.patientRecB]],
        [`update public.profiles set phone = '+212612398793123' where id = $1`, [U.patientA]],
        [`update public.clinics set phone = '+2121234567' where id = $1`, [ID.clinicA]],
        [`update public.staff_invitations set phone = '+212612398793123' where id = $1`, [ID.invitationA]],
      ]);
      expect(
        (await tx.query<{ ok: boolean }>(`select private.is_e164('+2121234567') as ok`)).rows[0]!.ok,
      ).toBe(false);

      // other columns change through the normal paths (before: 23514 on every one of them)
      expect(
        await as(
          tx,
          ACTORS.recepA,
          `update public.patients set sms_opt_out = true where id = $1 returning true as r`,
          [ID.patientRecB],
        ),
      ).toBe(true);
      expect(
        await as(
          tx,
          ACTORS.patientA,
          `update public.profiles set preferred_language = 'ar' where id = $1 returning true as r`,
          [U.patientA],
        ),
      ).toBe(true);
      await tx.query(`update public.clinics set address = 'Rue 1' where id = $1`, [ID.clinicA]);
      await tx.query(`update public.staff_invitations set display_name = 'Dr Renamed' where id = $1`, [
        ID.invitationA,
      ]);
      const kept = await tx.query<{ p: string }>(`select phone as p from public.patients where id = $1`, [
        ID.patientRecB,
      ]);
      expect(kept.rows[0]!.p).toBe('+2121234567');

      // changing the phone to an invalid one: refused as before (the constraint's SQLSTATE), whoever writes it
      for (const bad of ['+212612398793124', '+2121234568', '+2120612345678', '+2126']) {
        expect(
          await refused(
            tx,
            ACTORS.recepA,
            `update public.patients set phone = $2 where id = $1 returning true as r`,
            [ID.patientRecB, bad],
          ),
        ).toMatch(/^23514 /);
        expect(
          await refused(
            tx,
            ACTORS.patientA,
            `update public.profiles set phone = $2 where id = $1 returning true as r`,
            [U.patientA, bad],
          ),
        ).toMatch(/^23514 /);
        expect(
          await refused(tx, null, `update public.clinics set phone = $2 where id = $1`, [ID.clinicA, bad]),
        ).toMatch(/^23514 /);
        expect(
          await refused(tx, null, `update public.staff_invitations set phone = $2 where id = $1`, [
            ID.invitationA,
            bad,
          ]),
        ).toMatch(/^23514 /);
      }
      // a malformed one is still refused by the constraint itself
      expect(
        await refused(tx, null, `update public.patients set phone = '0612345678' where id = $1`, [
          ID.patientRecB,
        ]),
      ).toMatch(/^23514 /);
      // a valid new phone is taken
      await tx.query(`update public.patients set phone = '+212612345678' where id = $1`, [ID.patientRecB]);

      // a new invalid phone: refused by the RPCs (422) and on a direct insert (23514)
      expect(await refused(tx, ACTORS.recepA, FIND_OR_CREATE, [ID.clinicA, '+2121234567'])).toBe(
        'PT422 PHONE.INVALID',
      );
      expect(
        await refused(
          tx,
          ACTORS.service,
          `insert into public.patients (clinic_id, full_name, phone) values ($1, 'X', '+2121234567') returning true as r`,
          [ID.clinicA],
        ),
      ).toMatch(/^23514 /);
      expect(
        await refused(
          tx,
          null,
          `insert into public.patients (clinic_id, full_name, phone) values ($1, 'X', '+212612398793123')`,
          [ID.clinicA],
        ),
      ).toMatch(/^23514 /);
    }));
});
