/**
 * Issue 20 / 15.4: a booking, by any path, owes exactly one booking confirmation, enqueued by the server in
 * the booking's own transaction (its EntryScheduled event is the outbox row), with the visit's tracking
 * link and the cancel link rendered by the server. On PGlite and PostgreSQL; the database clock is pinned
 * (today 08:00 in the clinic's zone), every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { renderTemplate } from '../functions/_shared/render';
import { DEFAULT_TEMPLATE_TEXTS } from '../../src/services/notification/models/DefaultTemplates';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxItem, OutboxWorld } from './helpers/outbox';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, PHONES, localAt } from './helpers/world';

describe.each(DB_KINDS)('booking confirmation enqueued by the server on %s', (kind) => {
  let w: OutboxWorld;
  beforeAll(async () => {
    w = await openOutboxWorld(kind);
  }, 600_000); // migrating PGlite on a busy machine
  afterAll(async () => {
    await w?.stop();
  });

  const rolledBack = (fn: (tx: DbTx) => Promise<void>) => w.rolledBack(fn);
  const as = <T>(tx: DbTx, actor: Actor, sql: string, params: unknown[] = []) =>
    w.as<T>(tx, actor, sql, params);
  const bookOnline = (tx: DbTx) => w.bookOnline(tx);
  const outbox = (tx: DbTx) =>
    as<OutboxItem[]>(tx, ACTORS.service, `select public.notification_outbox(p_min_age_seconds => 0) as r`);
  const owed = async (tx: DbTx, entryId: string) =>
    (
      await tx.query<{ type: string }>(
        `select type from public.queue_events
          where entry_id = $1 and private.event_notification_kind(type, payload) = 'booking_confirmed'`,
        [entryId],
      )
    ).rows;

  it('an online booking logs exactly one event owing the confirmation, in its own transaction; the outbox renders it with both links', async () => {
    await rolledBack(async (tx) => {
      const booked = await bookOnline(tx);
      // in the booking's transaction: one event owes it (the browser is not asked to send anything)
      expect(await owed(tx, booked.entry_id)).toEqual([{ type: 'EntryScheduled' }]);
      const items = (await outbox(tx)).filter((i) => i.entry_id === booked.entry_id);
      expect(items).toHaveLength(1);
      const item = items[0]!;
      expect(item).toMatchObject({
        kind: 'booking_confirmed',
        idempotency_key: `booking_confirmed:${booked.entry_id}`,
        phone: PHONES.patientB,
        language: 'fr',
        // the link the patient got at booking: the server renders the same one
        tracking_token: booked.tracking_token,
      });
      expect(item.values).toMatchObject({
        patient_name: 'Bruno Patient',
        clinic_name: 'Clinique A',
        appointment_time: expect.stringMatching(/^\d{2}\/\d{2} 10:00$/),
      });
      expect(item.template).toBe(DEFAULT_TEMPLATE_TEXTS.booking_confirmed.fr);
      const text = renderTemplate(
        item.template!,
        {
          ...item.values,
          tracking_url: `https://clinic.example/t/${item.tracking_token}`,
          cancel_url: 'https://clinic.example/me',
        },
        'fr',
      );
      expect(text).toContain(`https://clinic.example/t/${booked.tracking_token}`);
      expect(text).toContain('Pour annuler : https://clinic.example/me');
      expect(text).not.toMatch(/\{[a-z_]+\}/);
    });
  });

  it('a staff booking owes one confirmation too; once a message holds the key, the outbox owes nothing more', async () => {
    await rolledBack(async (tx) => {
      const booked = await as<{ entry_id: string }>(
        tx,
        ACTORS.recepA,
        `select public.staff_book_appointment(p_clinic_id => '${ID.clinicA}', p_patient_id => '${ID.walkInA}',
                p_appointment_type_id => '${ID.typeA}', p_slot_start => ${localAt(1, '10:40')}) as r`,
      );
      const first = (await outbox(tx)).filter((i) => i.entry_id === booked.entry_id);
      expect(first.map((i) => [i.kind, i.phone])).toEqual([['booking_confirmed', '+212600000099']]);
      expect(first[0]!.tracking_token).toMatch(/^[0-9a-f]{64}$/);
      // the sweep sends it (the key is unique per clinic) — a second sweep finds it sent and owes nothing
      await tx.query(
        `insert into public.notifications (clinic_id, entry_id, kind, idempotency_key, status)
         values ($1, $2, 'booking_confirmed', $3, 'simulated')`,
        [ID.clinicA, booked.entry_id, first[0]!.idempotency_key],
      );
      expect((await outbox(tx)).filter((i) => i.entry_id === booked.entry_id)).toEqual([]);
      const { rows } = await tx.query<{ n: number }>(
        `select count(*)::int as n from public.queue_events where entry_id = $1 and notified_at is null`,
        [booked.entry_id],
      );
      expect(rows[0]!.n).toBe(0);
    });
  });

  it('a visit cancelled before the sweep is not confirmed; an opted-out patient is not either, and the skip is recorded', async () => {
    await rolledBack(async (tx) => {
      const booked = await bookOnline(tx);
      await as(tx, ACTORS.patientB, `select public.cancel_appointment($1) as r`, [booked.entry_id]);
      expect((await outbox(tx)).filter((i) => i.entry_id === booked.entry_id)).toEqual([]);
    });
    await rolledBack(async (tx) => {
      await tx.query(`update public.patients set sms_opt_out = true where id = $1`, [ID.patientRecB]);
      const booked = await bookOnline(tx);
      expect((await outbox(tx)).filter((i) => i.entry_id === booked.entry_id)).toEqual([]);
      // not silently dropped: the message log records it as skipped, with the reason and no phone number
      const { rows } = await tx.query<{ status: string; skip_reason: string; recipient: string | null }>(
        `select status::text, skip_reason::text, recipient from public.notifications where entry_id = $1`,
        [booked.entry_id],
      );
      expect(rows).toEqual([{ status: 'skipped', skip_reason: 'opted_out', recipient: null }]);
      // and a second sweep neither lists nor records it again
      expect((await outbox(tx)).filter((i) => i.entry_id === booked.entry_id)).toEqual([]);
      const again = await tx.query(`select 1 from public.notifications where entry_id = $1`, [
        booked.entry_id,
      ]);
      expect(again.rows).toHaveLength(1);
    });
  });

  it('a booked visit saved without a token (save_queue_step) still gets a link the server can render', async () => {
    await rolledBack(async (tx) => {
      const { rows } = await tx.query<{ link: string | null }>(
        `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                                           slot_start, slot_end)
         values ('${ID.queueA1}', '${ID.clinicA}', '${ID.walkInA}', 'booked', 'scheduled', 9, 1,
                 ${localAt(1, '12:00')}, ${localAt(1, '12:15')})
         returning private.entry_link(queue_entries) as link`,
      );
      expect(rows[0]!.link).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('the built-in confirmation texts are the app defaults, with the tracking and cancel links, in ar, fr and en', async () => {
    const { rows } = await w.t.db.query<{ language: 'ar' | 'fr' | 'en'; body: string }>(
      `select language::text, body from public.notification_templates
        where clinic_id is null and kind = 'booking_confirmed' order by language`,
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.body).toBe(DEFAULT_TEMPLATE_TEXTS.booking_confirmed[r.language]);
      expect(r.body).toContain('{tracking_url}');
      expect(r.body).toContain('{cancel_url}');
    }
  });
});
