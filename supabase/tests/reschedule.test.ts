/**
 * Issue 17: a patient reschedules a booked visit (public.reschedule_appointment, 20261205500001). One call,
 * one transaction: the old visit is cancelled (reason `rescheduled`) only if the new slot is taken; the new
 * visit keeps type and practitioner, records rescheduled_from, gets its own ticket, tracking link, booking
 * confirmation key and reminder key. Notice rules: the cancel notice on the current slot
 * (BOOKING.RESCHEDULE_TOO_LATE), the booking rules on the new one. On PGlite and PostgreSQL with
 * private.now() pinned (today 08:00 in the clinic); every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

interface Booked {
  entry_id: string;
  queue_id: string;
  day: string;
  ticket: string;
  ticket_number: number;
  slot_start: string;
  status: string;
  tracking_token: string;
  rescheduled_from?: string;
}

describe.each(DB_KINDS)('reschedule on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '08:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const bookB = (tx: DbTx, slot: string) =>
    as<Booked>(
      tx,
      ACTORS.patientB,
      `select public.book_appointment(p_clinic_id => '${ID.clinicA}', p_appointment_type_id => '${ID.typeA}',
                                      p_slot_start => ${slot}) as r`,
    );
  const reschedule = (actor: Actor, entryId: string, slot: string): [Actor, string, unknown[]] => [
    actor,
    `select public.reschedule_appointment($1::uuid, ${slot}) as r`,
    [entryId],
  ];
  const run = (tx: DbTx, args: ReturnType<typeof reschedule>) =>
    as<Booked>(tx, args[0], args[1], [...args[2]]);
  const row = async (tx: DbTx, id: string) =>
    (
      await tx.query<{
        status: string;
        cancel_reason: string | null;
        slot_start: string;
        appointment_type_id: string | null;
        practitioner_id: string | null;
        rescheduled_from: string | null;
      }>(
        `select status, cancel_reason, slot_start, appointment_type_id, practitioner_id, rescheduled_from
           from public.queue_entries where id = $1`,
        [id],
      )
    ).rows[0];
  const freeStarts = async (tx: DbTx, days: number) =>
    (
      await as<{ start: string }[]>(
        tx,
        ACTORS.anon,
        `select public.get_free_slots(p_clinic_id => '${ID.clinicA}', p_appointment_type_id => '${ID.typeA}',
                                      p_from => private.clinic_today('Africa/Casablanca') + ${days}) as r`,
      )
    ).map((s) => new Date(s.start).getTime());
  const instant = async (tx: DbTx, sql: string) =>
    new Date((await tx.query<{ at: string }>(`select ${sql} as at`)).rows[0]!.at).getTime();
  const entriesCount = async (tx: DbTx) =>
    Number((await tx.query<{ n: string }>(`select count(*) as n from public.queue_entries`)).rows[0]!.n);

  it('RS3/one operation: the old visit is cancelled as rescheduled, a new one takes the new slot with the same type; the old slot is free again', async () => {
    await rolledBack(t.db, async (tx) => {
      const old = await bookB(tx, localAt(1, '10:00'));
      const moved = await run(tx, reschedule(ACTORS.patientB, old.entry_id, localAt(2, '09:00')));
      expect(moved.rescheduled_from).toBe(old.entry_id);
      expect(moved.entry_id).not.toBe(old.entry_id);
      expect(moved.status).toBe('scheduled');
      expect(new Date(moved.slot_start).getTime()).toBe(await instant(tx, localAt(2, '09:00')));
      // a new day: its own ticket and its own link
      expect(moved.queue_id).not.toBe(old.queue_id);
      expect(moved.tracking_token).not.toBe(old.tracking_token);
      expect(await row(tx, old.entry_id)).toMatchObject({
        status: 'cancelled',
        cancel_reason: 'rescheduled',
      });
      expect(await row(tx, moved.entry_id)).toMatchObject({
        status: 'scheduled',
        appointment_type_id: ID.typeA,
        rescheduled_from: old.entry_id,
      });
      expect(await freeStarts(tx, 1)).toContain(await instant(tx, localAt(1, '10:00')));
      expect(await freeStarts(tx, 2)).not.toContain(await instant(tx, localAt(2, '09:00')));
      // the old link shows the cancellation; the new link the new visit
      expect(
        await as<{ status: string }>(
          tx,
          ACTORS.anon,
          `select public.get_visit_status(p_tracking_token => $1) as r`,
          [old.tracking_token],
        ),
      ).toMatchObject({ status: 'cancelled' });
      expect(
        await as<{ entry_id: string }>(
          tx,
          ACTORS.anon,
          `select public.get_visit_status(p_tracking_token => $1) as r`,
          [moved.tracking_token],
        ),
      ).toMatchObject({ entry_id: moved.entry_id });
      // the event log: the old visit cancelled by the patient via reschedule (no cancel SMS), the new scheduled
      const events = (
        await tx.query<{ entry_id: string; type: string; payload: Record<string, unknown> }>(
          `select entry_id, type, payload from public.queue_events where entry_id in ($1, $2) order by id`,
          [old.entry_id, moved.entry_id],
        )
      ).rows.map((e) => [
        e.entry_id === old.entry_id ? 'old' : 'new',
        e.type,
        e.payload.by ?? null,
        e.payload.via ?? null,
      ]);
      expect(events).toEqual([
        ['old', 'EntryScheduled', null, null],
        ['old', 'EntryCancelled', 'patient', 'reschedule'],
        ['new', 'EntryScheduled', null, null],
      ]);
      // My visits lists both, with the visit's type (the page asks slots of that type)
      const mine = await as<{ entry_id: string; status: string; appointment_type_id: string | null }[]>(
        tx,
        ACTORS.patientB,
        `select public.get_my_visits() as r`,
      );
      expect(mine.filter((v) => [old.entry_id, moved.entry_id].includes(v.entry_id))).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ entry_id: old.entry_id, status: 'cancelled' }),
          expect.objectContaining({
            entry_id: moved.entry_id,
            status: 'scheduled',
            appointment_type_id: ID.typeA,
          }),
        ]),
      );
    });
  });

  it('My visits names each own visit’s doctor (null = any doctor): the reschedule asks that doctor’s free times; another patient sees neither the visit nor its doctor', async () => {
    await rolledBack(t.db, async (tx) => {
      const named = await bookB(tx, localAt(1, '10:00'));
      const any = await bookB(tx, localAt(2, '10:00'));
      await tx.query(`update public.queue_entries set practitioner_id = $1 where id = $2`, [
        ID.memberPractA,
        named.entry_id,
      ]);
      type Mine = { entry_id: string; practitioner_id?: string | null }[];
      const mine = await as<Mine>(tx, ACTORS.patientB, `select public.get_my_visits() as r`);
      expect(mine.find((v) => v.entry_id === named.entry_id)).toMatchObject({
        practitioner_id: ID.memberPractA,
      });
      expect(mine.find((v) => v.entry_id === any.entry_id)).toHaveProperty('practitioner_id', null);
      const theirs = await as<Mine>(tx, ACTORS.patientA, `select public.get_my_visits() as r`);
      expect(theirs.map((v) => v.entry_id)).not.toContain(named.entry_id);
      expect(theirs.map((v) => v.practitioner_id)).not.toContain(ID.memberPractA);
    });
  });

  it('a same-day move keeps the patient’s one visit of the day (the duplicate rule does not refuse it)', async () => {
    await rolledBack(t.db, async (tx) => {
      const old = await bookB(tx, localAt(1, '10:00'));
      const moved = await run(tx, reschedule(ACTORS.patientB, old.entry_id, localAt(1, '14:00')));
      expect(moved.queue_id).toBe(old.queue_id);
      expect(moved.ticket_number).not.toBe(old.ticket_number);
      const open = await tx.query(
        `select 1 from public.queue_entries where queue_id = $1 and patient_id = $2 and status = 'scheduled'`,
        [old.queue_id, ID.patientRecB],
      );
      expect(open.rows).toHaveLength(1);
    });
  });

  it('the booking confirmation and the reminder follow the moved visit (new keys); the old visit owes neither', async () => {
    await rolledBack(t.db, async (tx) => {
      const old = await bookB(tx, localAt(1, '10:00'));
      await as(tx, ACTORS.ownerA, `select public.set_reminder_minutes_before($1, 1440) as r`, [ID.clinicA]);
      // inside the reminder window of the new slot (tomorrow 07:00 is 23 h after the pinned 08:00)
      const moved = await run(tx, reschedule(ACTORS.patientB, old.entry_id, localAt(1, '07:00')));
      const outbox = await as<{ entry_id: string; idempotency_key: string }[]>(
        tx,
        ACTORS.service,
        `select public.notification_outbox(p_min_age_seconds => 0) as r`,
      );
      const confirmations = outbox.filter((i) => [old.entry_id, moved.entry_id].includes(i.entry_id));
      expect(confirmations.map((i) => i.idempotency_key)).toEqual([`booking_confirmed:${moved.entry_id}`]);
      const reminders = (
        await as<{ entry_id: string; idempotency_key: string }[]>(
          tx,
          ACTORS.service,
          `select public.reminder_outbox() as r`,
        )
      ).filter((i) => [old.entry_id, moved.entry_id].includes(i.entry_id));
      const epoch = Math.floor((await instant(tx, localAt(1, '07:00'))) / 1000);
      expect(reminders.map((i) => i.idempotency_key)).toEqual([
        `appointment_reminder:${moved.entry_id}:${epoch}`,
      ]);
    });
  });

  it('RS3: a taken slot is 409 BOOKING.SLOT_FULL and nothing changes — the old visit keeps its slot', async () => {
    await rolledBack(t.db, async (tx) => {
      const old = await bookB(tx, localAt(1, '10:00'));
      const before = await entriesCount(tx);
      // patient A's visit holds tomorrow 11:00 (capacity 1)
      const e = await refused(tx, ...reschedule(ACTORS.patientB, old.entry_id, localAt(1, '11:00')));
      expect(e).toBe('PT409 BOOKING.SLOT_FULL');
      expect(await row(tx, old.entry_id)).toMatchObject({ status: 'scheduled', cancel_reason: null });
      expect(await entriesCount(tx)).toBe(before);
      expect(await freeStarts(tx, 1)).not.toContain(await instant(tx, localAt(1, '10:00')));
    });
  });

  it('RS2: inside the clinic’s cancel notice before the current slot is 422 BOOKING.RESCHEDULE_TOO_LATE', async () => {
    await rolledBack(t.db, async (tx) => {
      // patient B's walk-in of today is over, so they can book today
      await tx.query(`update public.queue_entries set status = 'cancelled' where id = $1`, [ID.entryB]);
      const old = await bookB(tx, localAt(0, '10:40')); // 160 min after the pinned 08:00
      await tx.query(
        `update public.clinics set settings = settings || '{"min_cancel_notice_minutes": 180}' where id = $1`,
        [ID.clinicA],
      );
      const e = await refused(tx, ...reschedule(ACTORS.patientB, old.entry_id, localAt(1, '10:00')));
      expect(e).toBe('PT422 BOOKING.RESCHEDULE_TOO_LATE');
      expect(await row(tx, old.entry_id)).toMatchObject({ status: 'scheduled' });
      // the same visit with the default notice (120) can move
      await tx.query(
        `update public.clinics set settings = settings - 'min_cancel_notice_minutes' where id = $1`,
        [ID.clinicA],
      );
      expect(
        (await run(tx, reschedule(ACTORS.patientB, old.entry_id, localAt(1, '10:00')))).rescheduled_from,
      ).toBe(old.entry_id);
    });
  });

  it('RS3: a new slot inside the booking notice is 422 BOOKING.TOO_SOON; RS4: the same slot is 422', async () => {
    await rolledBack(t.db, async (tx) => {
      const old = await bookB(tx, localAt(1, '10:00'));
      expect(await refused(tx, ...reschedule(ACTORS.patientB, old.entry_id, localAt(0, '08:20')))).toBe(
        'PT422 BOOKING.TOO_SOON',
      );
      expect(await refused(tx, ...reschedule(ACTORS.patientB, old.entry_id, localAt(1, '10:00')))).toBe(
        'PT422 BOOKING.RESCHEDULE_SAME_SLOT',
      );
      expect(await refused(tx, ...reschedule(ACTORS.patientB, old.entry_id, localAt(1, '10:07')))).toBe(
        'PT422 BOOKING.SLOT_UNAVAILABLE',
      );
      expect(await row(tx, old.entry_id)).toMatchObject({ status: 'scheduled' });
    });
  });

  it('RS1 and who: only the visit’s own patient, only a scheduled visit', async () => {
    await rolledBack(t.db, async (tx) => {
      const old = await bookB(tx, localAt(1, '10:00'));
      const to = localAt(2, '10:00');
      expect(await refused(tx, ...reschedule(ACTORS.patientA, old.entry_id, to))).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ...reschedule(ACTORS.ownerB, old.entry_id, to))).toBe('PT404 NOT_FOUND');
      expect(await refused(tx, ...reschedule(ACTORS.recepA, old.entry_id, to))).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ...reschedule(ACTORS.anon, old.entry_id, to))).toMatch(/^42501 /);
      expect(await refused(tx, ...reschedule(ACTORS.service, old.entry_id, to))).toBe('PT401 AUTH.REQUIRED');
      expect(await refused(tx, ...reschedule(ACTORS.patientB, ID.entryB, to))).toBe(
        'PT409 QUEUE.ILLEGAL_TRANSITION',
      ); // walk-in, waiting
      await as(tx, ACTORS.patientB, `select public.cancel_appointment($1) as r`, [old.entry_id]);
      expect(await refused(tx, ...reschedule(ACTORS.patientB, old.entry_id, to))).toBe(
        'PT409 QUEUE.ILLEGAL_TRANSITION',
      );
      expect(await refused(tx, ...reschedule(ACTORS.patientB, ID.entryA1, to))).toBe('PT404 NOT_FOUND');
    });
  });
});
