/**
 * Issue 17: the staff's "Bookings" view of a later day reads the day through get_queue (p_day) and cancels through
 * cancel_appointment — no new RPC. Attack the path it relies on: a later day's list (with patients' names) is the
 * clinic's staff's only — never a patient's (not even the booked one), another clinic's staff's, or anon's — and
 * a cancel from the view with a reason is recorded, while another clinic's staff cannot cancel.
 *
 * PGlite and PostgreSQL; private.now() pinned at 10:00 of the world's day; every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

describe.each(DB_KINDS)('a later day’s bookings for the staff on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** The world's booking of tomorrow (patient A's record, clinic A, 11:00), and its name. */
  const bookedTomorrow = async (tx: DbTx) => {
    const r = await tx.query<{ d: string; name: string }>(
      `select to_char(q.day, 'YYYY-MM-DD') as d, p.full_name as name
         from public.queue_entries e join public.queues q on q.id = e.queue_id
         join public.patients p on p.id = e.patient_id where e.id = $1`,
      [ID.entryA1],
    );
    return { entryId: ID.entryA1, day: r.rows[0]!.d, name: r.rows[0]!.name };
  };
  const dayOf = 'select public.get_queue(p_clinic_id => $1::uuid, p_day => $2) as r';

  it('the clinic’s reception reads tomorrow’s bookings with the patient’s name; patients, another clinic’s staff and anon are refused', () =>
    rolledBack(t.db, async (tx) => {
      const { entryId, day, name } = await bookedTomorrow(tx);
      expect(
        day >
          (
            await tx.query<{ d: string }>(
              `select to_char(private.clinic_today('Africa/Casablanca'), 'YYYY-MM-DD') as d`,
            )
          ).rows[0]!.d,
      ).toBe(true);
      const q = await as<{ queue: { day: string }; entries: { id: string; status: string }[] }>(
        tx,
        ACTORS.recepA,
        dayOf,
        [ID.clinicA, day],
      );
      expect(q.queue.day).toBe(day);
      expect(q.entries.map((e) => [e.id, e.status])).toContainEqual([entryId, 'scheduled']);
      expect(name.length).toBeGreaterThan(0);
      expect(JSON.stringify(q)).toContain(name);
      for (const actor of [ACTORS.patientA, ACTORS.patientB, ACTORS.ownerB])
        expect(await refused(tx, actor, dayOf, [ID.clinicA, day]), actor.name).toMatch(/AUTH\.FORBIDDEN/);
      expect(await refused(tx, ACTORS.anon, dayOf, [ID.clinicA, day])).toMatch(/^42501 /);
    }));

  it('cancel from the view: the reception cancels tomorrow’s visit with its reason; another clinic’s staff cannot', () =>
    rolledBack(t.db, async (tx) => {
      const { entryId } = await bookedTomorrow(tx);
      const cancel = 'select public.cancel_appointment($1::uuid, $2) as r';
      expect(await refused(tx, ACTORS.ownerB, cancel, [entryId, 'not mine'])).toMatch(
        /AUTH\.FORBIDDEN|NOT_FOUND/,
      );
      await as(tx, ACTORS.recepA, cancel, [entryId, 'Le médecin est absent']);
      const row = await tx.query<{ status: string; cancel_reason: string }>(
        'select status, cancel_reason from public.queue_entries where id = $1',
        [entryId],
      );
      expect(row.rows[0]).toEqual({ status: 'cancelled', cancel_reason: 'Le médecin est absent' });
    }));
});
