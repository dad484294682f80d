/**
 * Issue 17 (session 19, hours19): a doctor's own weekly hours (20261219500002_practitioner_hours.sql,
 * docs/domain-rules.md H4–H5). None = the clinic's hours; once set, get_free_slots offers the doctor only slots inside
 * them, booking outside them is refused (PRACTITIONER.OFF_HOURS), and a range outside the clinic's hours (across its
 * break) is refused with HOURS.INVALID 'outside'. Attacks: non-admins, another clinic's doctor, malformed weeks.
 *
 * PGlite and PostgreSQL, private.now() pinned at 09:00 of the world's day in the clinic; every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

type Slot = { start: string; end: string; remaining: number };

const day = (n: number) => `private.clinic_today('Africa/Casablanca') + ${n}`;
const at = (n: number, hhmm: string) => `((${day(n)}) + time '${hhmm}') at time zone 'Africa/Casablanca'`;
const weekdayOf = async (tx: DbTx, n: number) =>
  Number((await tx.query<{ d: number }>(`select extract(dow from ${day(n)})::int as d`)).rows[0]!.d);
const setHours = (rows: unknown, who: string = ID.memberPractA, clinic: string = ID.clinicA) =>
  [
    `select public.set_practitioner_hours($1::uuid, $2::uuid, $3::jsonb) as r`,
    [clinic, who, JSON.stringify(rows)],
  ] as [string, unknown[]];
const slots = (n: number, practitioner: string | null) =>
  [
    `select public.get_free_slots($1::uuid, ${day(n)}, ${day(n)}, $2::uuid, $3::uuid) as r`,
    [ID.clinicA, ID.typeA, practitioner],
  ] as [string, unknown[]];
/** Local HH:mm of a slot's start and end in the clinic. */
const local = async (tx: DbTx, s: Slot[]) =>
  (
    await tx.query<{ a: string; b: string }>(
      `select to_char(x.s at time zone 'Africa/Casablanca', 'HH24:MI') as a,
              to_char(x.e at time zone 'Africa/Casablanca', 'HH24:MI') as b
         from jsonb_to_recordset($1::jsonb) as x(s timestamptz, e timestamptz)`,
      [JSON.stringify(s.map((x) => ({ s: x.start, e: x.end })))],
    )
  ).rows.map((r) => `${r.a}-${r.b}`);
const staffBook = (n: number, hhmm: string, practitioner: string | null) =>
  [
    `select public.staff_book_appointment($1::uuid, $2::uuid, ${at(n, hhmm)}, $3::uuid, $4::uuid) as r`,
    [ID.clinicA, ID.walkInA, ID.typeA, practitioner],
  ] as [string, unknown[]];
const hoursRows = async (tx: DbTx) =>
  Number(
    (await tx.query<{ n: number }>(`select count(*)::int as n from public.practitioner_hours`)).rows[0]!.n,
  );

describe.each(DB_KINDS)('a doctor’s own hours on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('H4 a doctor with own hours is offered only slots inside them, and booked only there; other weekdays are off; "any doctor" keeps the clinic’s slots; none = the clinic’s hours', async () => {
    await rolledBack(t.db, async (tx) => {
      const clinicSlots = await as<Slot[]>(tx, ACTORS.anon, ...slots(2, null));
      expect(await as<Slot[]>(tx, ACTORS.anon, ...slots(2, ID.memberPractA))).toEqual(clinicSlots);
      const wd = await weekdayOf(tx, 2);
      await as(tx, ACTORS.ownerA, ...setHours([{ weekday: wd, starts_at: '09:00', ends_at: '12:00' }]));
      // the clinic's grid is 00:00 + n × 20 min (15-minute visits, 5-minute buffer): 09:00 … 11:40 fit
      const mine = await as<Slot[]>(tx, ACTORS.anon, ...slots(2, ID.memberPractA));
      expect(await local(tx, mine)).toEqual([
        '09:00-09:15',
        '09:20-09:35',
        '09:40-09:55',
        '10:00-10:15',
        '10:20-10:35',
        '10:40-10:55',
        '11:00-11:15',
        '11:20-11:35',
        '11:40-11:55',
      ]);
      expect(await as<Slot[]>(tx, ACTORS.anon, ...slots(3, ID.memberPractA))).toEqual([]); // another weekday: off
      expect(await as<Slot[]>(tx, ACTORS.anon, ...slots(2, null))).toEqual(clinicSlots);
      expect(await refused(tx, ACTORS.recepA, ...staffBook(2, '13:00', ID.memberPractA))).toBe(
        'PT409 PRACTITIONER.OFF_HOURS',
      );
      expect(
        await refused(
          tx,
          ACTORS.patientA,
          `select public.book_appointment($1::uuid, ${at(2, '13:00')}, $2::uuid, $3::uuid) as r`,
          [ID.clinicA, ID.typeA, ID.memberPractA],
        ),
      ).toBe('PT409 PRACTITIONER.OFF_HOURS');
      expect(
        await as<{ status: string }>(tx, ACTORS.recepA, ...staffBook(2, '10:00', ID.memberPractA)),
      ).toMatchObject({ status: 'scheduled' });
      // clearing the week: the clinic's hours again
      await as(tx, ACTORS.ownerA, ...setHours([]));
      expect((await as<Slot[]>(tx, ACTORS.anon, ...slots(3, ID.memberPractA))).length).toBeGreaterThan(0);
    });
  });

  it('H4 a visit under way today moves to a doctor whose own hours do not cover its booked time (only their leave counts); a new visit at that time is still refused (20261219800002)', async () => {
    await rolledBack(t.db, async (tx) => {
      const wd = await weekdayOf(tx, 0);
      await as(tx, ACTORS.ownerA, ...setHours([{ weekday: wd, starts_at: '12:00', ends_at: '18:00' }]));
      // a 08:00 booked patient still waiting (the clock is at 09:00), booked for "any doctor"
      const booked = (id: string, status: string, practitioner: string | null) =>
        `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                                           appointment_type_id, slot_start, slot_end, practitioner_id)
         values ('${id}', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'booked', '${status}', 61, 61,
                 '${ID.typeA}', ${at(0, '08:00')}, ${at(0, '08:15')}, ${practitioner ? `'${practitioner}'` : 'null'})`;
      await tx.query(booked('a5190000-0000-4000-8000-000000000031', 'waiting', null));
      await tx.query(
        `update public.queue_entries set practitioner_id = '${ID.memberPractA}'
          where id = 'a5190000-0000-4000-8000-000000000031'`,
      );
      const { rows } = await tx.query<{ p: string }>(
        `select practitioner_id::text as p from public.queue_entries where id = 'a5190000-0000-4000-8000-000000000031'`,
      );
      expect(rows).toEqual([{ p: ID.memberPractA }]);
      // a new visit naming the doctor at a time outside their hours is refused as before
      expect(
        await refused(tx, null, booked('a5190000-0000-4000-8000-000000000032', 'scheduled', ID.memberPractA)),
      ).toBe('PT409 PRACTITIONER.OFF_HOURS');
    });
  });

  it('H4 a visit without a time (desk walk-in, fluid place) naming the doctor on a weekday they do not work is refused; on their weekday it goes (20261219800005)', async () => {
    await rolledBack(t.db, async (tx) => {
      const today = await weekdayOf(tx, 0);
      await as(
        tx,
        ACTORS.ownerA,
        ...setHours([{ weekday: (today + 1) % 7, starts_at: '09:00', ends_at: '12:00' }]),
      );
      const walkIn = (id: string) =>
        `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                                           practitioner_id)
         values ('${id}', '${ID.queueA}', '${ID.clinicA}', '${ID.walkInA}', 'walk_in', 'waiting', 62, 62,
                 '${ID.memberPractA}')`;
      expect(await refused(tx, null, walkIn('a5190000-0000-4000-8000-000000000041'))).toBe(
        'PT409 PRACTITIONER.OFF_HOURS',
      );
      await as(tx, ACTORS.ownerA, ...setHours([{ weekday: today, starts_at: '09:00', ends_at: '12:00' }]));
      await tx.query(walkIn('a5190000-0000-4000-8000-000000000042'));
    });
  });

  it('H2/H4 get_wait_history names the doctors whose day is not the clinic’s: own hours that weekday, [] on leave', async () => {
    await rolledBack(t.db, async (tx) => {
      type History = {
        sessions: unknown[];
        practitioner_sessions: Record<string, { start: string; end: string }[]>;
      };
      const history = (n: number) =>
        as<History>(tx, ACTORS.recepA, `select public.get_wait_history($1::uuid, 30, ${day(n)}) as r`, [
          ID.clinicA,
        ]);
      expect((await history(2)).practitioner_sessions).toEqual({});
      const wd = await weekdayOf(tx, 2);
      await as(tx, ACTORS.ownerA, ...setHours([{ weekday: wd, starts_at: '09:00', ends_at: '12:00' }]));
      await as(
        tx,
        ACTORS.ownerA,
        `select public.set_practitioner_leave($1::uuid, $2::uuid, ${day(2)}, ${day(2)}) as r`,
        [ID.clinicA, ID.memberCoOwnerA],
      );
      const h = await history(2);
      expect(Object.keys(h.practitioner_sessions).sort()).toEqual(
        [ID.memberCoOwnerA, ID.memberPractA].sort(),
      );
      expect(h.practitioner_sessions[ID.memberCoOwnerA]).toEqual([]);
      const mine = h.practitioner_sessions[ID.memberPractA]!;
      expect(mine).toHaveLength(1);
      const { rows } = await tx.query<{ a: string; b: string }>(
        `select to_char($1::timestamptz at time zone 'Africa/Casablanca', 'HH24:MI') as a,
                to_char($2::timestamptz at time zone 'Africa/Casablanca', 'HH24:MI') as b`,
        [mine[0]!.start, mine[0]!.end],
      );
      expect(rows[0]).toEqual({ a: '09:00', b: '12:00' });
      // another weekday: the doctor with own hours is off ([]); the co-owner is back to the clinic's (not listed)
      expect((await history(3)).practitioner_sessions).toEqual({ [ID.memberPractA]: [] });
    });
  });

  it('H5 a doctor’s range lies within one of the clinic’s ranges (not across its break); malformed, reversed, overlapping weeks are named; nothing changes', async () => {
    await rolledBack(t.db, async (tx) => {
      const wd = await weekdayOf(tx, 2);
      await tx.query(`delete from public.working_hours where clinic_id = $1 and weekday = $2`, [
        ID.clinicA,
        wd,
      ]);
      await tx.query(
        `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
         values ($1, $2, '09:00', '13:00'), ($1, $2, '15:00', '19:00')`,
        [ID.clinicA, wd],
      );
      await as(tx, ACTORS.ownerA, ...setHours([{ weekday: wd, starts_at: '15:00', ends_at: '18:00' }]));
      const n = await hoursRows(tx);
      expect(
        await refused(
          tx,
          ACTORS.ownerA,
          ...setHours([{ weekday: wd, starts_at: '12:00', ends_at: '16:00' }]),
        ),
      ).toBe('PT422 HOURS.INVALID');
      const detail = async (rows: unknown) => {
        await tx.query('savepoint d');
        try {
          await as(tx, ACTORS.ownerA, ...setHours(rows));
        } catch (e) {
          await tx.query('rollback to savepoint d');
          await tx.query('reset role');
          return JSON.parse((e as { detail?: string }).detail ?? 'null') as {
            problem: string;
            weekday?: number;
          };
        }
        throw new Error('expected a refusal');
      };
      expect(await detail([{ weekday: wd, starts_at: '12:00', ends_at: '16:00' }])).toMatchObject({
        weekday: wd,
        problem: 'outside',
      });
      expect(await detail([{ weekday: wd, starts_at: '08:00', ends_at: '10:00' }])).toMatchObject({
        problem: 'outside',
      });
      expect(await detail([{ weekday: wd, starts_at: '11:00', ends_at: '10:00' }])).toMatchObject({
        problem: 'order',
      });
      expect(
        await detail([
          { weekday: wd, starts_at: '09:00', ends_at: '11:00' },
          { weekday: wd, starts_at: '10:00', ends_at: '12:00' },
        ]),
      ).toMatchObject({ problem: 'overlap' });
      expect(await detail([{ weekday: 9, starts_at: '09:00', ends_at: '10:00' }])).toMatchObject({
        problem: 'format',
      });
      expect(await detail({ weekday: wd })).toMatchObject({ problem: 'format' });
      // the doctor's week is as it was
      expect(await hoursRows(tx)).toBe(n);
    });
  });

  it('H5 attacks: non-admins, another clinic’s doctor or owner, anon — refused with a code; staff read the hours, patients and other clinics do not', async () => {
    await rolledBack(t.db, async (tx) => {
      const wd = await weekdayOf(tx, 2);
      const week = [{ weekday: wd, starts_at: '09:00', ends_at: '12:00' }];
      await as(tx, ACTORS.ownerA, ...setHours(week));
      for (const a of [ACTORS.recepA, ACTORS.practA, ACTORS.ownerB, ACTORS.patientA])
        expect(await refused(tx, a, ...setHours([])), a.name).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.anon, ...setHours([]))).toMatch(/^42501 /);
      expect(await refused(tx, ACTORS.ownerA, ...setHours(week, ID.memberOwnerB))).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.ownerA, ...setHours(week, ID.memberRecepA))).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ACTORS.ownerB, ...setHours(week, ID.memberOwnerB, ID.clinicA))).toBe(
        'PT403 AUTH.FORBIDDEN',
      );
      const count = `select count(*)::int as r from public.practitioner_hours`;
      for (const a of [ACTORS.recepA, ACTORS.practA]) expect(await as<number>(tx, a, count)).toBe(1);
      for (const a of [ACTORS.patientA, ACTORS.ownerB]) expect(await as<number>(tx, a, count)).toBe(0);
      expect(await hoursRows(tx)).toBe(1);
    });
  });
});
