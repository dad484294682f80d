/**
 * Issue 20: the email channel, routed by the SERVER. A patient sets an address and a channel
 * (set_my_notification_preferences); private.notification_route decides per message — the preference, then SMS,
 * then email — the first channel that reaches the patient; both outboxes and notification_recipient answer
 * that channel, and an email is recorded (notification_email_begin) only to the address the server routes to.
 * Mail goes only to an address the patient proved (email18: their account's confirmed email — proveEmail, the
 * state GoTrue's email change leaves; the unproved cases are in notificationEmailProof.test.ts).
 * On PGlite and PostgreSQL, the clock pinned; every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxItem, OutboxWorld } from './helpers/outbox';
import type { Actor } from './helpers/sql';
import { proveEmail } from './helpers/provedEmail';
import { ACTORS, ID, PHONES } from './helpers/world';

type Routed = OutboxItem & { channel: 'sms' | 'email' | null; email: string | null };

describe.each(DB_KINDS)('email channel routing on %s', (kind) => {
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
  const setPrefs = (
    tx: DbTx,
    channel: 'sms' | 'email' | null,
    email: string | null,
    actor = ACTORS.patientB,
  ) =>
    as<{ clinic_id: string; channel: string | null; email: string | null }>(
      tx,
      actor,
      `select public.set_my_notification_preferences($1, $2::public.notification_channel, $3) as r`,
      [ID.clinicA, channel, email],
    );
  const confirmation = async (tx: DbTx, entryId: string) =>
    (
      await as<Routed[]>(tx, ACTORS.service, `select public.notification_outbox(p_min_age_seconds => 0) as r`)
    ).filter((i) => i.entry_id === entryId);
  const patientB = async (tx: DbTx) =>
    (
      await tx.query<{ email: string | null; preferred_channel: string | null; email_opt_out: boolean }>(
        `select email, preferred_channel, email_opt_out from public.patients where id = $1`,
        [ID.patientRecB],
      )
    ).rows[0]!;
  /** Runs fn expecting an error, inside a savepoint so the case can look at what was (not) written. */
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

  it('a patient who chose email gets the booking confirmation by email, routed by the outbox (no phone in the item)', async () => {
    await rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno.p@example.org');
      expect(await setPrefs(tx, 'email', '  Bruno.P@Example.ORG ')).toEqual({
        clinic_id: ID.clinicA,
        channel: 'email',
        email: 'bruno.p@example.org',
        email_confirmed: true,
      });
      // what the booking form shows a returning patient
      expect(
        await as(tx, ACTORS.patientB, `select public.get_my_notification_preferences($1) as r`, [ID.clinicA]),
      ).toEqual({
        known: true,
        channel: 'email',
        email: 'bruno.p@example.org',
        email_bounced: false,
        email_confirmed: true,
      });
      const items = await confirmation(tx, booked.entry_id);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        kind: 'booking_confirmed',
        channel: 'email',
        email: 'bruno.p@example.org',
        phone: null,
        language: 'fr',
      });
      // the sender (service role: send-sms after checking the caller, the sweep) asks the same question and gets
      // the same answer
      const who = await as<{ channel: string; email: string | null }>(
        tx,
        ACTORS.service,
        `select public.notification_recipient($1, $2) as r`,
        [ID.clinicA, booked.entry_id],
      );
      expect(who).toMatchObject({ channel: 'email', email: 'bruno.p@example.org' });
    });
  });

  it('without a preference SMS comes first; an address alone is used when there is no phone or the number said STOP', async () => {
    await rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
      await setPrefs(tx, null, 'bruno@example.org');
      expect((await confirmation(tx, booked.entry_id))[0]).toMatchObject({
        channel: 'sms',
        phone: PHONES.patientB,
        email: null,
      });
      await tx.query(`update public.patients set sms_opt_out = true where id = $1`, [ID.patientRecB]);
      expect((await confirmation(tx, booked.entry_id))[0]).toMatchObject({
        channel: 'email',
        phone: null,
        email: 'bruno@example.org',
      });
    });
  });

  it('email chosen but unsubscribed falls back to SMS; nothing reachable records one skip with its reason', async () => {
    await rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
      await setPrefs(tx, 'email', 'bruno@example.org');
      await tx.query(`update public.patients set email_opt_out = true where id = $1`, [ID.patientRecB]);
      expect((await confirmation(tx, booked.entry_id))[0]).toMatchObject({
        channel: 'sms',
        phone: PHONES.patientB,
      });
      await tx.query(`update public.patients set sms_opt_out = true where id = $1`, [ID.patientRecB]);
      expect(await confirmation(tx, booked.entry_id)).toEqual([]);
      const log = await tx.query<{ status: string; skip_reason: string; recipient: string | null }>(
        `select status, skip_reason, recipient from public.notifications where entry_id = $1`,
        [booked.entry_id],
      );
      expect(log.rows).toEqual([{ status: 'skipped', skip_reason: 'opted_out', recipient: null }]);
    });
  });

  it('the reminder sweep routes to email too', async () => {
    await rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
      await setPrefs(tx, 'email', 'bruno@example.org');
      await as(tx, ACTORS.ownerA, `select public.set_reminder_minutes_before($1, 60) as r`, [ID.clinicA]);
      await tx.query(
        `update private.pinned_clock
            set at = (select slot_start from public.queue_entries where id = $1) - interval '30 minutes'`,
        [booked.entry_id],
      );
      const items = (await as<Routed[]>(tx, ACTORS.service, `select public.reminder_outbox() as r`)).filter(
        (i) => i.entry_id === booked.entry_id,
      );
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        kind: 'appointment_reminder',
        channel: 'email',
        email: 'bruno@example.org',
        phone: null,
        skip_reason: null,
      });
    });
  });

  it('bad preferences are refused with a coded error and nothing is written', async () => {
    await rolledBack(async (tx) => {
      await w.bookOnline(tx);
      await setPrefs(tx, 'sms', 'kept@example.org');
      expect(await refused(tx, () => setPrefs(tx, 'email', null))).toBe('VALIDATION.FAILED');
      expect(await refused(tx, () => setPrefs(tx, 'email', 'not-an-address'))).toBe('VALIDATION.FAILED');
      expect(await refused(tx, () => setPrefs(tx, 'sms', 'a b@example.org'))).toBe('VALIDATION.FAILED');
      expect(await patientB(tx)).toEqual({
        email: 'kept@example.org',
        preferred_channel: 'sms',
        email_opt_out: false,
      });
      // no patient record of the caller in clinic B
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.patientB, `select public.set_my_notification_preferences($1, 'sms', null) as r`, [
            ID.clinicB,
          ]),
        ),
      ).toBe('NOT_FOUND');
    });
  });

  it('an email is recorded once, only to the routed address, and settled', async () => {
    await rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
      await setPrefs(tx, 'email', 'bruno@example.org');
      const begin = (to: string) =>
        as<{ notification_id: string; status: string; duplicate: boolean }>(
          tx,
          ACTORS.service,
          `select public.notification_email_begin($1, $2, 'booking_confirmed', $3, $4, 'Votre rendez-vous',
                                                   'Bonjour Bruno', null, 'fr') as r`,
          [ID.clinicA, `booking_confirmed:${booked.entry_id}`, booked.entry_id, to],
        );
      expect(await refused(tx, () => begin('someone.else@example.org'))).toBe('VALIDATION.FAILED');
      const first = await begin('bruno@example.org');
      expect(first).toMatchObject({ status: 'queued', duplicate: false });
      expect(await begin('bruno@example.org')).toMatchObject({
        notification_id: first.notification_id,
        duplicate: true,
      });
      expect(
        await as<{ status: string }>(
          tx,
          ACTORS.service,
          `select public.notification_email_settle($1, 'sent', '<m1@test>') as r`,
          [first.notification_id],
        ),
      ).toMatchObject({ status: 'sent', attempts: 1 });
      const row = (
        await tx.query<Record<string, unknown>>(
          `select channel, recipient, subject, status, provider_id, reserved from public.notifications where id = $1`,
          [first.notification_id],
        )
      ).rows[0];
      expect(row).toEqual({
        channel: 'email',
        recipient: 'bruno@example.org',
        subject: 'Votre rendez-vous',
        status: 'sent',
        provider_id: '<m1@test>',
        reserved: false,
      });
      // the outbox owes it no more
      expect(await confirmation(tx, booked.entry_id)).toEqual([]);
      // a settled email does not move again
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.service, `select public.notification_email_settle($1, 'failed') as r`, [
            first.notification_id,
          ]),
        ),
      ).toBe('VALIDATION.FAILED');
    });
  });

  it('an email left queued by a sender that died is closed as failed by the sweep, never resent', async () => {
    await rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
      await setPrefs(tx, 'email', 'bruno@example.org');
      const begun = await as<{ notification_id: string }>(
        tx,
        ACTORS.service,
        `select public.notification_email_begin($1, 'k-interrupted', 'booking_confirmed', $2, 'bruno@example.org',
                                                 'S', 'B') as r`,
        [ID.clinicA, booked.entry_id],
      );
      const close = () =>
        as<number>(tx, ACTORS.service, `select public.notification_close_interrupted(600) as r`);
      const status = async () =>
        (
          await tx.query<{ status: string; interrupted: boolean }>(
            `select status, error like 'interrupted:%' as interrupted from public.notifications where id = $1`,
            [begun.notification_id],
          )
        ).rows[0];
      // (the count also covers the world's own fixture message: only this email's fate is asserted)
      await close();
      expect(await status()).toEqual({ status: 'queued', interrupted: null });
      await tx.query(`update private.pinned_clock set at = at + interval '11 minutes'`);
      expect(await close()).toBeGreaterThanOrEqual(1);
      expect(await status()).toEqual({ status: 'failed', interrupted: true });
    });
  });
});
