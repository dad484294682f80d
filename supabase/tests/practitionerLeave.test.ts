/**
 * Issue 17 (session 19, hours19): a doctor's leave (20261219500001_practitioner_leave.sql, docs/domain-rules.md H1–H3).
 * The owner enters Dr Pract A's leave; on those days get_free_slots offers none of the doctor's slots, every path that
 * assigns the doctor a visit (a patient's booking, the desk's, a walk-in or transfer written by a queue step) is
 * refused with PRACTITIONER.ON_LEAVE, and "any doctor" is untouched. Attacks: the wrong order, overlaps, the past,
 * another clinic's doctor or leave, non-admins, patients and anon — coded refusals, nothing written.
 *
 * PGlite and PostgreSQL, private.now() pinned at 09:00 of the world's day in the clinic; every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

type Leave = { id: string; from_day: string; to_day: string; reason: string | null; visits: number };
type Slot = { start: string; end: string; remaining: number };

const day = (n: number) => `private.clinic_today('Africa/Casablanca') + ${n}`;
const setLeave = (from: number, to: number, who: string = ID.memberPractA, reason: string | null = null) =>
  [
    `select public.set_practitioner_leave($1::uuid, $2::uuid, ${day(from)}, ${day(to)}, $3) as r`,
    [ID.clinicA, who, reason],
  ] as [string, unknown[]];
const slots = (n: number, practitioner: string | null) =>
  [
    `select public.get_free_slots($1::uuid, ${day(n)}, ${day(n)}, $2::uuid, $3::uuid) as r`,
    [ID.clinicA, ID.typeA, practitioner],
  ] as [string, unknown[]];
const at = (n: number, hhmm: string) => `((${day(n)}) + time '${hhmm}') at time zone 'Africa/Casablanca'`;
const staffBook = (n: number, hhmm: string, practitioner: string | null) =>
  [
    `select public.staff_book_appointment($1::uuid, $2::uuid, ${at(n, hhmm)}, $3::uuid, $4::uuid) as r`,
    [ID.clinicA, ID.walkInA, ID.typeA, practitioner],
  ] as [string, unknown[]];
const leaveRows = async (tx: DbTx) =>
  Number(
    (await tx.query<{ n: number }>(`select count(*)::int as n from public.practitioner_leave`)).rows[0]!.n,
  );

describe.each(DB_KINDS)('a doctor’s leave on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('H2 a doctor on leave is offered no slot that day and cannot be booked (patient or desk); "any doctor" and the days around are untouched', async () => {
    await rolledBack(t.db, async (tx) => {
      const before = await as<Slot[]>(tx, ACTORS.anon, ...slots(2, ID.memberPractA));
      expect(before.length).toBeGreaterThan(0);
      const leave = await as<Leave>(tx, ACTORS.ownerA, ...setLeave(2, 3, ID.memberPractA, ' Congrès '));
      expect(leave).toMatchObject({ reason: 'Congrès', visits: 0 });
      for (const n of [2, 3])
        expect(await as<Slot[]>(tx, ACTORS.anon, ...slots(n, ID.memberPractA))).toEqual([]);
      // the clinic's slots for "any doctor", and the doctor's slots the day after, are as before
      expect(await as<Slot[]>(tx, ACTORS.anon, ...slots(2, null))).toEqual(before);
      expect((await as<Slot[]>(tx, ACTORS.anon, ...slots(4, ID.memberPractA))).length).toBe(before.length);
      expect(await refused(tx, ACTORS.recepA, ...staffBook(2, '10:00', ID.memberPractA))).toBe(
        'PT409 PRACTITIONER.ON_LEAVE',
      );
      expect(
        await refused(
          tx,
          ACTORS.patientA,
          `select public.book_appointment($1::uuid, ${at(3, '10:00')}, $2::uuid, $3::uuid) as r`,
          [ID.clinicA, ID.typeA, ID.memberPractA],
        ),
      ).toBe('PT409 PRACTITIONER.ON_LEAVE');
      // the same slot with "any doctor", and with the doctor on the day after the leave
      expect(await as<{ status: string }>(tx, ACTORS.recepA, ...staffBook(2, '10:00', null))).toMatchObject({
        status: 'scheduled',
      });
      expect(
        await as<{ status: string }>(tx, ACTORS.recepA, ...staffBook(4, '10:00', ID.memberPractA)),
      ).toMatchObject({ status: 'scheduled' });
    });
  });

  it('H2 a walk-in or a transfer to a doctor on leave today is refused whatever writes it; H3 a walk-in for "any doctor" is not', async () => {
    await rolledBack(t.db, async (tx) => {
      await as<Leave>(tx, ACTORS.ownerA, ...setLeave(0, 0));
      const walkIn = (id: string, practitioner: string | null) =>
        `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                                           practitioner_id)
         values ('${id}', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'walk_in', 'waiting', 50, 1,
                 ${practitioner ? `'${practitioner}'` : 'null'})`;
      expect(await refused(tx, null, walkIn('a5190000-0000-4000-8000-000000000001', ID.memberPractA))).toBe(
        'PT409 PRACTITIONER.ON_LEAVE',
      );
      await tx.query(walkIn('a5190000-0000-4000-8000-000000000002', null));
      // the transfer of today's waiting patient to the doctor on leave; to the co-owner (not on leave) it goes
      const transfer = (to: string) =>
        `update public.queue_entries set practitioner_id = '${to}' where id = '${ID.entryB}'`;
      expect(await refused(tx, null, transfer(ID.memberPractA))).toBe('PT409 PRACTITIONER.ON_LEAVE');
      await tx.query(transfer(ID.memberCoOwnerA));
      // a queue step rewrites the column with its own value on every update: an entry already with the doctor is
      // not refused for any other change (the leave was entered after it was booked)
      await tx.query(`update public.queue_entries set practitioner_id = null where id = '${ID.entryA1}'`);
      await tx.query(`delete from public.practitioner_leave`);
      await tx.query(
        `update public.queue_entries set practitioner_id = '${ID.memberPractA}' where id = '${ID.entryA1}'`,
      );
      const l = await as<Leave>(tx, ACTORS.ownerA, ...setLeave(1, 1));
      expect(l.visits).toBe(1); // the admin is told one visit stays booked with the doctor that day
      await tx.query(
        `update public.queue_entries set practitioner_id = practitioner_id, skip_count = 1 where id = '${ID.entryA1}'`,
      );
    });
  });

  it('H1 the clinic’s staff read the leave; patients, anon and another clinic do not; the owner removes it', async () => {
    await rolledBack(t.db, async (tx) => {
      const l = await as<Leave>(tx, ACTORS.ownerA, ...setLeave(5, 6));
      const count = `select count(*)::int as r from public.practitioner_leave where id = '${l.id}'`;
      for (const a of [ACTORS.recepA, ACTORS.practA, ACTORS.ownerA])
        expect(await as<number>(tx, a, count)).toBe(1);
      for (const a of [ACTORS.patientA, ACTORS.ownerB]) expect(await as<number>(tx, a, count)).toBe(0);
      expect(await refused(tx, ACTORS.anon, count)).toBe(
        '42501 permission denied for table practitioner_leave',
      );
      const del = [`select public.delete_practitioner_leave($1::uuid) as r`, [l.id]] as [string, unknown[]];
      expect(await refused(tx, ACTORS.ownerB, ...del)).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.patientA, ...del)).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.recepA, ...del)).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.practA, ...del)).toBe('PT403 AUTH.FORBIDDEN');
      expect(await as(tx, ACTORS.ownerA, ...del)).toEqual({ id: l.id, deleted: true });
      expect(await refused(tx, ACTORS.ownerA, ...del)).toBe('PT404 NOT_FOUND');
      expect((await as<Slot[]>(tx, ACTORS.anon, ...slots(5, ID.memberPractA))).length).toBeGreaterThan(0);
    });
  });

  it('H1 attacks: wrong order, past, over a year, overlap, another clinic’s doctor, a receptionist, a bad reason, non-admins — coded, nothing written', async () => {
    await rolledBack(t.db, async (tx) => {
      await as<Leave>(tx, ACTORS.ownerA, ...setLeave(10, 12));
      const n = await leaveRows(tx);
      expect(await refused(tx, ACTORS.ownerA, ...setLeave(5, 4))).toBe('PT422 LEAVE.INVALID_RANGE');
      expect(await refused(tx, ACTORS.ownerA, ...setLeave(-3, -1))).toBe('PT422 LEAVE.INVALID_RANGE');
      expect(await refused(tx, ACTORS.ownerA, ...setLeave(1, 400))).toBe('PT422 LEAVE.INVALID_RANGE');
      for (const [from, to] of [
        [12, 14],
        [8, 10],
        [11, 11],
        [9, 13],
      ] as const)
        expect(await refused(tx, ACTORS.ownerA, ...setLeave(from, to)), `${from}..${to}`).toBe(
          'PT409 LEAVE.OVERLAP',
        );
      // another doctor's leave on the same days is no overlap
      await as<Leave>(tx, ACTORS.ownerA, ...setLeave(10, 12, ID.memberCoOwnerA));
      expect(await refused(tx, ACTORS.ownerA, ...setLeave(20, 21, ID.memberOwnerB))).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.ownerA, ...setLeave(20, 21, ID.memberRecepA))).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.ownerA, ...setLeave(20, 21, ID.memberPractA, 'a\nb'))).toBe(
        'PT422 VALIDATION.FAILED',
      );
      expect(await refused(tx, ACTORS.ownerA, ...setLeave(20, 21, ID.memberPractA, 'x'.repeat(201)))).toBe(
        'PT422 VALIDATION.FAILED',
      );
      expect(
        await refused(
          tx,
          ACTORS.ownerA,
          `select public.set_practitioner_leave($1::uuid, $2::uuid, null, null) as r`,
          [ID.clinicA, ID.memberPractA],
        ),
      ).toBe('PT422 VALIDATION.FAILED');
      for (const a of [ACTORS.recepA, ACTORS.practA, ACTORS.ownerB, ACTORS.patientA])
        expect(await refused(tx, a, ...setLeave(20, 21)), a.name).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.anon, ...setLeave(20, 21))).toMatch(/^42501 /);
      // get_free_slots names another clinic's doctor: unknown here
      expect(await refused(tx, ACTORS.anon, ...slots(2, ID.memberOwnerB))).toBe('PT404 NOT_FOUND');
      expect(await leaveRows(tx)).toBe(n + 1);
    });
  });
});
