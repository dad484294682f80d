/**
 * Issue 20: appointment reminders, owed by the database clock. A clinic sets reminder_minutes_before
 * (owner/admin only, 5–2880 or null = off); public.reminder_outbox (service role, called by the notification
 * sweep) lists each pending booked visit whose slot starts within that window, once per visit and slot
 * (key `appointment_reminder:<entry>:<slot epoch>`): sent → owed no more, moved → a new key, cancelled → none.
 * On PGlite and PostgreSQL, with private.now() pinned (never the wall clock); every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { renderTemplate } from '../functions/_shared/render';
import { DEFAULT_TEMPLATE_TEXTS } from '../../src/services/notification/models/DefaultTemplates';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxItem, OutboxWorld } from './helpers/outbox';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, PHONES } from './helpers/world';

describe.each(DB_KINDS)('appointment reminders on %s', (kind) => {
  let w: OutboxWorld;
  beforeAll(async () => {
    w = await openOutboxWorld(kind);
  }, 600_000);
  afterAll(async () => {
    await w?.stop();
  });

  const rolledBack = (fn: (tx: DbTx) => Promise<void>) => w.rolledBack(fn);
  const as = <T>(tx: DbTx, actor: Actor, sql: string, params: unknown[] = []) =>
    w.as<T>(tx, actor, sql, params);
  const bookOnline = (tx: DbTx) => w.bookOnline(tx);
  const reminders = async (tx: DbTx, entryId: string) =>
    (await as<OutboxItem[]>(tx, ACTORS.service, `select public.reminder_outbox() as r`)).filter(
      (i) => i.entry_id === entryId,
    );
  /** Pins private.now() `minutes` before the visit's slot (relative to the slot: clinic_today moves with the pin). */
  const pinBefore = (tx: DbTx, entryId: string, minutes: number) =>
    tx.query(
      `update private.pinned_clock
          set at = (select slot_start from public.queue_entries where id = $1) - make_interval(mins => $2)`,
      [entryId, minutes],
    );
  const setMinutes = (tx: DbTx, actor: Actor, minutes: number | null) =>
    as<{ reminder_minutes_before: number | null }>(
      tx,
      actor,
      `select public.set_reminder_minutes_before($1, $2) as r`,
      [ID.clinicA, minutes],
    );
  const keyOf = async (tx: DbTx, entryId: string) =>
    (
      await tx.query<{ k: string }>(
        `select 'appointment_reminder:' || id || ':' || floor(extract(epoch from slot_start))::bigint as k
           from public.queue_entries where id = $1`,
        [entryId],
      )
    ).rows[0]!.k;

  it('owed only inside the clinic window before the slot, once per visit and slot, rendered with both links', async () => {
    await rolledBack(async (tx) => {
      const booked = await bookOnline(tx);
      expect(await setMinutes(tx, ACTORS.ownerA, 60)).toEqual({ reminder_minutes_before: 60 });
      await pinBefore(tx, booked.entry_id, 61);
      expect(await reminders(tx, booked.entry_id)).toEqual([]);
      await pinBefore(tx, booked.entry_id, 60);
      const items = await reminders(tx, booked.entry_id);
      expect(items).toHaveLength(1);
      const item = items[0]!;
      expect(item).toMatchObject({
        event_id: null,
        clinic_id: ID.clinicA,
        kind: 'appointment_reminder',
        idempotency_key: await keyOf(tx, booked.entry_id),
        phone: PHONES.patientB,
        language: 'fr',
        tracking_token: booked.tracking_token,
      });
      expect(item.template).toBe(DEFAULT_TEMPLATE_TEXTS.appointment_reminder.fr);
      const text = renderTemplate(
        item.template!,
        {
          ...item.values,
          tracking_url: `https://c.example/t/${item.tracking_token}`,
          cancel_url: 'https://c.example/me',
        },
        'fr',
      );
      expect(text).toMatch(/rappel de votre rendez-vous du \d{2}\/\d{2} 10:00/);
      expect(text).toContain('Pour annuler : https://c.example/me');
      expect(text).not.toMatch(/\{[a-z_]+\}/);
      // sent (the sender records the key): owed no more, even by a second sweep
      await tx.query(
        `insert into public.notifications (clinic_id, entry_id, kind, idempotency_key, status)
         values ($1, $2, 'appointment_reminder', $3, 'simulated')`,
        [ID.clinicA, booked.entry_id, item.idempotency_key],
      );
      expect(await reminders(tx, booked.entry_id)).toEqual([]);
      // once the slot has started nothing is owed either
      await tx.query(`delete from public.notifications where idempotency_key = $1`, [item.idempotency_key]);
      await pinBefore(tx, booked.entry_id, 0);
      expect(await reminders(tx, booked.entry_id)).toEqual([]);
    });
  });

  it('a moved visit owes a new reminder under a new key; a cancelled visit or a clinic without reminders, none', async () => {
    await rolledBack(async (tx) => {
      const booked = await bookOnline(tx);
      await setMinutes(tx, ACTORS.ownerA, 120);
      await pinBefore(tx, booked.entry_id, 60);
      const first = (await reminders(tx, booked.entry_id))[0]!;
      await tx.query(
        `insert into public.notifications (clinic_id, entry_id, kind, idempotency_key, status)
         values ($1, $2, 'appointment_reminder', $3, 'simulated')`,
        [ID.clinicA, booked.entry_id, first.idempotency_key],
      );
      await tx.query(
        `update public.queue_entries set slot_start = slot_start + interval '30 minutes',
                slot_end = slot_end + interval '30 minutes' where id = $1`,
        [booked.entry_id],
      );
      const moved = await reminders(tx, booked.entry_id);
      expect(moved).toHaveLength(1);
      expect(moved[0]!.idempotency_key).not.toBe(first.idempotency_key);
      expect(moved[0]!.idempotency_key).toBe(await keyOf(tx, booked.entry_id));
      expect(moved[0]!.values.appointment_time).toMatch(/ 10:30$/);

      await setMinutes(tx, ACTORS.ownerA, null);
      expect(await reminders(tx, booked.entry_id)).toEqual([]);
      await setMinutes(tx, ACTORS.ownerA, 120);
      await tx.query(`update public.queue_entries set status = 'cancelled' where id = $1`, [booked.entry_id]);
      expect(await reminders(tx, booked.entry_id)).toEqual([]);
    });
  });

  it('none for a date the clinic no longer opens: closed after the visit was booked, or its weekday without hours', async () => {
    const dayOf = `(select q.day from public.queue_entries e join public.queues q on q.id = e.queue_id where e.id = $2)`;
    await rolledBack(async (tx) => {
      const booked = await bookOnline(tx);
      await setMinutes(tx, ACTORS.ownerA, 60);
      await pinBefore(tx, booked.entry_id, 30);
      expect(await reminders(tx, booked.entry_id)).toHaveLength(1);
      await tx.query(
        `insert into public.closed_dates (clinic_id, day, reason) values ($1, ${dayOf}, 'Grève')`,
        [ID.clinicA, booked.entry_id],
      );
      expect(await reminders(tx, booked.entry_id)).toEqual([]);
    });
    await rolledBack(async (tx) => {
      const booked = await bookOnline(tx);
      await setMinutes(tx, ACTORS.ownerA, 60);
      await pinBefore(tx, booked.entry_id, 30);
      expect(await reminders(tx, booked.entry_id)).toHaveLength(1);
      await tx.query(
        `delete from public.working_hours where clinic_id = $1 and weekday = extract(dow from ${dayOf})`,
        [ID.clinicA, booked.entry_id],
      );
      expect(await reminders(tx, booked.entry_id)).toEqual([]);
    });
  });

  it('an opted-out patient or one without a phone is listed once to record the skip (its reason, no phone); then never again', async () => {
    await rolledBack(async (tx) => {
      const booked = await bookOnline(tx);
      await setMinutes(tx, ACTORS.ownerA, 60);
      await pinBefore(tx, booked.entry_id, 30);
      expect((await reminders(tx, booked.entry_id)).map((i) => i.skip_reason)).toEqual([null]);
      await tx.query(
        `update public.patients set sms_opt_out = true
          where id = (select patient_id from public.queue_entries where id = $1)`,
        [booked.entry_id],
      );
      const [item] = await reminders(tx, booked.entry_id);
      expect(item).toMatchObject({
        skip_reason: 'opted_out',
        idempotency_key: await keyOf(tx, booked.entry_id),
      });
      // the sweep's sender records it (the service role, as the sweep runs)
      const rec = await as<{ status: string; duplicate: boolean }>(
        tx,
        ACTORS.service,
        `select public.notification_record_skip($1, $2, 'appointment_reminder', 'opted_out', $3) as r`,
        [ID.clinicA, item!.idempotency_key, booked.entry_id],
      );
      expect(rec).toMatchObject({ status: 'skipped', duplicate: false });
      expect(await reminders(tx, booked.entry_id)).toEqual([]);
      const { rows } = await tx.query<{ status: string; skip_reason: string; recipient: string | null }>(
        `select status::text, skip_reason::text, recipient from public.notifications where idempotency_key = $1`,
        [item!.idempotency_key],
      );
      expect(rows).toEqual([{ status: 'skipped', skip_reason: 'opted_out', recipient: null }]);
    });
    await rolledBack(async (tx) => {
      const booked = await bookOnline(tx);
      await setMinutes(tx, ACTORS.ownerA, 60);
      await pinBefore(tx, booked.entry_id, 30);
      await tx.query(
        `update public.patients set phone = null where id = (select patient_id from public.queue_entries where id = $1)`,
        [booked.entry_id],
      );
      const [item] = await reminders(tx, booked.entry_id);
      expect(item).toMatchObject({ skip_reason: 'no_phone', phone: null });
    });
  });

  it('the setting: coded 422 outside 5–2880, admins only; the outbox is for the service role only', async () => {
    await expect(rolledBack((tx) => setMinutes(tx, ACTORS.ownerA, 4).then(() => undefined))).rejects.toThrow(
      'REMINDER.INVALID_MINUTES',
    );
    await expect(
      rolledBack((tx) => setMinutes(tx, ACTORS.ownerA, 2881).then(() => undefined)),
    ).rejects.toThrow('REMINDER.INVALID_MINUTES');
    await expect(
      rolledBack((tx) => setMinutes(tx, ACTORS.recepA, 60).then(() => undefined)),
    ).rejects.toThrow();
    await expect(
      rolledBack((tx) => setMinutes(tx, ACTORS.ownerB, 60).then(() => undefined)),
    ).rejects.toThrow();
    await expect(
      rolledBack((tx) => as(tx, ACTORS.ownerA, `select public.reminder_outbox() as r`).then(() => undefined)),
    ).rejects.toThrow();
    // nothing written by the refused calls
    const { rows } = await w.t.db.query<{ m: number | null }>(
      `select reminder_minutes_before as m from public.clinics where id = $1`,
      [ID.clinicA],
    );
    expect(rows[0]!.m).toBeNull();
  });
});
