/**
 * Issue 17, "Join today's queue remotely" (20261206500002_remote_join.sql): a signed-in patient joins a
 * clinic's queue of today from its page when the clinic allows it (clinics.remote_join_cap, set by its
 * admins), within the day's cap, and gets the same tracker as any visit. On PGlite and PostgreSQL with
 * private.now() pinned (today 09:00 in the clinic); every case is rolled back. Clinic B: patients A and B
 * have no record there yet (the join creates it, as a booking does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import type { Actor } from './helpers/sql';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

interface Joined {
  entry_id: string;
  queue_id: string;
  day: string;
  ticket: string;
  ticket_number: number;
  status: string;
  tracking_token: string;
}

describe.each(DB_KINDS)('remote join on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
    // the world's walk-in in clinic B arrived at the wall clock's now(); under a clock pinned at 09:00 it must
    // have arrived before that, or a remote join would be ahead of it whenever the test runs after 09:00
    await t.db.query(
      `update public.queue_entries set order_key = extract(epoch from private.now() - interval '30 minutes')
        where id = $1`,
      [ID.entryBclinicB],
    );
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const join = (clinicId: string, name = 'Remote Patient'): [string, unknown[]] => [
    `select public.join_queue_remotely($1::uuid, $2) as r`,
    [clinicId, name],
  ];
  const state = (tx: DbTx, clinicId: string) =>
    as<{ open: boolean; reason: string | null; remaining: number | null }>(
      tx,
      ACTORS.anon,
      `select public.get_remote_join($1::uuid) as r`,
      [clinicId],
    );
  const setCap = (tx: DbTx, actor: Actor, cap: number | null) =>
    as(tx, actor, `select public.set_remote_join_cap($1::uuid, $2::integer) as r`, [ID.clinicB, cap]);
  const entries = async (tx: DbTx) =>
    Number((await tx.query<{ n: string }>('select count(*) as n from public.queue_entries')).rows[0]!.n);

  it('not offered by default: the page is told `off`, a join is 409 QUEUE.REMOTE_JOIN_OFF and writes nothing', async () => {
    await rolledBack(t.db, async (tx) => {
      expect(await state(tx, ID.clinicB)).toEqual({ open: false, reason: 'off', remaining: null });
      const before = await entries(tx);
      expect(await refused(tx, ACTORS.patientA, ...join(ID.clinicB))).toBe('PT409 QUEUE.REMOTE_JOIN_OFF');
      expect(await entries(tx)).toBe(before);
      const patients = await tx.query(`select 1 from public.patients where clinic_id = $1 and user_id = $2`, [
        ID.clinicB,
        ACTORS.patientA.sub,
      ]);
      expect(patients.rows).toEqual([]);
    });
  });

  it('the clinic’s admin sets the cap (1–500 or none); other staff and patients cannot', async () => {
    await rolledBack(t.db, async (tx) => {
      expect(await setCap(tx, ACTORS.ownerB, 2)).toEqual({ remote_join_cap: 2 });
      expect(await state(tx, ID.clinicB)).toEqual({ open: true, reason: null, remaining: 2 });
      for (const bad of [0, 501])
        expect(
          await refused(tx, ACTORS.ownerB, `select public.set_remote_join_cap($1::uuid, $2::integer) as r`, [
            ID.clinicB,
            bad,
          ]),
        ).toBe('PT422 VALIDATION.FAILED');
      for (const who of [ACTORS.ownerA, ACTORS.patientA])
        expect(
          await refused(tx, who, `select public.set_remote_join_cap($1::uuid, $2::integer) as r`, [
            ID.clinicB,
            9,
          ]),
        ).toMatch(/^PT40[34] /);
      expect(await setCap(tx, ACTORS.ownerB, null)).toEqual({ remote_join_cap: null });
      expect((await state(tx, ID.clinicB)).reason).toBe('off');
    });
  });

  it('a patient joins today’s queue: a waiting walk-in marked joined_remotely, its own ticket and tracking link, WalkInAdded logged; the cap counts it', async () => {
    await rolledBack(t.db, async (tx) => {
      await setCap(tx, ACTORS.ownerB, 2);
      const today = (
        await tx.query<{ d: string }>(`select private.clinic_today('Africa/Casablanca')::text as d`)
      ).rows[0]!.d;
      const j = await as<Joined>(tx, ACTORS.patientA, ...join(ID.clinicB, 'Amina Remote'));
      expect(j).toMatchObject({ status: 'waiting', day: today });
      expect(j.queue_id).toBe(ID.queueB);
      const row = (
        await tx.query<{
          kind: string;
          status: string;
          joined_remotely: boolean;
          slot_start: string | null;
          name: string;
        }>(
          `select e.kind, e.status, e.joined_remotely, e.slot_start, p.full_name as name
             from public.queue_entries e join public.patients p on p.id = e.patient_id where e.id = $1`,
          [j.entry_id],
        )
      ).rows[0];
      expect(row).toEqual({
        kind: 'walk_in',
        status: 'waiting',
        joined_remotely: true,
        slot_start: null,
        name: 'Amina Remote',
      });
      // the tracker: the link shows this visit, waiting, behind the walk-in already there
      const status = await as<{ entry_id: string; status: string; ticket: string; position: number | null }>(
        tx,
        ACTORS.anon,
        `select public.get_visit_status(p_tracking_token => $1) as r`,
        [j.tracking_token],
      );
      expect(status).toMatchObject({ entry_id: j.entry_id, status: 'waiting', ticket: j.ticket });
      expect(status.position).toBe(2);
      const events = await tx.query<{ type: string; payload: Record<string, unknown> }>(
        `select type, payload from public.queue_events where entry_id = $1`,
        [j.entry_id],
      );
      expect(events.rows).toEqual([
        {
          type: 'WalkInAdded',
          payload: { ticket: j.ticket, priority: 'normal', practitionerId: null, position: 2 },
        },
      ]);
      expect(await state(tx, ID.clinicB)).toEqual({ open: true, reason: null, remaining: 1 });
      // one open visit a day
      expect(await refused(tx, ACTORS.patientA, ...join(ID.clinicB))).toBe('PT409 QUEUE.DUPLICATE_ENTRY');
      // the second place, then full
      await as<Joined>(tx, ACTORS.patientB, ...join(ID.clinicB, 'Bruno Remote'));
      expect(await state(tx, ID.clinicB)).toEqual({ open: false, reason: 'full', remaining: 0 });
      await tx.query(`update public.queue_entries set status = 'cancelled' where id = $1`, [j.entry_id]);
      expect((await state(tx, ID.clinicB)).remaining).toBe(1); // a cancelled join frees its place
    });
  });

  it('the cap is the day’s: a third patient is 409 QUEUE.REMOTE_JOIN_FULL, nothing written', async () => {
    await rolledBack(t.db, async (tx) => {
      await setCap(tx, ACTORS.ownerB, 1);
      await as<Joined>(tx, ACTORS.patientA, ...join(ID.clinicB));
      const before = await entries(tx);
      expect(await refused(tx, ACTORS.patientB, ...join(ID.clinicB))).toBe('PT409 QUEUE.REMOTE_JOIN_FULL');
      expect(await entries(tx)).toBe(before);
    });
  });

  it('the desk’s switches rule: a closed intake, a closed day and a closed date refuse the join with their codes', async () => {
    await rolledBack(t.db, async (tx) => {
      await setCap(tx, ACTORS.ownerB, 5);
      await tx.query(`update public.queues set intake_closed_at = private.now() where id = $1`, [ID.queueB]);
      expect((await state(tx, ID.clinicB)).reason).toBe('intake_closed');
      expect(await refused(tx, ACTORS.patientA, ...join(ID.clinicB))).toBe('PT409 QUEUE.INTAKE_CLOSED');
      await tx.query(`update public.queues set intake_closed_at = null, status = 'closed' where id = $1`, [
        ID.queueB,
      ]);
      expect(await refused(tx, ACTORS.patientA, ...join(ID.clinicB))).toBe('PT409 QUEUE.CLOSED');
      await tx.query(`update public.queues set status = 'open' where id = $1`, [ID.queueB]);
      await tx.query(
        `insert into public.closed_dates (clinic_id, day, reason)
         values ($1, private.clinic_today('Africa/Casablanca'), 'Holiday')`,
        [ID.clinicB],
      );
      expect(await refused(tx, ACTORS.patientA, ...join(ID.clinicB))).toBe('PT422 BOOKING.CLINIC_CLOSED');
    });
  });

  it('who: anon has no grant; an unknown clinic is 404; a bad name is 422', async () => {
    await rolledBack(t.db, async (tx) => {
      await setCap(tx, ACTORS.ownerB, 5);
      expect(await refused(tx, ACTORS.anon, ...join(ID.clinicB))).toMatch(/^42501 /);
      expect(await refused(tx, ACTORS.patientA, ...join('00000000-0000-4000-8000-00000000dead'))).toBe(
        'PT404 NOT_FOUND',
      );
      expect(await refused(tx, ACTORS.patientA, ...join(ID.clinicB, 'x'.repeat(201)))).toBe(
        'PT422 VALIDATION.FAILED',
      );
    });
  });

  // ── session 9: opening hours, the arrival window, the owners' settings (20261207300001) ──────────────
  /** Pins the DB clock at `hhmm` of the clinic's today in `zone` (inside the rolled-back transaction). */
  const pinAt = (tx: DbTx, hhmm: string, zone = 'Africa/Casablanca') =>
    tx.query(
      `update private.pinned_clock
          set at = (private.clinic_today('Africa/Casablanca') + $1::time) at time zone $2`,
      [hhmm, zone],
    );
  const splitDay = async (tx: DbTx) => {
    await tx.query(`delete from public.working_hours where clinic_id = $1`, [ID.clinicB]);
    await tx.query(
      `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
       select $1, d, h.s, h.e from generate_series(0, 6) d,
         (values (time '09:00', time '13:00'), (time '15:00', time '19:00')) h(s, e)`,
      [ID.clinicB],
    );
  };

  it('remote join: opening hours — open only inside today’s intervals of a split day, by the clinic’s zone and the DB clock; outside, 409 QUEUE.REMOTE_JOIN_OUTSIDE_HOURS and nothing written', async () => {
    await rolledBack(t.db, async (tx) => {
      await setCap(tx, ACTORS.ownerB, 5);
      await splitDay(tx);
      const before = await entries(tx);
      for (const outside of ['08:59', '13:00', '13:30', '14:59', '19:00', '23:30']) {
        await pinAt(tx, outside);
        expect(await state(tx, ID.clinicB), outside).toEqual({
          open: false,
          reason: 'outside_hours',
          remaining: 5,
        });
        expect(await refused(tx, ACTORS.patientA, ...join(ID.clinicB)), outside).toBe(
          'PT409 QUEUE.REMOTE_JOIN_OUTSIDE_HOURS',
        );
      }
      expect(await entries(tx)).toBe(before);
      const patients = await tx.query(`select 1 from public.patients where clinic_id = $1 and user_id = $2`, [
        ID.clinicB,
        ACTORS.patientA.sub,
      ]);
      expect(patients.rows).toEqual([]); // refused before the patient record is created
      for (const inside of ['09:00', '12:59', '15:00', '18:59']) {
        await pinAt(tx, inside);
        expect(await state(tx, ID.clinicB), inside).toEqual({ open: true, reason: null, remaining: 5 });
      }
      await pinAt(tx, '15:10');
      const j = await as<Joined>(tx, ACTORS.patientA, ...join(ID.clinicB));
      expect(j.status).toBe('waiting');
      // the clinic's own zone decides: 10:00 in Casablanca is before 09:00 in New York
      await pinAt(tx, '10:00');
      expect((await state(tx, ID.clinicB)).reason).toBeNull();
      await tx.query(`update public.clinics set time_zone = 'America/New_York' where id = $1`, [ID.clinicB]);
      expect((await state(tx, ID.clinicB)).reason).toBe('outside_hours');
      await pinAt(tx, '10:00', 'America/New_York');
      expect((await state(tx, ID.clinicB)).reason).toBeNull();
    });
  });

  it('a closed weekday (no interval today) is outside hours all day', async () => {
    await rolledBack(t.db, async (tx) => {
      await setCap(tx, ACTORS.ownerB, 5);
      await tx.query(
        `delete from public.working_hours
          where clinic_id = $1 and weekday = extract(dow from private.clinic_today('Africa/Casablanca'))`,
        [ID.clinicB],
      );
      expect((await state(tx, ID.clinicB)).reason).toBe('outside_hours');
      expect(await refused(tx, ACTORS.patientB, ...join(ID.clinicB))).toBe(
        'PT409 QUEUE.REMOTE_JOIN_OUTSIDE_HOURS',
      );
    });
  });

  it('remote join: arrival window — the tracker says arrive by join time + the window; past it the patient keeps their place, and one not there when called goes through the usual grace rule to no_show', async () => {
    await rolledBack(t.db, async (tx) => {
      await as(tx, ACTORS.ownerB, `select public.set_remote_join($1::uuid, 5, 30) as r`, [ID.clinicB]);
      const pinned = (await tx.query<{ at: string }>(`select private.now()::text as at`)).rows[0]!.at;
      const j = await as<Joined & { arrive_by: string }>(tx, ACTORS.patientA, ...join(ID.clinicB));
      const expected = (
        await tx.query<{ ok: boolean }>(
          `select $1::timestamptz = $2::timestamptz + interval '30 minutes' as ok`,
          [j.arrive_by, pinned],
        )
      ).rows[0]!.ok;
      expect(expected).toBe(true);
      const tracker = async () =>
        as<{ status: string; position: number | null; arrive_by: string | null }>(
          tx,
          ACTORS.anon,
          `select public.get_tracker_view($1) as r`,
          [j.tracking_token],
        );
      const first = await tracker();
      expect(first.status).toBe('waiting');
      expect(new Date(first.arrive_by!).getTime()).toBe(new Date(j.arrive_by).getTime());
      // 45 minutes later, not arrived: no second timer — still waiting, same place in line
      await tx.query(`update private.pinned_clock set at = at + interval '45 minutes'`);
      const later = await tracker();
      expect({ status: later.status, position: later.position }).toEqual({
        status: first.status,
        position: first.position,
      });
      // called and not in the room: the desk marks them absent; the grace rule (10 min) ends in no_show
      await tx.query(
        `update public.queue_entries set status = 'absent', called_at = private.now(), absent_at = private.now(),
                grace_ends_at = private.now() + interval '10 minutes' where id = $1`,
        [j.entry_id],
      );
      expect((await tracker()).arrive_by).toBeNull(); // only a waiting patient is asked to come
      await tx.query(`update private.pinned_clock set at = at + interval '11 minutes'`);
      await as(tx, ACTORS.service, `select public.expire_graces() as r`);
      expect((await tracker()).status).toBe('no_show');
    });
  });

  it('no arrival window: arrive_by stays empty', async () => {
    await rolledBack(t.db, async (tx) => {
      await setCap(tx, ACTORS.ownerB, 5);
      const j = await as<Joined & { arrive_by: string | null }>(tx, ACTORS.patientA, ...join(ID.clinicB));
      expect(j.arrive_by).toBeNull();
    });
  });

  it('the owners’ settings: staff read the cap and window, admins set both (validated), others cannot', async () => {
    await rolledBack(t.db, async (tx) => {
      const read = (who: Actor) =>
        as(tx, who, `select public.get_remote_join_settings($1::uuid) as r`, [ID.clinicB]);
      expect(await read(ACTORS.ownerB)).toEqual({ remote_join_cap: null, remote_arrival_minutes: null });
      const set = `select public.set_remote_join($1::uuid, $2::integer, $3::integer) as r`;
      expect(await as(tx, ACTORS.ownerB, set, [ID.clinicB, 12, 45])).toEqual({
        remote_join_cap: 12,
        remote_arrival_minutes: 45,
      });
      expect(await read(ACTORS.ownerB)).toEqual({ remote_join_cap: 12, remote_arrival_minutes: 45 });
      expect(await state(tx, ID.clinicB)).toEqual({ open: true, reason: null, remaining: 12 });
      for (const [cap, mins] of [
        [0, 30],
        [501, 30],
        [5, 4],
        [5, 241],
      ] as const)
        expect(await refused(tx, ACTORS.ownerB, set, [ID.clinicB, cap, mins])).toBe(
          'PT422 VALIDATION.FAILED',
        );
      for (const who of [ACTORS.ownerA, ACTORS.patientA]) {
        expect(await refused(tx, who, set, [ID.clinicB, 3, 30])).toMatch(/^PT40[34] /);
        expect(
          await refused(tx, who, `select public.get_remote_join_settings($1::uuid) as r`, [ID.clinicB]),
        ).toMatch(/^PT40[34] /);
      }
      expect(await as(tx, ACTORS.ownerB, set, [ID.clinicB, null, null])).toEqual({
        remote_join_cap: null,
        remote_arrival_minutes: null,
      });
      expect((await state(tx, ID.clinicB)).reason).toBe('off');
    });
  });
});
