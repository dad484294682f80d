/**
 * Issue 12: one visit per patient per day counts today's no-show (rules V1–V3,
 * src/services/appointment/models/OneVisitPerDay.ts; migration 20261210800001_same_day_no_show.sql).
 *
 * Before: private.book and join_queue_remotely refused only a second OPEN visit, so a patient marked no-show
 * this morning could book (or join) again — and when the desk then re-activated the no-show (D10) the
 * patient had two open visits in one day. Now a no-show of that day refuses with BOOKING.NO_SHOW_TODAY and
 * the desk re-activates it instead; cancelled and completed visits still let the patient book again.
 *
 * PGlite and PostgreSQL, private.now() pinned at today 09:00 in the clinic; every case is rolled back.
 * Patient A has entry A today in clinic A (scheduled); clinic A's slots of 15 minutes + 5 minutes' buffer
 * start on the hour, so today 11:00 is a slot beyond the 60 minutes' notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

describe.each(DB_KINDS)('one visit per patient per day on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '09:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Entry A (patient A, today, clinic A) ends as `status`, through the moves the guard allows. */
  const entryA = async (tx: DbTx, status: 'no_show' | 'cancelled' | 'completed') => {
    const steps: Record<typeof status, string[]> = {
      no_show: [`status = 'no_show', no_show_at = private.now()`],
      cancelled: [`status = 'cancelled', cancelled_at = private.now()`],
      completed: [
        `status = 'waiting', checked_in_at = private.now()`,
        `status = 'called', called_at = private.now()`,
        `status = 'in_service', started_at = private.now()`,
        `status = 'completed', finished_at = private.now()`,
      ],
    };
    for (const set of steps[status])
      await tx.query(`update public.queue_entries set ${set} where id = $1`, [ID.entryA]);
  };
  const patientBooks: [string, unknown[]] = [
    `select public.book_appointment($1::uuid, ${localAt(0, '11:00')}, $2::uuid) as r`,
    [ID.clinicA, ID.typeA],
  ];
  const staffBooks: [string, unknown[]] = [
    `select public.staff_book_appointment($1::uuid, $2::uuid, ${localAt(0, '11:00')}, $3::uuid) as r`,
    [ID.clinicA, ID.patientRecA, ID.typeA],
  ];
  const openVisits = async (tx: DbTx) =>
    Number(
      (
        await tx.query<{ n: string }>(
          `select count(*) as n from public.queue_entries
            where queue_id = $1 and patient_id = $2 and status not in ('completed', 'cancelled', 'no_show')`,
          [ID.queueA, ID.patientRecA],
        )
      ).rows[0]!.n,
    );

  it('V1 a patient has at most one open visit a day (booking, staff booking)', async () => {
    await rolledBack(t.db, async (tx) => {
      expect(await refused(tx, ACTORS.patientA, ...patientBooks)).toBe('PT409 QUEUE.DUPLICATE_ENTRY');
      expect(await refused(tx, ACTORS.recepA, ...staffBooks)).toBe('PT409 QUEUE.DUPLICATE_ENTRY');
    });
  });

  it('V2 a no-show of that day still counts: the patient may not book again that day, the desk re-activates it', async () => {
    await rolledBack(t.db, async (tx) => {
      await entryA(tx, 'no_show');
      expect(await refused(tx, ACTORS.patientA, ...patientBooks)).toBe('PT409 BOOKING.NO_SHOW_TODAY');
      expect(await refused(tx, ACTORS.recepA, ...staffBooks)).toBe('PT409 BOOKING.NO_SHOW_TODAY');
      expect(await openVisits(tx)).toBe(0); // nothing written: re-activating entry A gives one open visit
      // another day is not touched by today's no-show
      const later = await as<{ status: string }>(
        tx,
        ACTORS.patientA,
        `select public.book_appointment($1::uuid, ${localAt(2, '11:00')}, $2::uuid) as r`,
        [ID.clinicA, ID.typeA],
      );
      expect(later.status).toBe('scheduled');
    });
  });

  it('V2 a no-show of that day refuses a remote join too', async () => {
    await rolledBack(t.db, async (tx) => {
      await as(tx, ACTORS.ownerB, `select public.set_remote_join_cap($1::uuid, 5) as r`, [ID.clinicB]);
      const join: [string, unknown[]] = [
        `select public.join_queue_remotely($1::uuid, 'Amina') as r`,
        [ID.clinicB],
      ];
      const j = await as<{ entry_id: string }>(tx, ACTORS.patientA, ...join);
      await tx.query(
        `update public.queue_entries set status = 'no_show', no_show_at = private.now() where id = $1`,
        [j.entry_id],
      );
      expect(await refused(tx, ACTORS.patientA, ...join)).toBe('PT409 BOOKING.NO_SHOW_TODAY');
    });
  });

  it('V3 a completed or cancelled visit does not count: the patient may book again that day', async () => {
    for (const status of ['cancelled', 'completed'] as const) {
      await rolledBack(t.db, async (tx) => {
        await entryA(tx, status);
        const r = await as<{ status: string }>(tx, ACTORS.patientA, ...patientBooks);
        expect(r.status).toBe('scheduled');
        expect(await openVisits(tx)).toBe(1);
      });
    }
  });
});
