/**
 * Session 16 attack review, item 2 (20261214800002_patient_visit_cap_and_sms_share.sql): one patient held 25 visits
 * at one clinic and book/cancel loops spent 50 of the clinic's 200 monthly SMS on booking confirmations in two
 * minutes, after which every patient's your_turn was skipped_budget.
 * (The migration names them V1, C1, C2, but those names were taken: V1 is one visit a day (OneVisitPerDay.ts), C1
 * and C2 are the calling rules (QueueAggregate.rules.test.ts). The cases go by patientVisitCap, confirmationCap and
 * smsQueueShare — docs/domain-rules.md.)
 *   patientVisitCap: a patient's own bookings stop at the clinic's max_active_visits_per_patient (default 3)
 *      active upcoming visits: 409 BOOKING.TOO_MANY_VISITS; staff bookings are not limited.
 *   confirmationCap: at most 3 booking_confirmed SMS per patient per clinic day; later ones are recorded
 *      skipped_budget, unsent.
 *   smsQueueShare: booking confirmations never take the budget's last 20 %: it is kept for queue messages.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, refused, rolledBack } from './helpers/pinnedWorld';

const BOOK = (days: number, hhmm = '09:00') =>
  `select public.book_appointment($1::uuid, ${localAt(days, hhmm)}, $2::uuid) as r`;
const BOOK_FLUID = (days: number) =>
  `select public.book_fluid_place($1::uuid, private.clinic_today('Africa/Casablanca') + ${days}, $2::uuid) as r`;
const STAFF_BOOK = (days: number) =>
  `select public.staff_book_appointment($1::uuid, $3::uuid, ${localAt(days, '09:00')}, $2::uuid) as r`;
const RESERVE = `select public.sms_budget_reserve(p_clinic_id => $1, p_idempotency_key => $2,
                   p_kind => $3::public.notification_kind, p_segments => 1, p_cost => 0.05,
                   p_entry_id => $4::uuid, p_recipient => '+212600000001', p_body => 'x') as r`;

type Reserve = { status: string; reserved: boolean };

describe.each(DB_KINDS)('one patient’s bookings and the SMS budget on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const active = async (tx: DbTx) =>
    (
      await tx.query<{ n: number }>(
        `select count(*)::int as n from public.queue_entries
          where patient_id = $1 and status in ('scheduled', 'waiting', 'called')`,
        [ID.patientRecA],
      )
    ).rows[0]!.n;
  const version = async (tx: DbTx, day: number) =>
    (
      await tx.query<{ v: number | null }>(
        `select (select version from public.queues where clinic_id = $1
                  and day = private.clinic_today('Africa/Casablanca') + $2::int) as v`,
        [ID.clinicA, day],
      )
    ).rows[0]!.v;

  it('patientVisitCap: a patient holds at most 3 active upcoming visits — the 4th (slotted or fluid) is BOOKING.TOO_MANY_VISITS and writes nothing', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      expect(await active(tx)).toBe(2); // the world's today + tomorrow
      const third = await as<{ entry_id: string }>(tx, ACTORS.patientA, BOOK(3), [ID.clinicA, ID.typeA]);
      expect(third.entry_id).toBeTruthy();
      expect(await refused(tx, ACTORS.patientA, BOOK(4), [ID.clinicA, ID.typeA])).toBe(
        'PT409 BOOKING.TOO_MANY_VISITS',
      );
      expect(await refused(tx, ACTORS.patientA, BOOK_FLUID(4), [ID.clinicA, ID.typeA2])).toBe(
        'PT409 BOOKING.TOO_MANY_VISITS',
      );
      expect(await active(tx)).toBe(3);
      expect(await version(tx, 4)).toBeNull(); // no queue day was even created by the refusals
      // another patient is not affected
      await as(tx, ACTORS.patientB, BOOK(4), [ID.clinicA, ID.typeA]);
      // the clinic's staff are not limited (a receptionist books the 4th and 5th for the patient)
      await as(tx, ACTORS.recepA, STAFF_BOOK(5), [ID.clinicA, ID.typeA, ID.patientRecA]);
      await as(tx, ACTORS.recepA, STAFF_BOOK(6), [ID.clinicA, ID.typeA, ID.patientRecA]);
      expect(await active(tx)).toBe(5);
      // cancelling frees places: 5 - 3 = 2 active, one more booking of their own
      for (const id of [third.entry_id, ID.entryA1])
        await as(tx, ACTORS.patientA, `select public.cancel_appointment($1) as r`, [id]);
      await tx.query(
        `update public.queue_entries set status = 'cancelled', cancelled_at = private.now() where id = $1`,
        [ID.entryA],
      );
      expect(await active(tx)).toBe(2);
      await as(tx, ACTORS.patientA, BOOK(7), [ID.clinicA, ID.typeA]);
      expect(await refused(tx, ACTORS.patientA, BOOK(8), [ID.clinicA, ID.typeA])).toBe(
        'PT409 BOOKING.TOO_MANY_VISITS',
      );
    }));

  it('patientVisitCap: past and final visits do not count; the owner sets the cap (1–50) and it applies at once', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await as(tx, ACTORS.patientA, BOOK(3), [ID.clinicA, ID.typeA]);
      expect(await refused(tx, ACTORS.patientA, BOOK(4), [ID.clinicA, ID.typeA])).toBe(
        'PT409 BOOKING.TOO_MANY_VISITS',
      );
      await tx.query(
        `update public.clinics set settings = settings || '{"max_active_visits_per_patient": 4}'
                       where id = $1`,
        [ID.clinicA],
      );
      await as(tx, ACTORS.patientA, BOOK(4), [ID.clinicA, ID.typeA]);
      expect(await refused(tx, ACTORS.patientA, BOOK(5), [ID.clinicA, ID.typeA])).toBe(
        'PT409 BOOKING.TOO_MANY_VISITS',
      );
      // the next day, today's visit is in the past: one place again
      await tx.exec(`update private.pinned_clock set at = at + interval '1 day'`);
      await as(tx, ACTORS.patientA, BOOK(5), [ID.clinicA, ID.typeA]);
      for (const bad of [0, 51, 2.5, '"3"'])
        expect(
          await refused(
            tx,
            null,
            `update public.clinics set settings = settings || jsonb_build_object('max_active_visits_per_patient', $2::jsonb) where id = $1`,
            [ID.clinicA, String(bad)],
          ),
        ).toMatch(/^23514 /);
    }));

  it('confirmationCap: at most 3 booking confirmations by SMS per patient per day; the 4th is skipped_budget, nothing reserved; others unaffected', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const reserve = (key: string, entry: string, k = 'booking_confirmed') =>
        as<Reserve>(tx, ACTORS.service, RESERVE, [ID.clinicA, key, k, entry]);
      const reserved = async () =>
        (
          await tx.query<{ n: number }>(
            'select reserved_count as n from public.sms_budgets where clinic_id = $1',
            [ID.clinicA],
          )
        ).rows[0]!.n;
      const r0 = await reserved();
      const answers = [];
      for (const [i, entry] of [ID.entryA, ID.entryA1, ID.entryA, ID.entryA1, ID.entryA].entries())
        answers.push((await reserve(`confirm-${i}`, entry)).status);
      expect(answers).toEqual(['queued', 'queued', 'queued', 'skipped_budget', 'skipped_budget']);
      expect(await reserved()).toBe(r0 + 3);
      const { rows } = await tx.query<{ status: string; error: string | null; reserved: boolean }>(
        `select status::text, error, reserved from public.notifications where idempotency_key = 'confirm-3'`,
      );
      expect(rows[0]).toMatchObject({ status: 'skipped_budget', reserved: false });
      expect(rows[0]!.error).toMatch(/confirmations/);
      // another patient's confirmation and the same patient's queue messages are still sent
      expect((await reserve('confirm-b', ID.entryB)).status).toBe('queued');
      expect((await reserve('turn-a', ID.entryA, 'your_turn')).status).toBe('queued');
      // the next clinic day the patient's allowance is back
      await tx.exec(`update private.pinned_clock set at = at + interval '1 day'`);
      expect((await reserve('confirm-next-day', ID.entryA1)).status).toBe('queued');
    }));

  it('smsQueueShare: confirmations stop at 80 % of the month’s budget; your_turn and almost_turn use the rest to the limit', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      // 10 messages a month, 7 spent + 1 reserved: a confirmation would be the 9th (> 10 - 2 kept)
      await tx.query(
        `update public.sms_budgets set limit_count = 10, spent_count = 7, reserved_count = 1
          where clinic_id = $1`,
        [ID.clinicA],
      );
      const reserve = (key: string, k: string, entry: string) =>
        as<Reserve>(tx, ACTORS.service, RESERVE, [ID.clinicA, key, k, entry]);
      expect((await reserve('c-1', 'booking_confirmed', ID.entryB)).status).toBe('skipped_budget');
      const { rows } = await tx.query<{ error: string }>(
        `select error from public.notifications where idempotency_key = 'c-1'`,
      );
      expect(rows[0]!.error).toMatch(/queue messages/);
      expect((await reserve('t-1', 'almost_turn', ID.entryB)).status).toBe('queued');
      expect((await reserve('t-2', 'your_turn', ID.entryB)).status).toBe('queued');
      // the limit itself still holds for everyone
      expect((await reserve('t-3', 'your_turn', ID.entryA)).status).toBe('skipped_budget');
      // with room below 80 % a confirmation is reserved as before
      await tx.query(
        `update public.sms_budgets set spent_count = 0, reserved_count = 0 where clinic_id = $1`,
        [ID.clinicA],
      );
      expect((await reserve('c-2', 'booking_confirmed', ID.entryB)).status).toBe('queued');
    }));

  it('the reviewer’s book/cancel loop: 3 visits held, 3 confirmations sent, the budget’s queue share untouched', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const statuses: string[] = [];
      for (let i = 0; i < 8; i++) {
        const b = await as<{ entry_id: string }>(tx, ACTORS.patientA, BOOK(3 + i), [ID.clinicA, ID.typeA]);
        statuses.push(
          (
            await as<Reserve>(tx, ACTORS.service, RESERVE, [
              ID.clinicA,
              `loop-${i}`,
              'booking_confirmed',
              b.entry_id,
            ])
          ).status,
        );
        await as(tx, ACTORS.patientA, `select public.cancel_appointment($1) as r`, [b.entry_id]);
      }
      expect(statuses.filter((s) => s === 'queued')).toHaveLength(3);
      expect(statuses.filter((s) => s === 'skipped_budget')).toHaveLength(5);
    }));
});
