/**
 * Issue 17 (session 16, review of session 15): waitlist offers vs fluid places on a mixed day (F2 both ways,
 * W1). A live offer holds its slot's minutes in the day's pool (private.fluid_places_left), so a fluid booking
 * cannot take them; the acceptor's own visit and offer never count against its own move (the accept succeeds on
 * a full day); a move offers the slot it leaves only after its new booking (migration 20261214200002).
 *
 * Tomorrow in clinic A, hours 10:00–11:20 (80 minutes, capacity 1): slots 10:00, 10:20, 10:40, 11:00 of 15 min;
 * visit type A2 made fluid, 15 minutes. PGlite and PostgreSQL, clock pinned at today 09:00 in the clinic;
 * every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';
import { fluidDay, setTypeMode } from './helpers/fluidWorld';

const P3 = 'a3000000-0000-4000-8000-0000000000f3';
const P4 = 'a3000000-0000-4000-8000-0000000000f4';

describe.each(DB_KINDS)('waitlist offers vs fluid places on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** A slotted booking tomorrow at hh:mm (the one booking path, staff rules); returns the visit's id. */
  const book = async (tx: DbTx, patient: string, hhmm: string) =>
    (
      await tx.query<{ id: string }>(
        `select (private.book($1, $2, ${localAt(1, hhmm)}, null, null, false) ->> 'entry_id') as id`,
        [ID.clinicA, patient],
      )
    ).rows[0]!.id;
  const FLUID = `select private.book_fluid($1, $2, ${fluidDay(1)}, $3, null, false) as r`;
  const bookFluid = (tx: DbTx, patient: string) => tx.query(FLUID, [ID.clinicA, patient, ID.typeA2]);
  const placesLeft = async (tx: DbTx) =>
    (
      await tx.query<{ n: number }>(`select private.fluid_places_left($1, ${fluidDay(1)}, 15) as n`, [
        ID.clinicA,
      ])
    ).rows[0]!.n;
  const request = async (tx: DbTx, id: string) =>
    (
      await tx.query<{ status: string; slot: string | null }>(
        `select status, to_char(offered_slot_start at time zone 'Africa/Casablanca', 'HH24:MI') as slot
           from public.waitlist_requests where id = $1`,
        [id],
      )
    ).rows[0]!;
  /** A waitlist request for a visit of a patient without an account (as request_earlier_slot writes it). */
  const requestFor = async (tx: DbTx, entryId: string) =>
    (
      await tx.query<{ id: string }>(
        `insert into public.waitlist_requests (clinic_id, entry_id, day)
         values ($1, $2, ${fluidDay(1)}) returning id`,
        [ID.clinicA, entryId],
      )
    ).rows[0]!.id;

  /**
   * The full mixed day: patient A at 10:40 (the fixture's visit, moved), the walk-in at 11:00, P3 at 10:00, B and
   * P4 in the fluid line: 75 of 80 minutes held. Patient A asks for an earlier slot, then the walk-in.
   */
  const fullMixedDay = async (tx: DbTx) => {
    await tx.query(
      `delete from public.working_hours where clinic_id = $1 and weekday = extract(dow from ${fluidDay(1)})`,
      [ID.clinicA],
    );
    await tx.query(
      `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
       values ($1, extract(dow from ${fluidDay(1)}), '10:00', '11:20')`,
      [ID.clinicA],
    );
    await tx.query(
      `insert into public.patients (id, clinic_id, full_name, phone) values
         ($1, $3, 'Third Patient', '+212600000093'), ($2, $3, 'Fourth Patient', '+212600000094')`,
      [P3, P4, ID.clinicA],
    );
    await tx.query(
      `update public.queue_entries set slot_start = ${localAt(1, '10:40')}, slot_end = ${localAt(1, '10:55')},
              order_key = extract(epoch from ${localAt(1, '10:40')}) where id = $1`,
      [ID.entryA1],
    );
    const walkIn = await book(tx, ID.walkInA, '11:00');
    const p3 = await book(tx, P3, '10:00');
    await setTypeMode(tx, ID.typeA2, 'fluid', 15);
    await bookFluid(tx, ID.patientRecB);
    await bookFluid(tx, P4);
    expect(await placesLeft(tx)).toBe(0);
    const a = await as<{ request_id: string }>(
      tx,
      ACTORS.patientA,
      `select public.request_earlier_slot($1::uuid) as r`,
      [ID.entryA1],
    );
    await tx.query(`update private.pinned_clock set at = at + interval '1 minute'`);
    const w = await requestFor(tx, walkIn);
    return { walkIn, p3, requestA: a.request_id, requestWalkIn: w };
  };

  it('W1 + F2: a live offer holds its minutes — a fluid booking cannot take them; the accept then succeeds', async () => {
    await rolledBack(t.db, async (tx) => {
      const day = await fullMixedDay(tx);
      // the clinic cancels P3's 10:00: it is offered to patient A (first request), and held in the day's pool
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [day.p3]);
      expect(await request(tx, day.requestA)).toEqual({ status: 'offered', slot: '10:00' });
      expect(await placesLeft(tx)).toBe(0);
      // P3 (whose visit was cancelled) asks for a place in the fluid line: refused, the minutes are A's offer's
      expect(await refused(tx, null, FLUID, [ID.clinicA, P3, ID.typeA2])).toMatch(/BOOKING\.DAY_FULL/);
      const days = await as<{ day: string }[]>(
        tx,
        ACTORS.patientB,
        `select public.get_fluid_days($1::uuid, ${fluidDay(1)}, ${fluidDay(1)}, $2::uuid) as r`,
        [ID.clinicA, ID.typeA2],
      );
      expect(days).toEqual([]);
      // the acceptor's own visit and offer do not count against its move: the accept succeeds on the full day
      const moved = await as<{ entry_id: string; slot_start: string; rescheduled_from: string }>(
        tx,
        ACTORS.patientA,
        `select public.accept_earlier_slot($1::uuid) as r`,
        [day.requestA],
      );
      expect(moved.rescheduled_from).toBe(ID.entryA1);
      expect(await request(tx, day.requestA)).toMatchObject({ status: 'accepted' });
      // … and only then is A's old 10:40 offered to the next request (the walk-in), held in the pool
      expect(await request(tx, day.requestWalkIn)).toEqual({ status: 'offered', slot: '10:40' });
      expect(await placesLeft(tx)).toBe(0);
      const held = await tx.query<{ m: number }>(
        `select coalesce(sum(extract(epoch from (e.slot_end - e.slot_start)) / 60), 0)::int as m
           from public.queue_entries e join public.queues q on q.id = e.queue_id
          where q.clinic_id = $1 and q.day = ${fluidDay(1)} and e.status = 'scheduled' and not e.fluid`,
        [ID.clinicA],
      );
      expect(held.rows[0]!.m).toBe(30); // A at 10:00 and the walk-in at 11:00
    });
  });

  it('W1 + F2: an offer is made only while the pool has its minutes; an offer that ends gives them back', async () => {
    await rolledBack(t.db, async (tx) => {
      const day = await fullMixedDay(tx);
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [day.p3]);
      expect(await request(tx, day.requestA)).toMatchObject({ status: 'offered' });
      // A declines (withdraws): the slot passes to the walk-in's request — the pool has its minutes again
      await as(tx, ACTORS.patientA, `select public.withdraw_earlier_slot($1::uuid) as r`, [day.requestA]);
      expect(await request(tx, day.requestWalkIn)).toEqual({ status: 'offered', slot: '10:00' });
      // the walk-in's offer runs out: its 15 minutes are free again for the fluid line
      await tx.query(`update private.pinned_clock set at = at + interval '1 hour'`);
      expect(await placesLeft(tx)).toBe(1);
      await bookFluid(tx, P3);
      expect(await placesLeft(tx)).toBe(0);
    });
    await rolledBack(t.db, async (tx) => {
      const day = await fullMixedDay(tx);
      // the fluid type got longer after its places were taken (15 → 25 minutes): the pool is over-full, and the
      // 15 minutes P3's cancel frees leave no room for an offer — none is made (the slot is no use to anyone)
      await setTypeMode(tx, ID.typeA2, 'fluid', 25);
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [day.p3]);
      expect(await request(tx, day.requestA)).toEqual({ status: 'waiting', slot: null });
    });
  });

  it('F2: a same-day move on a full mixed day is not refused by the offer of the slot it leaves', async () => {
    await rolledBack(t.db, async (tx) => {
      const day = await fullMixedDay(tx);
      // P3 cancels 10:00; A is offered it and declines; the walk-in's request was withdrawn: 10:00 is free
      await tx.query(`update public.waitlist_requests set status = 'withdrawn' where id = $1`, [
        day.requestWalkIn,
      ]);
      await as(tx, ACTORS.recepA, `select public.cancel_appointment($1::uuid) as r`, [day.p3]);
      await as(tx, ACTORS.patientA, `select public.withdraw_earlier_slot($1::uuid) as r`, [day.requestA]);
      // P3 takes a place in the fluid line (5 minutes left), and the walk-in asks again for an earlier slot
      await bookFluid(tx, P3);
      const again = await requestFor(tx, day.walkIn);
      // A moves 10:40 → 10:00 (release 15, book 15). Offering 10:40 to the walk-in between the two would hold
      // the minutes A is booking (SLOT_FULL); the move offers it after its booking, when the pool has no room
      const moved = await as<{ rescheduled_from: string }>(
        tx,
        ACTORS.patientA,
        `select public.reschedule_appointment($1::uuid, ${localAt(1, '10:00')}) as r`,
        [ID.entryA1],
      );
      expect(moved.rescheduled_from).toBe(ID.entryA1);
      expect(await request(tx, again)).toEqual({ status: 'waiting', slot: null });
      expect(await placesLeft(tx)).toBe(0);
    });
  });

  it('get_free_slots over many days (fluid places judged once a day) answers what each day asked alone answers', async () => {
    await rolledBack(t.db, async (tx) => {
      // day 3's weekday open 10:00–11:00 and its one 60-minute fluid place taken: no slot there; day 10 (the
      // same weekday) keeps its three slots
      await tx.query(
        `delete from public.working_hours where clinic_id = $1 and weekday = extract(dow from ${fluidDay(3)})`,
        [ID.clinicA],
      );
      await tx.query(
        `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
         values ($1, extract(dow from ${fluidDay(3)}), '10:00', '11:00')`,
        [ID.clinicA],
      );
      await setTypeMode(tx, ID.typeA2, 'fluid', 60);
      await tx.query(`select private.book_fluid($1, $2, ${fluidDay(3)}, $3, null, false)`, [
        ID.clinicA,
        ID.patientRecB,
        ID.typeA2,
      ]);
      type Slot = { start: string; end: string; remaining: number };
      const slots = (from: number, to: number) =>
        as<Slot[]>(
          tx,
          ACTORS.anon,
          `select public.get_free_slots($1::uuid, ${fluidDay(from)}, ${fluidDay(to)}, $2::uuid) as r`,
          [ID.clinicA, ID.typeA],
        );
      const all = await slots(1, 14);
      const oneByOne: Slot[] = [];
      for (let d = 1; d <= 14; d += 1) {
        const day = await slots(d, d);
        if (d === 3) expect(day).toEqual([]);
        if (d === 10) expect(day).toHaveLength(3);
        oneByOne.push(...day);
      }
      expect(all).toEqual(oneByOne);
      expect(all.length).toBeGreaterThan(700);
      // tomorrow's 11:00 is patient A's: not offered
      const tomorrow11 = await tx.query<{ v: string }>(`select (${localAt(1, '11:00')})::text as v`);
      expect(all.some((x) => new Date(x.start).getTime() === new Date(tomorrow11.rows[0]!.v).getTime())).toBe(
        false,
      );
    });
  });
});
