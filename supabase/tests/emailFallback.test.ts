/**
 * Issue 20: an email the mail server refused falls back to SMS — exactly once, both outcomes in the message
 * log (the email failed with its reason, the SMS with fallback_of = the email) — and the one-click
 * unsubscribe (email_unsubscribe) that the List-Unsubscribe link reaches. On PGlite and PostgreSQL, the clock
 * pinned; every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxWorld } from './helpers/outbox';
import type { Actor } from './helpers/sql';
import { proveEmail } from './helpers/provedEmail';
import { ACTORS, ID, PHONES } from './helpers/world';

interface Fallback {
  notification_id: string;
  status: string;
  reserved: boolean;
  duplicate: boolean;
  phone: string | null;
  fallback_of: string;
  skip_reason?: string;
}

describe.each(DB_KINDS)('email → SMS fallback and unsubscribe on %s', (kind) => {
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
  /** patientB books, chooses the email address they proved (email18); the confirmation email is recorded (begin)
   *  and, when given, settled. */
  const emailOf = async (
    tx: DbTx,
    settle: 'failed' | 'sent' | null,
    error = '550 5.1.1 Recipient address rejected',
  ) => {
    const booked = await w.bookOnline(tx);
    await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
    await as(
      tx,
      ACTORS.patientB,
      `select public.set_my_notification_preferences($1, 'email', 'bruno@example.org') as r`,
      [ID.clinicA],
    );
    const b = await as<{ notification_id: string }>(
      tx,
      ACTORS.service,
      `select public.notification_email_begin($1, $2, 'booking_confirmed', $3, 'bruno@example.org', 'S', 'Bonjour Bruno') as r`,
      [ID.clinicA, `booking_confirmed:${booked.entry_id}`, booked.entry_id],
    );
    if (settle)
      await as(
        tx,
        ACTORS.service,
        `select public.notification_email_settle($1, $2::public.notification_status, null, $3) as r`,
        [b.notification_id, settle, error],
      );
    return { entryId: booked.entry_id, emailId: b.notification_id };
  };
  const fallback = (tx: DbTx, id: string, actor: Actor = ACTORS.service) =>
    as<Fallback>(tx, actor, `select public.notification_sms_fallback($1, 1, 0.25, 'Bonjour Bruno') as r`, [
      id,
    ]);
  const log = async (tx: DbTx, entryId: string) =>
    (
      await tx.query<Record<string, unknown>>(
        `select n.channel, n.status, n.recipient, n.idempotency_key, n.skip_reason, n.error is not null as has_error,
                n.fallback_of is not null and n.fallback_of = (select id from public.notifications m
                                                               where m.entry_id = n.entry_id and m.channel = 'email')
                  as falls_back_from_the_email
           from public.notifications n where n.entry_id = $1 order by n.channel, n.created_at`,
        [entryId],
      )
    ).rows;

  it('a refused email is sent by SMS once: the second call (a retry, another sweep, a staff browser) is a duplicate', async () => {
    await w.rolledBack(async (tx) => {
      const { entryId, emailId } = await emailOf(tx, 'failed');
      const first = await fallback(tx, emailId);
      expect(first).toMatchObject({
        status: 'queued',
        reserved: true,
        duplicate: false,
        phone: PHONES.patientB,
        fallback_of: emailId,
      });
      expect(await fallback(tx, emailId)).toMatchObject({
        notification_id: first.notification_id,
        duplicate: true,
        reserved: false,
      });
      // a staff browser's send-sms calls it with the service key; a staff token itself has no grant (sms17: the
      // fallback takes a body)
      expect(await refused(tx, () => fallback(tx, emailId, ACTORS.recepA))).toMatch(/permission denied/);
      // both attempts in the message log: the email failed with its reason, one SMS to the patient's phone
      expect(await log(tx, entryId)).toEqual([
        {
          channel: 'sms',
          status: 'queued',
          recipient: PHONES.patientB,
          idempotency_key: `booking_confirmed:${entryId}:sms`,
          skip_reason: null,
          has_error: false,
          falls_back_from_the_email: true,
        },
        {
          channel: 'email',
          status: 'failed',
          recipient: 'bruno@example.org',
          idempotency_key: `booking_confirmed:${entryId}`,
          skip_reason: null,
          has_error: true,
          falls_back_from_the_email: false,
        },
      ]);
      // settled like any SMS
      expect(
        await as(tx, ACTORS.service, `select public.sms_budget_settle($1, 'sent', 'SM1', 1, 0.25) as r`, [
          first.notification_id,
        ]),
      ).toMatchObject({ status: 'sent' });
      expect(await fallback(tx, emailId)).toMatchObject({ duplicate: true, status: 'sent' });
    });
  });

  it('only a refused email falls back: not a sent or still-sending one, not an interrupted one, not an SMS', async () => {
    await w.rolledBack(async (tx) => {
      const sending = await emailOf(tx, null);
      expect(await refused(tx, () => fallback(tx, sending.emailId))).toBe('VALIDATION.FAILED');
      await as(tx, ACTORS.service, `select public.notification_email_settle($1, 'sent') as r`, [
        sending.emailId,
      ]);
      expect(await refused(tx, () => fallback(tx, sending.emailId))).toBe('VALIDATION.FAILED');
      expect(await refused(tx, () => fallback(tx, ID.notificationA))).toBe('VALIDATION.FAILED');
      expect(await refused(tx, () => fallback(tx, '00000000-0000-4000-8000-00000000dead'))).toBe('NOT_FOUND');
      expect(await log(tx, sending.entryId)).toHaveLength(1);
    });
    await w.rolledBack(async (tx) => {
      const interrupted = await emailOf(
        tx,
        'failed',
        'interrupted: the sender stopped before the mail server answered',
      );
      expect(await refused(tx, () => fallback(tx, interrupted.emailId))).toBe('VALIDATION.FAILED');
    });
    await w.rolledBack(async (tx) => {
      // staff (of any clinic) and a patient have no grant: refused before anything is written
      const failed = await emailOf(tx, 'failed');
      expect(await refused(tx, () => fallback(tx, failed.emailId, ACTORS.ownerB))).toMatch(
        /permission denied/,
      );
      expect(await refused(tx, () => fallback(tx, failed.emailId, ACTORS.patientB))).toMatch(
        /permission denied/,
      );
      expect(await log(tx, failed.entryId)).toHaveLength(1);
    });
  });

  it("sms_budget_reserve under a failed email's key: a duplicate, the email row untouched, nothing reserved", async () => {
    await w.rolledBack(async (tx) => {
      const { entryId, emailId } = await emailOf(tx, 'failed');
      const budget = () =>
        tx
          .query<{ reserved_count: number }>(
            `select reserved_count from public.sms_budgets where clinic_id = $1 order by month desc limit 1`,
            [ID.clinicA],
          )
          .then((r) => r.rows[0]?.reserved_count ?? 0);
      const before = await budget();
      // an SMS sender that reaches the message's own key (the route changed to SMS since the email failed)
      const again = await as<Record<string, unknown>>(
        tx,
        ACTORS.service,
        `select public.sms_budget_reserve($1, $2, 'booking_confirmed', 1, 0.25, $3, null, $4, null, 'Bonjour') as r`,
        [ID.clinicA, `booking_confirmed:${entryId}`, entryId, PHONES.patientB],
      );
      expect(again).toMatchObject({
        notification_id: emailId,
        status: 'failed',
        reserved: false,
        duplicate: true,
        channel: 'email',
      });
      expect(await budget()).toBe(before);
      const row = await tx.query<Record<string, unknown>>(
        `select channel, status, reserved, recipient, body from public.notifications where id = $1`,
        [emailId],
      );
      expect(row.rows[0]).toEqual({
        channel: 'email',
        status: 'failed',
        reserved: false,
        recipient: 'bruno@example.org',
        body: 'Bonjour Bruno',
      });
      // the fallback (its own key) still sends the SMS once
      expect(await fallback(tx, emailId)).toMatchObject({ reserved: true, duplicate: false });
    });
  });

  it('a hard bounce is recorded on the patient and the email: the route passes over the address until the patient changes it', async () => {
    await w.rolledBack(async (tx) => {
      const { entryId, emailId } = await emailOf(tx, 'failed');
      const bounced = (id: string, actor: Actor = ACTORS.service) =>
        as<{ patient_id: string | null; bounced_at: string | null; already: boolean }>(
          tx,
          actor,
          `select public.notification_email_bounced($1) as r`,
          [id],
        );
      // only the server marks a bounce (20261217300001): the clinic's own staff, another clinic's and a patient
      // are refused before anything is written
      for (const actor of [ACTORS.ownerA, ACTORS.ownerB, ACTORS.patientB])
        expect(await refused(tx, () => bounced(emailId, actor))).toMatch(/permission denied/);
      // the one routing decision every sender uses (notification_outbox, notification_recipient, email_begin)
      const route = async () =>
        (
          await tx.query<{ channel: string | null; skip_reason: string | null }>(
            `select r.channel, r.skip_reason
               from public.patients p, private.notification_route(p) r where p.id = $1`,
            [ID.patientRecB],
          )
        ).rows[0];
      expect((await route())?.channel).toBe('email'); // before: the patient's choice
      // what My visits reads: the patient is told their address bounced (and only their own record's)
      const mine = () =>
        as<{ email_bounced: boolean }>(
          tx,
          ACTORS.patientB,
          `select public.get_my_notification_preferences($1) as r`,
          [ID.clinicA],
        );
      expect((await mine()).email_bounced).toBe(false);
      const first = await bounced(emailId);
      expect((await mine()).email_bounced).toBe(true);
      expect(first).toMatchObject({ patient_id: ID.patientRecB, already: false });
      expect(first.bounced_at).not.toBeNull();
      // idempotent: the first bounce time stays
      expect(await bounced(emailId)).toMatchObject({
        patient_id: ID.patientRecB,
        bounced_at: first.bounced_at,
        already: true,
      });
      const flags = await tx.query<{ hard_bounce: boolean }>(
        `select hard_bounce from public.notifications where id = $1`,
        [emailId],
      );
      expect(flags.rows[0]!.hard_bounce).toBe(true);
      // the dead address is no longer chosen: SMS instead, and an email to it is refused at begin
      expect((await route())?.channel).toBe('sms');
      expect(
        await refused(tx, () =>
          as(
            tx,
            ACTORS.service,
            `select public.notification_email_begin($1, $2, 'booking_confirmed', $3, 'bruno@example.org', 'S', 'B') as r`,
            [ID.clinicA, `again:${entryId}`, entryId],
          ),
        ),
      ).toBe('VALIDATION.FAILED');
      // nothing else reaches the patient: skipped, reported as no contact (not as an opt-out)
      await tx.query(`update public.patients set sms_opt_out = true where id = $1`, [ID.patientRecB]);
      expect(await route()).toMatchObject({ channel: null, skip_reason: 'opted_out' });
      await tx.query(`update public.patients set sms_opt_out = false, phone = null where id = $1`, [
        ID.patientRecB,
      ]);
      expect(await route()).toMatchObject({ channel: null, skip_reason: 'no_phone' });
      await tx.query(`update public.patients set phone = $2 where id = $1`, [
        ID.patientRecB,
        PHONES.patientB,
      ]);
      // a new address (proved, email18) is a new chance
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.net');
      await as(
        tx,
        ACTORS.patientB,
        `select public.set_my_notification_preferences($1, 'email', 'bruno@example.net') as r`,
        [ID.clinicA],
      );
      const p = await tx.query<{ email_bounced_at: string | null }>(
        `select email_bounced_at from public.patients where id = $1`,
        [ID.patientRecB],
      );
      expect(p.rows[0]!.email_bounced_at).toBeNull();
      expect((await mine()).email_bounced).toBe(false);
      expect((await route())?.channel).toBe('email');
      // only a refused email is a bounce: not an SMS, not an unknown id
      expect(await refused(tx, () => bounced(ID.notificationA))).toBe('VALIDATION.FAILED');
      expect(await refused(tx, () => bounced('00000000-0000-4000-8000-00000000dead'))).toBe('NOT_FOUND');
    });
  });

  it('a number that said STOP: the fallback is recorded once as skipped (opted_out), nothing to send', async () => {
    await w.rolledBack(async (tx) => {
      const { entryId, emailId } = await emailOf(tx, 'failed');
      await tx.query(`update public.patients set sms_opt_out = true where id = $1`, [ID.patientRecB]);
      const first = await fallback(tx, emailId);
      expect(first).toMatchObject({
        status: 'skipped',
        phone: null,
        skip_reason: 'opted_out',
        duplicate: false,
      });
      expect(await fallback(tx, emailId)).toMatchObject({
        notification_id: first.notification_id,
        duplicate: true,
      });
      expect((await log(tx, entryId)).map((r) => [r.channel, r.status, r.skip_reason, r.recipient])).toEqual([
        ['sms', 'skipped', 'opted_out', null],
        ['email', 'failed', null, 'bruno@example.org'],
      ]);
    });
  });

  it('email_unsubscribe sets the opt-out once (idempotent); the next message goes by SMS', async () => {
    await w.rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
      await as(
        tx,
        ACTORS.patientB,
        `select public.set_my_notification_preferences($1, 'email', 'bruno@example.org') as r`,
        [ID.clinicA],
      );
      const unsub = () =>
        as<{ already: boolean }>(tx, ACTORS.service, `select public.email_unsubscribe($1) as r`, [
          ID.patientRecB,
        ]);
      expect(await unsub()).toEqual({ already: false });
      expect(await unsub()).toEqual({ already: true });
      const row = await tx.query<{ email_opt_out: boolean }>(
        `select email_opt_out from public.patients where id = $1`,
        [ID.patientRecB],
      );
      expect(row.rows[0]!.email_opt_out).toBe(true);
      const items = (
        await as<{ entry_id: string; channel: string }[]>(
          tx,
          ACTORS.service,
          `select public.notification_outbox(p_min_age_seconds => 0) as r`,
        )
      ).filter((i) => i.entry_id === booked.entry_id);
      expect(items.map((i) => i.channel)).toEqual(['sms']);
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.service, `select public.email_unsubscribe($1) as r`, [
            '00000000-0000-4000-8000-00000000dead',
          ]),
        ),
      ).toBe('NOT_FOUND');
    });
  });

  it("routing order: the patient's choice, then the clinic's default channel, then SMS, email", async () => {
    await w.rolledBack(async (tx) => {
      const booked = await w.bookOnline(tx);
      await proveEmail(tx, ACTORS.patientB.sub, 'bruno@example.org');
      const route = async () =>
        (
          await as<{ entry_id: string; channel: string }[]>(
            tx,
            ACTORS.service,
            `select public.notification_outbox(p_min_age_seconds => 0) as r`,
          )
        ).find((i) => i.entry_id === booked.entry_id)?.channel;
      const prefs = (channel: 'sms' | 'email' | null) =>
        as(
          tx,
          ACTORS.patientB,
          `select public.set_my_notification_preferences($1, $2::public.notification_channel, 'bruno@example.org') as r`,
          [ID.clinicA, channel],
        );
      const clinicDefault = (channel: 'sms' | 'email' | null, actor: Actor = ACTORS.ownerA) =>
        as(tx, actor, `select public.set_default_channel($1, $2::public.notification_channel) as r`, [
          ID.clinicA,
          channel,
        ]);
      await prefs(null);
      expect(await route()).toBe('sms'); // no choice, no default: SMS first
      expect(await clinicDefault('email')).toEqual({ default_channel: 'email' });
      expect(await route()).toBe('email'); // the clinic's default
      await prefs('sms');
      expect(await route()).toBe('sms'); // the patient's choice beats the clinic's default
      await prefs(null);
      await tx.query(`update public.patients set email_opt_out = true where id = $1`, [ID.patientRecB]);
      expect(await route()).toBe('sms'); // the default does not reach them: the fallback order
      // only owners/admins set it
      expect(await refused(tx, () => clinicDefault('sms', ACTORS.recepA))).toBe('AUTH.FORBIDDEN');
      expect(await refused(tx, () => clinicDefault('sms', ACTORS.ownerB))).toBe('AUTH.FORBIDDEN');
      expect(await clinicDefault(null)).toEqual({ default_channel: null });
    });
  });
});
