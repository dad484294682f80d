/**
 * Issue 20, WhatsApp in the database: the 24-hour customer service window (opened by the patient's own WhatsApp
 * message, by the database's pinned clock), the approved template outside it, the SMS fallback when there is no
 * template, STOP on WhatsApp for WhatsApp only, the budget, and the refusals. On PGlite and PostgreSQL, the clock
 * pinned; every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxWorld } from './helpers/outbox';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, PHONES } from './helpers/world';

const SID = `HX${'d4'.repeat(16)}`;

interface Begin {
  mode: 'session' | 'template' | 'fallback' | null;
  notification_id?: string;
  reserved?: boolean;
  duplicate?: boolean;
  status?: string;
  phone?: string;
  content_sid?: string | null;
  variables?: string[] | null;
  reason?: string;
}

describe.each(DB_KINDS)('WhatsApp channel on %s', (kind) => {
  let w: OutboxWorld;
  beforeAll(async () => {
    w = await openOutboxWorld(kind);
  }, 600_000);
  afterAll(async () => {
    await w?.stop();
  });

  const as = <T>(tx: DbTx, actor: Actor, sql: string, params: unknown[] = []) =>
    w.as<T>(tx, actor, sql, params);
  const refused = async (tx: DbTx, fn: () => Promise<unknown>): Promise<string> => {
    await tx.query('savepoint refused');
    try {
      await fn();
    } catch (e) {
      await tx.query('rollback to savepoint refused');
      return e instanceof Error ? e.message : String(e);
    }
    throw new Error('expected an error');
  };
  /** patientB books online and chooses WhatsApp. */
  const onWhatsApp = async (tx: DbTx) => {
    const booked = await w.bookOnline(tx);
    await as(tx, ACTORS.patientB, `select public.set_my_notification_preferences($1, 'whatsapp') as r`, [
      ID.clinicA,
    ]);
    return booked.entry_id;
  };
  const begin = (tx: DbTx, entryId: string, key: string, actor: Actor = ACTORS.service) =>
    as<Begin>(
      tx,
      actor,
      `select public.notification_whatsapp_begin($1, $2, 'booking_confirmed', $3, 'Bonjour Bruno', 0.1) as r`,
      [ID.clinicA, key, entryId],
    );
  const inbound = (tx: DbTx, stop = false) =>
    as(tx, ACTORS.service, `select public.whatsapp_inbound_apply($1, $2) as r`, [PHONES.patientB, stop]);
  const moveClock = (tx: DbTx, by: string) =>
    tx.query(`update private.pinned_clock set at = at + $1::interval`, [by]);

  it('WhatsApp window: free-form for 24 hours after the patient wrote, then the template or SMS', async () => {
    await w.rolledBack(async (tx) => {
      const entryId = await onWhatsApp(tx);
      // never wrote, no template: nothing recorded, the sender sends by SMS
      expect(await begin(tx, entryId, 'k0')).toEqual({ mode: 'fallback', reason: 'no_template' });
      expect(
        (await tx.query(`select 1 from public.notifications where idempotency_key = 'k0'`)).rows,
      ).toEqual([]);
      await inbound(tx);
      await moveClock(tx, '23 hours 59 minutes');
      expect(await begin(tx, entryId, 'k1')).toMatchObject({
        mode: 'session',
        reserved: true,
        duplicate: false,
        phone: PHONES.patientB,
        content_sid: null,
      });
      await moveClock(tx, '1 minute'); // exactly 24 hours: closed
      expect(await begin(tx, entryId, 'k2')).toMatchObject({ mode: 'fallback' });
      await as(tx, ACTORS.ownerA, `select public.set_whatsapp_settings($1, null, $2::jsonb) as r`, [
        ID.clinicA,
        JSON.stringify({
          booking_confirmed: Object.fromEntries(
            ['ar', 'fr', 'en'].map((l) => [l, { sid: SID, variables: ['patient_name'] }]),
          ),
        }),
      ]);
      expect(await begin(tx, entryId, 'k3')).toMatchObject({
        mode: 'template',
        reserved: true,
        content_sid: SID,
        variables: ['patient_name'],
      });
      const { rows } = await tx.query<{
        idempotency_key: string;
        channel: string;
        content_sid: string | null;
      }>(
        `select idempotency_key, channel::text, content_sid from public.notifications
          where entry_id = $1 order by idempotency_key`,
        [entryId],
      );
      expect(rows).toEqual([
        { idempotency_key: 'k1', channel: 'whatsapp', content_sid: null },
        { idempotency_key: 'k3', channel: 'whatsapp', content_sid: SID },
      ]);
      // the same key again: a duplicate, nothing reserved
      expect(await begin(tx, entryId, 'k3')).toMatchObject({ duplicate: true, reserved: false });
    });
  });

  it('STOP on WhatsApp: WhatsApp opted out for the number, SMS still allowed; choosing WhatsApp again takes it back', async () => {
    await w.rolledBack(async (tx) => {
      const entryId = await onWhatsApp(tx);
      expect(await inbound(tx, true)).toMatchObject({ opted_out: 1 });
      const who = await as<{ channel: string; opted_out: boolean }>(
        tx,
        ACTORS.service,
        `select public.notification_recipient($1, $2) as r`,
        [ID.clinicA, entryId],
      );
      expect(who).toMatchObject({ channel: 'sms', opted_out: false });
      expect(await refused(tx, () => begin(tx, entryId, 'k4'))).toMatch(/VALIDATION\.FAILED/);
      await as(tx, ACTORS.patientB, `select public.set_my_notification_preferences($1, 'whatsapp') as r`, [
        ID.clinicA,
      ]);
      expect(
        await as<{ channel: string }>(
          tx,
          ACTORS.service,
          `select public.notification_recipient($1, $2) as r`,
          [ID.clinicA, entryId],
        ),
      ).toMatchObject({ channel: 'whatsapp' });
    });
  });

  it('WhatsApp window tied to the sender: a message to another number opens no window with this clinic', async () => {
    await w.rolledBack(async (tx) => {
      const entryId = await onWhatsApp(tx);
      const PLATFORM = '+212522000777';
      const write = (to: string | null) =>
        as<{ window_opened: number }>(
          tx,
          ACTORS.service,
          `select public.whatsapp_inbound_apply(p_from => $1, p_to => $2, p_platform_sender => $3) as r`,
          [PHONES.patientB, to, PLATFORM],
        );
      // clinic A sends from the platform's number: a message to another clinic's own number opens nothing here
      expect(await write('+212522000999')).toMatchObject({ window_opened: 0 });
      expect(await begin(tx, entryId, 's1')).toEqual({ mode: 'fallback', reason: 'no_template' });
      expect(await write(PLATFORM)).toMatchObject({ window_opened: 1 });
      expect(await begin(tx, entryId, 's2')).toMatchObject({ mode: 'session' });
      // clinic A gets its own number: the window written to the platform's number no longer counts for it
      await moveClock(tx, '24 hours');
      await as(
        tx,
        ACTORS.ownerA,
        `select public.set_whatsapp_settings($1, '+212522000111', '{}'::jsonb) as r`,
        [ID.clinicA],
      );
      expect(await write(PLATFORM)).toMatchObject({ window_opened: 0 });
      expect(await begin(tx, entryId, 's3')).toMatchObject({ mode: 'fallback' });
      expect(await write('+212522000111')).toMatchObject({ window_opened: 1 });
      expect(await begin(tx, entryId, 's4')).toMatchObject({ mode: 'session' });
      // malformed numbers are refused
      expect(await refused(tx, () => write('whatsapp:+212522000111'))).toMatch(/VALIDATION\.FAILED/);
    });
  });

  it('START on WhatsApp takes a WhatsApp STOP back for the number', async () => {
    await w.rolledBack(async (tx) => {
      const entryId = await onWhatsApp(tx);
      expect(await inbound(tx, true)).toMatchObject({ opted_out: 1 });
      const channel = async () =>
        (
          await as<{ channel: string }>(
            tx,
            ACTORS.service,
            `select public.notification_recipient($1, $2) as r`,
            [ID.clinicA, entryId],
          )
        ).channel;
      expect(await channel()).toBe('sms');
      expect(
        await as(
          tx,
          ACTORS.service,
          `select public.whatsapp_inbound_apply(p_from => $1, p_start => true) as r`,
          [PHONES.patientB],
        ),
      ).toMatchObject({ resubscribed: 1, opted_out: 0 });
      expect(await channel()).toBe('whatsapp');
      // a second START changes nothing; the staff can't call it
      expect(
        await as(
          tx,
          ACTORS.service,
          `select public.whatsapp_inbound_apply(p_from => $1, p_start => true) as r`,
          [PHONES.patientB],
        ),
      ).toMatchObject({ resubscribed: 0 });
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.ownerA, `select public.whatsapp_inbound_apply(p_from => $1, p_start => true) as r`, [
            PHONES.patientB,
          ]),
        ),
      ).toMatch(/permission denied/);
    });
  });

  it('the budget counts WhatsApp: a full month skips it as skipped_budget', async () => {
    await w.rolledBack(async (tx) => {
      const entryId = await onWhatsApp(tx);
      await inbound(tx);
      await tx.query(`select private.ensure_budget($1, private.budget_month($1))`, [ID.clinicA]);
      await tx.query(
        `update public.sms_budgets set limit_count = reserved_count + spent_count where clinic_id = $1 and month = private.budget_month($1)`,
        [ID.clinicA],
      );
      expect(await begin(tx, entryId, 'k5')).toMatchObject({ reserved: false, status: 'skipped_budget' });
      const { rows } = await tx.query<{ channel: string; status: string }>(
        `select channel::text, status::text from public.notifications where idempotency_key = 'k5'`,
      );
      expect(rows).toEqual([{ channel: 'whatsapp', status: 'skipped_budget' }]);
    });
  });

  it('refusals: another clinic, a patient, a visit not routed to WhatsApp, a malformed body or number', async () => {
    await w.rolledBack(async (tx) => {
      const entryId = await onWhatsApp(tx);
      // the server only (sms17: begin takes a body): no staff of any clinic, no patient has the grant
      for (const actor of [ACTORS.recepA, ACTORS.ownerB, ACTORS.patientB])
        expect(await refused(tx, () => begin(tx, entryId, 'k6', actor)), actor.name).toMatch(
          /permission denied/,
        );
      expect(await refused(tx, () => begin(tx, ID.entryA, 'k6'))).toMatch(/VALIDATION\.FAILED/);
      expect(
        await refused(tx, () =>
          as(
            tx,
            ACTORS.service,
            `select public.notification_whatsapp_begin($1, 'k7', 'your_turn', $2, repeat('x', 1601), 0.1) as r`,
            [ID.clinicA, entryId],
          ),
        ),
      ).toMatch(/VALIDATION\.FAILED/);
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.service, `select public.whatsapp_inbound_apply('whatsapp:+212600000002') as r`),
        ),
      ).toMatch(/VALIDATION\.FAILED/);
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.ownerA, `select public.set_whatsapp_settings($1, '+212522000777', $2::jsonb) as r`, [
            ID.clinicA,
            JSON.stringify({ staff_invitation: { fr: { sid: SID } } }),
          ]),
        ),
      ).toMatch(/VALIDATION\.FAILED/);
    });
  });
});
