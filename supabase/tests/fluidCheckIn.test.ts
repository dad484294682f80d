/**
 * Rule F5 (docs/fluid-queues.md; migration 20261213900002_fluid_self_check_in_window.sql, review of session 14):
 * a patient's own check-in of a fluid visit opens `check_in_window_minutes` before the clinic's first opening
 * hour of the day. Before, a fluid visit (no slot) could be checked in from home at midnight and went first in
 * a line ordered by arrival. The clinic's staff check a fluid patient in at any time.
 *
 * PGlite and PostgreSQL; private.now() pinned at 09:00 of the world's day; clinic B opens at 11:00 today in
 * these cases (the world's clinics are open 00:00–23:00 otherwise); every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';
import { resetActor } from './helpers/sql';

const TODAY = `private.clinic_today('Africa/Casablanca')`;

describe.each(DB_KINDS)('checking in for a fluid visit on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Clinic B opens at 11:00 today, its Consultation type is fluid; patient A takes today's place. */
  const fluidPlaceOpeningAtEleven = async (tx: DbTx) => {
    await tx.query(
      `update public.working_hours set starts_at = '11:00', ends_at = '18:00'
        where clinic_id = $1 and weekday = extract(dow from ${TODAY})`,
      [ID.clinicB],
    );
    await tx.query(`update public.appointment_types set booking_mode = 'fluid' where id = $1`, [ID.typeB]);
    const b = await as<{ entry_id: string }>(
      tx,
      ACTORS.patientA,
      `select public.book_fluid_place($1::uuid, ${TODAY}, $2::uuid, null, 'Fluid Patient') as r`,
      [ID.clinicB, ID.typeB],
    );
    const w = await tx.query<{ w: number }>(
      `select (private.effective_settings(settings) ->> 'check_in_window_minutes')::int as w
         from public.clinics where id = $1`,
      [ID.clinicB],
    );
    return { entryId: b.entry_id, window: w.rows[0]!.w };
  };
  const checkIn = ['select public.check_in($1::uuid) as r'] as const;

  it('F5 fluid: self check-in opens with the day — from home before the window it is QUEUE.CHECK_IN_TOO_EARLY with when it opens, and the visit stays scheduled', () =>
    rolledBack(t.db, async (tx) => {
      const { entryId, window } = await fluidPlaceOpeningAtEleven(tx);
      expect(window).toBeLessThan(120); // 09:00 is before the window of an 11:00 opening
      expect(await refused(tx, ACTORS.patientA, checkIn[0], [entryId])).toBe(
        'PT409 QUEUE.CHECK_IN_TOO_EARLY',
      );
      // the detail the screens read: when it opens and the window, as data
      await tx.query('savepoint detail');
      const detail = await as(tx, ACTORS.patientA, checkIn[0], [entryId]).then(
        () => null,
        (e: { detail?: string }) => e.detail ?? null,
      );
      await tx.query('rollback to savepoint detail');
      await resetActor(tx);
      const opens = await tx.query<{ at: string }>(
        `select to_char((((${TODAY}) + time '11:00') at time zone 'Africa/Casablanca'
                 - make_interval(mins => $1)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at`,
        [window],
      );
      expect(JSON.parse(detail ?? '{}')).toEqual({ opens_at: opens.rows[0]!.at, window_minutes: window });
      const st = await tx.query<{ status: string }>('select status from public.queue_entries where id = $1', [
        entryId,
      ]);
      expect(st.rows[0]!.status).toBe('scheduled');
    }));

  it('F5 fluid: once the window has opened the patient checks in, in line by arrival', () =>
    rolledBack(t.db, async (tx) => {
      const { entryId, window } = await fluidPlaceOpeningAtEleven(tx);
      await tx.query(`update private.pinned_clock set at = at + make_interval(mins => 120 - $1)`, [window]);
      const c = await as<{ status: string }>(tx, ACTORS.patientA, checkIn[0], [entryId]);
      expect(c.status).toBe('waiting');
    }));

  it('F5 fluid: the clinic’s staff check a fluid patient in before the window (they see them at the desk)', () =>
    rolledBack(t.db, async (tx) => {
      const { entryId } = await fluidPlaceOpeningAtEleven(tx);
      const c = await as<{ status: string }>(tx, ACTORS.ownerB, checkIn[0], [entryId]);
      expect(c.status).toBe('waiting');
    }));
});

/**
 * mend17: the waiting-room kiosk (20261216200001_kiosk_devices.sql) checks a visit in through its own copy of
 * check_in's rules, private.kiosk_check_in_entry, and that copy left out F5. A kiosk check-in is the patient's own
 * (its event says by 'kiosk', no staff member sees them; the kiosk token works from wherever it is read), so a
 * fluid patient at the kiosk — or anyone with the tablet's token — before the window took the first place in line
 * by arrival, ahead of everyone the phone check-in had refused. Now the kiosk answers F5's
 * QUEUE.CHECK_IN_TOO_EARLY and the visit stays scheduled; once the window is open the kiosk checks it in.
 */
describe.each(DB_KINDS)('F5 at the waiting-room kiosk on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Clinic B opens at 11:00, its Consultation type is fluid, patient A (phone …0001) took today's place. */
  const atTheKiosk = async (tx: DbTx) => {
    await tx.query(
      `update public.working_hours set starts_at = '11:00', ends_at = '18:00'
        where clinic_id = $1 and weekday = extract(dow from ${TODAY})`,
      [ID.clinicB],
    );
    await tx.query(`update public.appointment_types set booking_mode = 'fluid' where id = $1`, [ID.typeB]);
    const b = await as<{ entry_id: string }>(
      tx,
      ACTORS.patientA,
      `select public.book_fluid_place($1::uuid, ${TODAY}, $2::uuid, null, 'Fluid Patient') as r`,
      [ID.clinicB, ID.typeB],
    );
    await resetActor(tx);
    const row = await tx.query<{ n: number; w: number }>(
      `select e.ticket_number as n,
              (private.effective_settings(c.settings) ->> 'check_in_window_minutes')::int as w
         from public.queue_entries e join public.clinics c on c.id = e.clinic_id where e.id = $1`,
      [b.entry_id],
    );
    await tx.query(
      `update public.patients set phone = '+212600000001'
        where id = (select patient_id from public.queue_entries where id = $1)`,
      [b.entry_id],
    );
    const { token } = await as<{ token: string }>(
      tx,
      ACTORS.ownerB,
      'select public.pair_kiosk($1, $2) as r',
      [ID.clinicB, 'Entrance'],
    );
    return { entryId: b.entry_id, ticket: String(row.rows[0]!.n), window: row.rows[0]!.w, token };
  };
  const KIOSK = 'select public.kiosk_check_in($1, $2, $3) as r';
  const statusOf = async (tx: DbTx, id: string) => {
    await resetActor(tx);
    return (
      await tx.query<{ s: string }>('select status::text as s from public.queue_entries where id = $1', [id])
    ).rows[0]!.s;
  };

  it('F5 fluid: the kiosk before the window answers QUEUE.CHECK_IN_TOO_EARLY, as the patient’s own check-in does, and the visit stays scheduled', () =>
    rolledBack(t.db, async (tx) => {
      const { entryId, ticket, window, token } = await atTheKiosk(tx);
      expect(window).toBeLessThan(120); // 09:00 is before the window of an 11:00 opening
      expect(await refused(tx, ACTORS.anon, KIOSK, [token, ticket, '0001'])).toBe(
        'PT409 QUEUE.CHECK_IN_TOO_EARLY',
      );
      expect(await statusOf(tx, entryId)).toBe('scheduled');
    }));

  it('F5 fluid: once the window has opened the kiosk checks the fluid patient in', () =>
    rolledBack(t.db, async (tx) => {
      const { entryId, ticket, window, token } = await atTheKiosk(tx);
      await tx.query(`update private.pinned_clock set at = at + make_interval(mins => 120 - $1)`, [window]);
      expect(await as(tx, ACTORS.anon, KIOSK, [token, ticket, '0001'])).toMatchObject({
        found: true,
        entry_id: entryId,
        status: 'waiting',
      });
      expect(await statusOf(tx, entryId)).toBe('waiting');
    }));
});
