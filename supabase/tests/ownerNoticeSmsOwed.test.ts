/**
 * Issue 12, review of session 15 (20261214100003_owner_notice_sms_owed.sql): the owner's SMS in place of a
 * "webhook disabled" email the mail server refused for good is OWED by the outbox, so a sweep that died between
 * the refused email and the SMS sends it on its next run — once.
 * The sweep's steps are played as the service role calls them (notification_email_begin → settle failed →
 * notification_email_bounced, then the SMS's reservation under `<key>:sms`), stopping after the bounce.
 * Clock pinned to 10:00 of the world's day; every case rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

type Notice = {
  idempotency_key: string;
  channel: string | null;
  email: string | null;
  phone: string | null;
  fallback_phone: string | null;
  skip_reason: string | null;
};

describe.each(DB_KINDS)('the owner notice’s SMS in place of a refused email on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 400_000);
  afterAll(async () => {
    await t?.stop();
  });

  const outbox = (tx: DbTx) =>
    as<Notice[]>(tx, ACTORS.service, `select public.webhook_notice_outbox(20) as r`);
  /** An endpoint of clinic A switched off for failing (one disable), and the owner's phone (or none). */
  const disabledEndpoint = async (tx: DbTx, ownerPhone: string | null) => {
    const w = (
      await tx.query<{ id: string }>(
        `insert into public.webhook_endpoints (clinic_id, url, event_types, enabled, disabled_reason,
                                               consecutive_failures, failing_disables)
         values ($1, 'https://a.example.com/h', '{visit.booked}', false, 'failing', 20, 1) returning id`,
        [ID.clinicA],
      )
    ).rows[0]!;
    const owner = (
      await tx.query<{ id: string; email: string }>(
        `select u.id, u.email from public.clinic_members m join auth.users u on u.id = m.user_id
          where m.clinic_id = $1 and m.role = 'owner' and m.active order by m.created_at, m.id limit 1`,
        [ID.clinicA],
      )
    ).rows[0]!;
    await tx.query('update public.profiles set phone = $2 where id = $1', [owner.id, ownerPhone]);
    return { key: `webhook_disabled:${w.id}:1`, email: owner.email };
  };
  /** The sweep's email steps up to the refusal; `bounced`: the 5xx recorded as a hard bounce. */
  const refusedEmail = async (tx: DbTx, key: string, email: string, bounced: boolean) => {
    const b = await as<{ notification_id: string }>(
      tx,
      ACTORS.service,
      `select public.notification_email_begin($1, $2, 'webhook_disabled', null, $3, 'Webhook', 'corps', null, 'fr') as r`,
      [ID.clinicA, key, email],
    );
    await as(tx, ACTORS.service, `select public.notification_email_settle($1, 'failed', null, $2) as r`, [
      b.notification_id,
      bounced ? '550 5.1.1 Recipient address rejected' : 'Connection timeout',
    ]);
    if (bounced)
      await as(tx, ACTORS.service, `select public.notification_email_bounced($1) as r`, [b.notification_id]);
    return b.notification_id;
  };

  it('a sweep stopped after the refused email: the next run owes the SMS under <key>:sms, once', () =>
    rolledBack(t.db, async (tx) => {
      const { key, email } = await disabledEndpoint(tx, '+212600000047');
      expect((await outbox(tx)).map((n) => [n.idempotency_key, n.channel])).toEqual([[key, 'email']]);
      await refusedEmail(tx, key, email, true);
      // the sweep died here: the next run owes the SMS to the owner's phone (before: nothing owed, never sent)
      expect(await outbox(tx)).toMatchObject([
        {
          idempotency_key: `${key}:sms`,
          channel: 'sms',
          email: null,
          phone: '+212600000047',
          fallback_phone: null,
          skip_reason: null,
        },
      ]);
      // the next run reserves (and sends) it under its key: owed no more, and a second reservation is a duplicate
      const reserve = `select public.sms_budget_reserve(p_clinic_id => $1, p_idempotency_key => $2,
                         p_kind => 'webhook_disabled', p_segments => 1, p_cost => 0.25) as r`;
      const first = await as<{ duplicate?: boolean }>(tx, ACTORS.service, reserve, [
        ID.clinicA,
        `${key}:sms`,
      ]);
      expect(first.duplicate ?? false).toBe(false);
      expect(await outbox(tx)).toEqual([]);
      const again = await as<{ duplicate?: boolean }>(tx, ACTORS.service, reserve, [
        ID.clinicA,
        `${key}:sms`,
      ]);
      expect(again.duplicate).toBe(true);
      const sms = await tx.query<{ n: number }>(
        `select count(*)::int as n from public.notifications where clinic_id = $1 and idempotency_key = $2`,
        [ID.clinicA, `${key}:sms`],
      );
      expect(sms.rows[0]?.n).toBe(1);
    }));

  it('an owner without a phone: the SMS owed is a recorded skip (no_phone); a timeout (no bounce) owes nothing', () =>
    rolledBack(t.db, async (tx) => {
      const { key, email } = await disabledEndpoint(tx, null);
      const mail = await refusedEmail(tx, key, email, false);
      expect(await outbox(tx)).toEqual([]); // the server may have taken it: no SMS, as before
      await as(tx, ACTORS.service, `select public.notification_email_bounced($1) as r`, [mail]);
      expect(await outbox(tx)).toMatchObject([
        { idempotency_key: `${key}:sms`, channel: null, phone: null, skip_reason: 'no_phone' },
      ]);
      await as(
        tx,
        ACTORS.service,
        `select public.notification_record_skip($1, $2, 'webhook_disabled', 'no_phone') as r`,
        [ID.clinicA, `${key}:sms`],
      );
      expect(await outbox(tx)).toEqual([]);
    }));

  it('only the server marks an owner notice’s email as bounced (no SMS to the owner on a staff member’s word)', () =>
    rolledBack(t.db, async (tx) => {
      const { key, email } = await disabledEndpoint(tx, '+212600000047');
      const mail = await refusedEmail(tx, key, email, false);
      // the service role's alone (20261217300001): no grant for the clinic's staff or another clinic's
      for (const actor of [ACTORS.ownerA, ACTORS.recepA, ACTORS.ownerB])
        expect(await refused(tx, actor, `select public.notification_email_bounced($1) as r`, [mail])).toMatch(
          /^42501 /,
        );
      expect(await outbox(tx)).toEqual([]);
    }));
});
