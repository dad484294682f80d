/**
 * sec21 finding 4: the owner-rows trigger on practitioner_leave / practitioner_hours (private.doctor_schedule_owner_rows,
 * L4: only an owner writes an owner's leave or hours) judges the doctor in the ROW'S clinic
 * (20261221700002_doctor_schedule_owner_rows_clinic.sql). Before, it asked whether the member id was an owner in any
 * clinic, then whether the caller owned the row's clinic: clinic A's owner could write a row of A naming clinic B's
 * owner, and an update was judged on its new row only. The RPCs check the doctor's clinic first, so these writes are
 * made here as a direct writer with the caller's claims (the trigger is the rule for every writer). The person's
 * roles elsewhere never count: B's owner who is an admin of A is an admin in A (checked through the RPCs).
 *
 * PGlite and PostgreSQL, private.now() pinned at 08:00 of the world's day in the clinic; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError, DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { claimsOf, type Actor } from './helpers/sql';
import { ACTORS, ID, U } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

const day = (n: number) => `private.clinic_today('Africa/Casablanca') + ${n}`;
const LEAVE = `select public.set_practitioner_leave($1::uuid, $2::uuid, ${day(2)}, ${day(3)}, null) as r`;
const INSERT_LEAVE = `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day)
                      values ($1, $2, ${day(2)}, ${day(3)})`;
const INSERT_HOURS = `insert into public.practitioner_hours (clinic_id, practitioner_id, weekday, starts_at, ends_at)
                      values ($1, $2, 1, '09:00', '10:00')`;

/** A direct write (table owner's rights) carrying `actor`'s claims: what the trigger sees is auth.uid(). */
const writeAs = async (tx: DbTx, actor: Actor, sql: string, params: unknown[]): Promise<string> => {
  await tx.query('savepoint direct_write');
  try {
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claimsOf(actor))]);
    await tx.query(sql, params);
    await tx.query('release savepoint direct_write');
    return 'written';
  } catch (e) {
    await tx.query('rollback to savepoint direct_write');
    const err = e as DbError;
    return `${err.code ?? '?'} ${err.message}`;
  } finally {
    await tx.query(`select set_config('request.jwt.claims', '', true)`);
  }
};

describe.each(DB_KINDS)('owner rows of doctors’ schedules are judged in their clinic on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '08:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('a row of clinic A naming clinic B’s owner is refused, even from A’s owner (before: written)', () =>
    rolledBack(t.db, async (tx) => {
      expect(await writeAs(tx, ACTORS.ownerA, INSERT_LEAVE, [ID.clinicA, ID.memberOwnerB])).toBe(
        'PT404 NOT_FOUND',
      );
      expect(await writeAs(tx, ACTORS.ownerA, INSERT_HOURS, [ID.clinicA, ID.memberOwnerB])).toBe(
        'PT404 NOT_FOUND',
      );
      // nor a practitioner of another clinic, from anyone
      expect(await writeAs(tx, ACTORS.ownerB, INSERT_LEAVE, [ID.clinicB, ID.memberPractA])).toBe(
        'PT404 NOT_FOUND',
      );
      // the clinic's own doctors: as before
      expect(await writeAs(tx, ACTORS.ownerA, INSERT_LEAVE, [ID.clinicA, ID.memberCoOwnerA])).toBe('written');
      expect(await writeAs(tx, ACTORS.ownerA, INSERT_HOURS, [ID.clinicA, ID.memberPractA])).toBe('written');
      const n = await tx.query<{ n: number }>(
        `select (select count(*) from public.practitioner_leave where practitioner_id = $1)::int
              + (select count(*) from public.practitioner_hours where practitioner_id = $1)::int as n`,
        [ID.memberOwnerB],
      );
      expect(n.rows[0]!.n).toBe(0);
    }));

  it('an admin cannot move an owner’s leave onto another doctor (before: judged on the new row only)', () =>
    rolledBack(t.db, async (tx) => {
      await tx.query(`update public.clinic_members set role = 'admin' where id = $1`, [ID.memberRecepA]);
      const own = await as<{ id: string }>(tx, ACTORS.ownerA, LEAVE, [ID.clinicA, ID.memberOwnerA]);
      expect(
        await writeAs(
          tx,
          ACTORS.recepA,
          `update public.practitioner_leave set practitioner_id = $2 where id = $1`,
          [own.id, ID.memberPractA],
        ),
      ).toBe('PT403 AUTH.FORBIDDEN');
      expect(
        await writeAs(tx, ACTORS.recepA, `delete from public.practitioner_leave where id = $1`, [own.id]),
      ).toBe('PT403 AUTH.FORBIDDEN');
      // an owner may
      expect(
        await writeAs(
          tx,
          ACTORS.ownerA,
          `update public.practitioner_leave set to_day = to_day + 1 where id = $1`,
          [own.id],
        ),
      ).toBe('written');
    }));

  it('an owner of one clinic who is an admin of another is an admin there (through the RPCs)', () =>
    rolledBack(t.db, async (tx) => {
      // clinic B's owner is also an admin of clinic A
      await tx.query(
        `insert into public.clinic_members (clinic_id, user_id, role, display_name) values ($1, $2, 'admin', 'B in A')`,
        [ID.clinicA, U.ownerB],
      );
      expect(await refused(tx, ACTORS.ownerB, LEAVE, [ID.clinicA, ID.memberOwnerA])).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      expect(await refused(tx, ACTORS.ownerB, LEAVE, [ID.clinicA, ID.memberCoOwnerA])).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      // a practitioner of A: an admin of A may; B's owner in B: an owner of B may
      await as(tx, ACTORS.ownerB, LEAVE, [ID.clinicA, ID.memberPractA]);
      await as(tx, ACTORS.ownerB, LEAVE, [ID.clinicB, ID.memberOwnerB]);
      // and A's owner, a stranger to B, reaches nothing there
      expect(await refused(tx, ACTORS.ownerA, LEAVE, [ID.clinicB, ID.memberOwnerB])).toMatch(/^PT40[34] /);
    }));
});
