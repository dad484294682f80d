/**
 * links17 (attack review item 3, 20261216300002_confirmation_cap_every_channel.sql): session 16's caps on booking
 * confirmations (3 per patient per clinic day; never the budget's last 20 %) must hold on every path that pays a
 * confirmation from the clinic's budget — a plain SMS, a WhatsApp message, and the SMS sent in place of a refused
 * email or WhatsApp message (notification_sms_fallback) — through one count (private.patient_confirmations_today).
 *   K1 a patient whose messages go by WhatsApp gets 3 confirmations a day, not one per booking;
 *   K2 refused WhatsApp / email confirmations fall back to SMS once each, and the 4th confirmation of the day is
 *      skipped whatever its channel (one confirmation counted once: a refused message + its SMS);
 *   K3 a fallback SMS of a confirmation never takes the budget's last 20 %.
 * The database's clock is pinned to 10:00 of the world's day; each case runs in a transaction that is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, PHONES } from './helpers/world';
import { as, openPinnedWorld, pinWorldDaySql, rolledBack } from './helpers/pinnedWorld';

interface Sent {
  notification_id: string;
  status: string;
  reserved: boolean;
}
const ENTRIES = [ID.entryA, ID.entryA1]; // patient A's two visits (today, tomorrow): confirmations alternate

describe.each(DB_KINDS)('the confirmation caps on every channel on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const byWhatsApp = async (tx: DbTx) => {
    await as(tx, ACTORS.patientA, `select public.set_my_notification_preferences($1, 'whatsapp') as r`, [
      ID.clinicA,
    ]);
    // the patient wrote to the clinic: the 24-hour session window is open (no template needed)
    await as(tx, ACTORS.service, `select public.whatsapp_inbound_apply($1) as r`, [PHONES.patientA]);
  };
  const whatsapp = (tx: DbTx, i: number) =>
    as<Sent>(
      tx,
      ACTORS.service,
      `select public.notification_whatsapp_begin($1, $2, 'booking_confirmed', $3, 'Bonjour Amina', 0.1) as r`,
      [ID.clinicA, `confirm-${i}`, ENTRIES[i % 2]],
    );
  const sms = (tx: DbTx, i: number) =>
    as<Sent>(
      tx,
      ACTORS.service,
      `select public.sms_budget_reserve(p_clinic_id => $1, p_idempotency_key => $2, p_kind => 'booking_confirmed',
         p_segments => 1, p_cost => 0.05, p_entry_id => $3::uuid, p_recipient => $4, p_body => 'x') as r`,
      [ID.clinicA, `confirm-${i}`, ENTRIES[i % 2], PHONES.patientA],
    );
  const joined = (tx: DbTx, i: number) =>
    as<Sent>(
      tx,
      ACTORS.service,
      `select public.sms_budget_reserve(p_clinic_id => $1, p_idempotency_key => $2, p_kind => 'remote_join_confirmed',
         p_segments => 1, p_cost => 0.05, p_entry_id => $3::uuid, p_recipient => $4, p_body => 'x') as r`,
      [ID.clinicA, `joined-${i}`, ENTRIES[i % 2], PHONES.patientA],
    );
  const refuse = (tx: DbTx, id: string) =>
    as(
      tx,
      ACTORS.service,
      `select public.sms_budget_settle(p_notification_id => $1, p_status => 'failed', p_error => 'twilio undelivered') as r`,
      [id],
    );
  const fallback = (tx: DbTx, id: string) =>
    as<Sent>(
      tx,
      ACTORS.service,
      `select public.notification_sms_fallback($1, 1, 0.05, 'Bonjour Amina') as r`,
      [id],
    );

  it('K1: by WhatsApp, 3 booking confirmations a day; the 4th and 5th are skipped_budget and reserve nothing', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await byWhatsApp(tx);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await whatsapp(tx, i)).status);
      expect(statuses).toEqual(['queued', 'queued', 'queued', 'skipped_budget', 'skipped_budget']);
      // WhatsApp and SMS share the allowance: an SMS confirmation now is skipped too
      await tx.query(`update public.patients set preferred_channel = 'sms' where id = $1`, [ID.patientRecA]);
      expect((await sms(tx, 9)).status).toBe('skipped_budget');
      // the next clinic day the allowance is back
      await tx.exec(`update private.pinned_clock set at = at + interval '1 day'`);
      expect((await sms(tx, 10)).status).toBe('queued');
    }));

  it('K2: refused WhatsApp confirmations fall back to SMS once each; then the 4th confirmation of the day is skipped', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await byWhatsApp(tx);
      const out: string[] = [];
      for (let i = 0; i < 3; i++) {
        const w = await whatsapp(tx, i);
        expect(w.reserved).toBe(true);
        await refuse(tx, w.notification_id);
        out.push((await fallback(tx, w.notification_id)).status);
      }
      expect(out).toEqual(['queued', 'queued', 'queued']); // one confirmation each: the refused one + its SMS
      expect((await whatsapp(tx, 3)).status).toBe('skipped_budget');
      // mixed: 2 by SMS, then a WhatsApp one refused — its fallback is the 3rd, the next one is skipped
      await tx.exec(`update private.pinned_clock set at = at + interval '1 day'`);
      await tx.query(`update public.patients set preferred_channel = 'sms' where id = $1`, [ID.patientRecA]);
      expect((await sms(tx, 20)).status).toBe('queued');
      expect((await sms(tx, 21)).status).toBe('queued');
      await byWhatsApp(tx);
      const w = await whatsapp(tx, 22);
      await refuse(tx, w.notification_id);
      expect((await fallback(tx, w.notification_id)).status).toBe('queued');
      expect((await whatsapp(tx, 23)).status).toBe('skipped_budget');
      const { rows } = await tx.query<{ n: number }>(
        `select count(*)::int as n from public.notifications
          where clinic_id = $1 and kind = 'booking_confirmed' and status = 'queued' and created_at >= private.now() - interval '1 hour'`,
        [ID.clinicA],
      );
      expect(rows[0]!.n).toBe(3);
    }));

  it('K3: a confirmation’s SMS fallback never takes the budget’s last 20 %', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      await byWhatsApp(tx);
      // 10 a month, 7 spent: the WhatsApp confirmation is the 8th (≤ 10 - 2 kept), its fallback would be the 9th
      await tx.query(
        `update public.sms_budgets set limit_count = 10, spent_count = 7, reserved_count = 0 where clinic_id = $1`,
        [ID.clinicA],
      );
      const w = await whatsapp(tx, 0);
      expect(w.status).toBe('queued');
      await tx.query(`update public.sms_budgets set spent_count = 8 where clinic_id = $1`, [ID.clinicA]);
      await refuse(tx, w.notification_id); // its reservation is released: 8 of 10 used
      const f = await fallback(tx, w.notification_id);
      expect(f).toMatchObject({ status: 'skipped_budget', reserved: false });
      const { rows } = await tx.query<{ error: string }>(
        `select error from public.notifications where id = $1`,
        [f.notification_id],
      );
      expect(rows[0]!.error).toMatch(/queue messages/);
    }));

  it('K4: remote-join confirmations share the daily allowance with booking confirmations, and keep off the last 20 %', () =>
    rolledBack(t.db, async (tx) => {
      await tx.exec(pinWorldDaySql('10:00'));
      const budget = (limit: number, spent: number) =>
        tx.query(
          `update public.sms_budgets set limit_count = $2, spent_count = $3, reserved_count = 0 where clinic_id = $1`,
          [ID.clinicA, limit, spent],
        );
      // 8 of 10 used: the join's confirmation does not take the 2 kept for queue messages
      await budget(10, 8);
      const kept = await joined(tx, 0);
      expect(kept).toMatchObject({ status: 'skipped_budget', reserved: false });
      const error = async (id: string) =>
        (await tx.query<{ error: string }>(`select error from public.notifications where id = $1`, [id]))
          .rows[0]!.error;
      expect(await error(kept.notification_id)).toMatch(/queue messages/);
      await budget(1000, 0);
      // join, cancel, join again …: 3 confirmations a day, the 4th and 5th skipped
      const statuses = [];
      for (let i = 1; i <= 5; i++) statuses.push((await joined(tx, i)).status);
      expect(statuses).toEqual(['queued', 'queued', 'queued', 'skipped_budget', 'skipped_budget']);
      // … and a booking confirmation the same day finds the allowance used up
      expect((await sms(tx, 0)).status).toBe('skipped_budget');
      // the next day: 2 bookings, then 1 join = 3; the next join is skipped
      await tx.exec(`update private.pinned_clock set at = at + interval '1 day'`);
      expect((await sms(tx, 10)).status).toBe('queued');
      expect((await sms(tx, 11)).status).toBe('queued');
      expect((await joined(tx, 12)).status).toBe('queued');
      const over = await joined(tx, 13);
      expect(over).toMatchObject({ status: 'skipped_budget', reserved: false });
      expect(await error(over.notification_id)).toMatch(/daily booking confirmations/);
    }));
});
