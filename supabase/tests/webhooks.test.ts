/**
 * Webhooks (issue 18, 20261206700001_webhooks.sql) on PGlite and PostgreSQL, with private.now() pinned:
 * an owner registers an endpoint (https only, no private/loopback address unless the deployment allows it),
 * each queue event of a kind it listens to writes exactly one delivery in the event's own transaction (none
 * for a rolled-back event, another kind, another clinic, a disabled endpoint), the sweep's claim leases it,
 * a failure is retried with backoff, 20 failures in a row disable the endpoint, the owner resends; RLS lets
 * only the clinic's owners/admins read endpoints and deliveries, and nobody but the database the secrets.
 * Every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError, DbTx } from '../local/db/types';
import { DB_KINDS } from './helpers/testDb';
import type { TestDb } from './helpers/testDb';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, localAt } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

interface Endpoint {
  id: string;
  secret: string;
  url: string;
  event_types: string[];
  enabled: boolean;
}
interface Claimed {
  delivery_id: string;
  endpoint_id: string;
  url: string;
  secret: string;
  attempt: number;
  event_id: number;
  event_type: string;
  body: string;
}

describe.each(DB_KINDS)('webhooks on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '08:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const create = (tx: DbTx, actor: Actor, url: string, types: string[], clinic: string = ID.clinicA) =>
    as<Endpoint>(
      tx,
      actor,
      `select public.create_webhook_endpoint(p_clinic_id => $1, p_url => $2, p_event_types => $3::text[]) as r`,
      [clinic, url, `{${types.join(',')}}`],
    );
  const createSql = `select public.create_webhook_endpoint(p_clinic_id => $1, p_url => $2, p_event_types => $3::text[]) as r`;
  const book = (tx: DbTx, days = 1, hhmm = '10:00') =>
    as<{ entry_id: string }>(
      tx,
      ACTORS.patientB,
      `select public.book_appointment(p_clinic_id => '${ID.clinicA}', p_appointment_type_id => '${ID.typeA}',
                                      p_slot_start => ${localAt(days, hhmm)}) as r`,
    );
  const deliveries = async (tx: DbTx, endpointId?: string) =>
    (
      await tx.query<{
        endpoint_id: string;
        event_id: string;
        event_type: string;
        type: string;
        status: string;
      }>(
        `select d.endpoint_id, d.event_id::text, d.event_type, e.type, d.status
           from public.webhook_deliveries d join public.queue_events e on e.id = d.event_id
          where $1::uuid is null or d.endpoint_id = $1::uuid order by d.event_id`,
        [endpointId ?? null],
      )
    ).rows;
  const claim = (tx: DbTx, limit = 20) =>
    as<Claimed[]>(
      tx,
      ACTORS.service,
      `select public.webhook_claim(p_limit => $1, p_lease_seconds => 60) as r`,
      [limit],
    );
  const record = (tx: DbTx, id: string, ok: boolean, status: number | null, error: string | null = null) =>
    as<{ status: string; attempts: number; next_attempt_at: string | null; endpoint_disabled: boolean }>(
      tx,
      ACTORS.service,
      `select public.webhook_record_attempt($1::uuid, $2, $3, $4) as r`,
      [id, ok, status, error],
    );
  const allowPrivate = (tx: DbTx) =>
    tx.query(`update private.webhook_settings set allow_private_urls = true`);
  const advance = (tx: DbTx, seconds: number) =>
    tx.query(`update private.pinned_clock set at = at + make_interval(secs => $1)`, [seconds]);

  it('an owner registers an https endpoint and gets its signing secret once; staff of the clinic, another clinic and anon cannot', async () => {
    await rolledBack(t.db, async (tx) => {
      const w = await create(tx, ACTORS.ownerA, 'https://hooks.example.com/queuemed', [
        'visit.booked',
        'patient.called',
        'visit.booked',
      ]);
      expect(w.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
      expect(w.event_types).toEqual(['patient.called', 'visit.booked']);
      expect(w.enabled).toBe(true);
      const args = [ID.clinicA, 'https://hooks.example.com/x', '{visit.booked}'];
      expect(await refused(tx, ACTORS.recepA, createSql, args)).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.ownerB, createSql, args)).toBe('PT403 AUTH.FORBIDDEN');
      expect(await refused(tx, ACTORS.anon, createSql, args)).toMatch(/^42501 /);
      // the secret is not in the table anyone reads, and the private table is closed to callers
      const seen = await as<Record<string, unknown>[]>(
        tx,
        ACTORS.ownerA,
        `select coalesce(jsonb_agg(to_jsonb(w)), '[]') as r from public.webhook_endpoints w`,
      );
      expect(seen).toHaveLength(1);
      expect(JSON.stringify(seen)).not.toContain(w.secret);
      expect(await refused(tx, ACTORS.ownerA, `select count(*) as r from private.webhook_secrets`)).toMatch(
        /^42501 /,
      );
    });
  });

  it('refuses plain http, malformed URLs, private/loopback/local addresses and unknown kinds — nothing written; the explicit setting allows a local receiver', async () => {
    await rolledBack(t.db, async (tx) => {
      const cases: [string, string[], string][] = [
        ['http://hooks.example.com/x', ['visit.booked'], 'PT422 WEBHOOK.URL_INVALID'],
        ['ftp://hooks.example.com/x', ['visit.booked'], 'PT422 WEBHOOK.URL_INVALID'],
        ['https://hooks example.com/x', ['visit.booked'], 'PT422 WEBHOOK.URL_INVALID'],
        ['https://user@hooks.example.com/x', ['visit.booked'], 'PT422 WEBHOOK.URL_INVALID'],
        ['https://127.0.0.1:8443/hook', ['visit.booked'], 'PT422 WEBHOOK.URL_PRIVATE'],
        ['https://10.2.3.4/hook', ['visit.booked'], 'PT422 WEBHOOK.URL_PRIVATE'],
        ['https://192.168.1.20/hook', ['visit.booked'], 'PT422 WEBHOOK.URL_PRIVATE'],
        ['https://169.254.169.254/latest', ['visit.booked'], 'PT422 WEBHOOK.URL_PRIVATE'],
        ['https://[::1]/hook', ['visit.booked'], 'PT422 WEBHOOK.URL_PRIVATE'],
        ['https://localhost/hook', ['visit.booked'], 'PT422 WEBHOOK.URL_PRIVATE'],
        ['https://printer.local/hook', ['visit.booked'], 'PT422 WEBHOOK.URL_PRIVATE'],
        ['https://intranet/hook', ['visit.booked'], 'PT422 WEBHOOK.URL_PRIVATE'],
        ['https://hooks.example.com/x', ['visit.exploded'], 'PT422 VALIDATION.FAILED'],
        ['https://hooks.example.com/x', [], 'PT422 VALIDATION.FAILED'],
      ];
      for (const [url, types, code] of cases)
        expect([
          url,
          await refused(tx, ACTORS.ownerA, createSql, [ID.clinicA, url, `{${types.join(',')}}`]),
        ]).toEqual([url, code]);
      expect((await tx.query(`select 1 from public.webhook_endpoints`)).rows).toEqual([]);
      // a public address is fine
      await create(tx, ACTORS.ownerA, 'https://203.0.113.9:8443/hook?x=1', ['day.ended']);
      await allowPrivate(tx);
      const local = await create(tx, ACTORS.ownerA, 'http://127.0.0.1:54633/hook', ['visit.booked']);
      expect(local.url).toBe('http://127.0.0.1:54633/hook');
    });
  });

  it('the outbox: one delivery per listening endpoint and event, in the event’s transaction — none for another kind, another clinic, a disabled endpoint, or a rolled-back event', async () => {
    await rolledBack(t.db, async (tx) => {
      const both = await create(tx, ACTORS.ownerA, 'https://a.example.com/h', [
        'visit.booked',
        'visit.cancelled',
      ]);
      const called = await create(tx, ACTORS.ownerA, 'https://b.example.com/h', ['patient.called']);
      const off = await create(tx, ACTORS.ownerA, 'https://c.example.com/h', ['visit.booked']);
      await as(tx, ACTORS.ownerA, `select public.set_webhook_endpoint_enabled($1::uuid, false) as r`, [
        off.id,
      ]);
      const other = await create(tx, ACTORS.ownerB, 'https://d.example.com/h', ['visit.booked'], ID.clinicB);

      // a booking whose transaction fails leaves no delivery
      await tx.query('savepoint doomed');
      await book(tx, 1, '10:00');
      expect(await deliveries(tx)).toHaveLength(1);
      await tx.query('rollback to savepoint doomed');
      expect(await deliveries(tx)).toEqual([]);

      const booked = await book(tx, 1, '10:00');
      const events = await tx.query<{ id: string; type: string }>(
        `select id::text, type from public.queue_events where entry_id = $1 order by id`,
        [booked.entry_id],
      );
      expect(events.rows.map((e) => e.type)).toEqual(['EntryScheduled']);
      expect(await deliveries(tx)).toEqual([
        {
          endpoint_id: both.id,
          event_id: events.rows[0]!.id,
          event_type: 'visit.booked',
          type: 'EntryScheduled',
          status: 'pending',
        },
      ]);
      await as(tx, ACTORS.patientB, `select public.cancel_appointment($1::uuid) as r`, [booked.entry_id]);
      const all = await deliveries(tx);
      expect(all.map((d) => [d.endpoint_id, d.event_type])).toEqual([
        [both.id, 'visit.booked'],
        [both.id, 'visit.cancelled'],
      ]);
      expect(await deliveries(tx, called.id)).toEqual([]);
      expect(await deliveries(tx, off.id)).toEqual([]);
      expect(await deliveries(tx, other.id)).toEqual([]);
      // the same event can never owe one endpoint twice
      await tx.query('savepoint twice');
      const dup = await tx
        .query(
          `insert into public.webhook_deliveries (endpoint_id, clinic_id, event_id, event_type, next_attempt_at)
           values ($1, $2, $3, 'visit.booked', now())`,
          [both.id, ID.clinicA, events.rows[0]!.id],
        )
        .then(
          () => 'inserted',
          (e: DbError) => e.code,
        );
      await tx.query('rollback to savepoint twice');
      expect(dup).toBe('23505');
    });
  });

  it('the sweep claims a due delivery once (leased), with the exact body to sign; failures back off, success settles, resend re-arms', async () => {
    await rolledBack(t.db, async (tx) => {
      const w = await create(tx, ACTORS.ownerA, 'https://a.example.com/h', ['visit.booked']);
      const booked = await book(tx);
      const [c, ...rest] = await claim(tx);
      expect(rest).toEqual([]);
      expect(c).toMatchObject({
        endpoint_id: w.id,
        url: 'https://a.example.com/h',
        secret: w.secret,
        attempt: 1,
      });
      const body = JSON.parse(c!.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        id: `evt_${c!.event_id}`,
        type: 'visit.booked',
        clinic_id: ID.clinicA,
        data: { entry_id: booked.entry_id, event: 'EntryScheduled' },
      });
      // no name or phone number travels
      expect(c!.body).not.toMatch(/Bruno|\+2126/);
      // leased: a second sweep gets nothing
      expect(await claim(tx)).toEqual([]);
      expect(await refused(tx, ACTORS.ownerA, `select public.webhook_claim() as r`)).toMatch(/^42501 /);

      const f1 = await record(tx, c!.delivery_id, false, 500);
      expect(f1).toMatchObject({ status: 'pending', attempts: 1, endpoint_disabled: false });
      const now = async () =>
        new Date((await tx.query<{ n: string }>(`select private.now() as n`)).rows[0]!.n);
      expect(new Date(f1.next_attempt_at!).getTime() - (await now()).getTime()).toBe(30_000);
      expect(await claim(tx)).toEqual([]); // not due yet
      await advance(tx, 30);
      const [again] = await claim(tx);
      expect(again).toMatchObject({ delivery_id: c!.delivery_id, attempt: 2, body: c!.body });
      const f2 = await record(tx, again!.delivery_id, false, null, 'connect ECONNREFUSED');
      expect(new Date(f2.next_attempt_at!).getTime() - (await now()).getTime()).toBe(120_000);
      await advance(tx, 120);
      const [third] = await claim(tx);
      expect(await record(tx, third!.delivery_id, true, 204)).toMatchObject({
        status: 'delivered',
        attempts: 3,
      });
      // a late second report changes nothing
      expect(await record(tx, third!.delivery_id, false, 500)).toMatchObject({
        status: 'delivered',
        attempts: 3,
      });
      const log = await as<{ status: string; attempts: number; last_status_code: number }[]>(
        tx,
        ACTORS.ownerA,
        `select jsonb_agg(jsonb_build_object('status', status, 'attempts', attempts, 'last_status_code', last_status_code)) as r
           from public.webhook_deliveries`,
      );
      expect(log).toEqual([{ status: 'delivered', attempts: 3, last_status_code: 204 }]);
      // the owner resends it: due now, sent again
      await as(tx, ACTORS.ownerA, `select public.resend_webhook_delivery($1::uuid) as r`, [c!.delivery_id]);
      expect((await claim(tx)).map((x) => x.delivery_id)).toEqual([c!.delivery_id]);
      expect(
        await refused(tx, ACTORS.ownerB, `select public.resend_webhook_delivery($1::uuid) as r`, [
          c!.delivery_id,
        ]),
      ).toBe('PT404 NOT_FOUND');
    });
  });

  it('an endpoint disabled for failing owes its owner one webhook_disabled notice in the outbox (their email, else phone, else a skip); recorded once, again only after a re-enable; the service role only', async () => {
    await rolledBack(t.db, async (tx) => {
      const w = await create(tx, ACTORS.ownerA, 'https://a.example.com/h', ['visit.booked']);
      type Notice = {
        endpoint_id: string;
        disables: number;
        kind: string;
        idempotency_key: string;
        channel: string | null;
        email: string | null;
        phone: string | null;
        fallback_phone: string | null;
        language: string;
        template: string;
        values: Record<string, string>;
        skip_reason: string | null;
      };
      const outbox = () => as<Notice[]>(tx, ACTORS.service, `select public.webhook_notice_outbox(20) as r`);
      const failTwenty = async () => {
        await tx.query(`update public.webhook_endpoints set consecutive_failures = 19 where id = $1`, [w.id]);
        await tx.query(
          `update public.webhook_deliveries set next_attempt_at = private.now(), locked_until = null`,
        );
        const [d] = await claim(tx);
        expect((await record(tx, d!.delivery_id, false, 500)).endpoint_disabled).toBe(true);
      };
      const emailBegin = (actor: Actor, key: string, to: string) =>
        as<{ notification_id: string; duplicate: boolean }>(
          tx,
          actor,
          `select public.notification_email_begin($1, $2, 'webhook_disabled', null, $3, 'Webhook', 'corps', null, 'fr') as r`,
          [ID.clinicA, key, to],
        );
      // still enabled: nothing owed
      expect(await outbox()).toEqual([]);
      await book(tx, 1, '10:00');
      await failTwenty();
      const owner = (
        await tx.query<{ email: string; lang: string }>(
          `select u.email, coalesce(pr.preferred_language, c.default_language)::text as lang
             from public.clinic_members m join auth.users u on u.id = m.user_id
             join public.clinics c on c.id = m.clinic_id left join public.profiles pr on pr.id = m.user_id
            where m.clinic_id = $1 and m.role = 'owner' and m.active order by m.created_at, m.id limit 1`,
          [ID.clinicA],
        )
      ).rows[0]!;
      const key1 = `webhook_disabled:${w.id}:1`;
      const [n] = await outbox();
      expect(n).toMatchObject({
        endpoint_id: w.id,
        disables: 1,
        kind: 'webhook_disabled',
        idempotency_key: key1,
        channel: 'email',
        email: owner.email,
        phone: null,
        language: owner.lang,
        values: { webhook_url: 'https://a.example.com/h', failures: '20' },
        skip_reason: null,
      });
      const builtin = (
        await tx.query<{ body: string }>(
          `select body from public.notification_templates
            where clinic_id is null and kind = 'webhook_disabled' and language = $1`,
          [owner.lang],
        )
      ).rows[0]!.body;
      expect(n!.template).toBe(builtin);
      expect(n!.template).toContain('{webhook_url}');
      // issue 18: by email, the owner's phone comes along for the SMS in place of an email refused for good
      await tx.query(
        `update public.profiles set phone = '+212600000047'
          where id = (select user_id from public.clinic_members where clinic_id = $1 and role = 'owner' and active
                       order by created_at, id limit 1)`,
        [ID.clinicA],
      );
      expect((await outbox())[0]).toMatchObject({
        idempotency_key: key1,
        channel: 'email',
        email: owner.email,
        phone: null,
        fallback_phone: '+212600000047',
      });

      // nobody but the service role lists it, records it, or takes its key first (the message log's writers have
      // no grant for staff since sms17: 42501)
      expect(await refused(tx, ACTORS.ownerA, `select public.webhook_notice_outbox(20) as r`)).toMatch(
        /^42501 |AUTH.FORBIDDEN/,
      );
      expect(
        await refused(
          tx,
          ACTORS.ownerA,
          `select public.notification_record_skip($1, $2, 'webhook_disabled', 'no_phone') as r`,
          [ID.clinicA, key1],
        ),
      ).toMatch(/^42501 permission denied/);
      expect(
        await refused(
          tx,
          ACTORS.ownerA,
          `select public.notification_email_begin($1, $2, 'webhook_disabled', null, $3, 'Webhook', 'corps', null, 'fr') as r`,
          [ID.clinicA, key1, owner.email],
        ),
      ).toMatch(/^42501 permission denied/);
      expect(
        await refused(
          tx,
          ACTORS.ownerA,
          `select public.sms_budget_reserve(p_clinic_id => $1, p_idempotency_key => $2, p_kind => 'webhook_disabled', p_segments => 1, p_cost => 0.25) as r`,
          [ID.clinicA, key1],
        ),
      ).toMatch(/^42501 permission denied/);
      // … nor under its key with another kind (a skip or a reserve would stand in for the notice: the outbox
      // owes nothing once a row holds the key)
      for (const kind of ['almost_turn', 'your_turn']) {
        expect(
          await refused(
            tx,
            ACTORS.ownerA,
            `select public.notification_record_skip($1, $2, $3::public.notification_kind, 'no_phone') as r`,
            [ID.clinicA, key1, kind],
          ),
        ).toMatch(/^42501 permission denied/);
        expect(
          await refused(
            tx,
            ACTORS.recepA,
            `select public.sms_budget_reserve(p_clinic_id => $1, p_idempotency_key => $2, p_kind => $3::public.notification_kind, p_segments => 1, p_cost => 0.25) as r`,
            [ID.clinicA, key1, kind],
          ),
        ).toMatch(/^42501 permission denied/);
      }
      expect((await outbox()).map((o) => o.idempotency_key)).toEqual([key1]);
      // the service role: only to the owner's own address, and without a visit only for this kind
      expect(
        await refused(
          tx,
          ACTORS.service,
          `select public.notification_email_begin($1, $2, 'webhook_disabled', null, $3, 'Webhook', 'corps', null, 'fr') as r`,
          [ID.clinicA, key1, 'someone@else.test'],
        ),
      ).toMatch(/PT409/);
      expect(
        await refused(
          tx,
          ACTORS.service,
          `select public.notification_email_begin($1, 'x:1', 'your_turn', null, $2, 'S', 'B') as r`,
          [ID.clinicA, owner.email],
        ),
      ).toMatch(/PT422/);

      // recorded once under its key: a second sweep (or one running at the same time) finds nothing owed,
      // and a second begin with the key is a duplicate
      const first = await emailBegin(ACTORS.service, key1, owner.email.toUpperCase());
      expect(first.duplicate).toBe(false);
      expect(await outbox()).toEqual([]);
      expect((await emailBegin(ACTORS.service, key1, owner.email)).duplicate).toBe(true);
      const logged = await tx.query<{ n: number; entry: string | null; channel: string }>(
        `select count(*)::int as n, max(entry_id::text) as entry, max(channel::text) as channel
           from public.notifications where clinic_id = $1 and idempotency_key = $2 and kind = 'webhook_disabled'`,
        [ID.clinicA, key1],
      );
      expect(logged.rows[0]).toEqual({ n: 1, entry: null, channel: 'email' });
      expect(
        await as<boolean>(tx, ACTORS.service, `select public.webhook_notice_done($1::uuid, 1) as r`, [w.id]),
      ).toBe(true);
      expect(
        await as<boolean>(tx, ACTORS.service, `select public.webhook_notice_done($1::uuid, 1) as r`, [w.id]),
      ).toBe(false);

      // switched back on and failing again: a new notice (a new key); the URL's secrets are never in it
      await as(tx, ACTORS.ownerA, `select public.set_webhook_endpoint_enabled($1::uuid, true) as r`, [w.id]);
      expect(await outbox()).toEqual([]);
      await tx.query(
        `update public.webhook_endpoints set url = 'https://user:pw@a.example.com/h/x?token=s3cret#frag' where id = $1`,
        [w.id],
      );
      await failTwenty();
      const [n2] = await outbox();
      expect(n2).toMatchObject({
        idempotency_key: `webhook_disabled:${w.id}:2`,
        values: { webhook_url: 'https://a.example.com/h/x' },
      });
      // an owner without an email: SMS to their profile's phone; without either: a recorded skip
      await tx.query(
        `update auth.users set email = null where id = (select m.user_id from public.clinic_members m
            where m.clinic_id = $1 and m.role = 'owner' and m.active order by m.created_at, m.id limit 1)`,
        [ID.clinicA],
      );
      await tx.query(
        `update public.profiles set phone = '+212600000024' where id = (select m.user_id from public.clinic_members m
            where m.clinic_id = $1 and m.role = 'owner' and m.active order by m.created_at, m.id limit 1)`,
        [ID.clinicA],
      );
      expect((await outbox())[0]).toMatchObject({ channel: 'sms', email: null, phone: '+212600000024' });
      await tx.query(
        `update public.profiles set phone = null where id = (select m.user_id from public.clinic_members m
            where m.clinic_id = $1 and m.role = 'owner' and m.active order by m.created_at, m.id limit 1)`,
        [ID.clinicA],
      );
      expect((await outbox())[0]).toMatchObject({ channel: null, phone: null, skip_reason: 'no_phone' });
      // switched off by the owner: not a failure, nothing owed
      await as(tx, ACTORS.ownerA, `select public.set_webhook_endpoint_enabled($1::uuid, true) as r`, [w.id]);
      await as(tx, ACTORS.ownerA, `select public.set_webhook_endpoint_enabled($1::uuid, false) as r`, [w.id]);
      expect(await outbox()).toEqual([]);
    });
  });

  it('after 8 failed attempts a delivery is failed; 20 failures in a row disable the endpoint (the owner sees why) and re-enabling resets them', async () => {
    await rolledBack(t.db, async (tx) => {
      const w = await create(tx, ACTORS.ownerA, 'https://a.example.com/h', ['visit.booked']);
      await book(tx, 1, '10:00');
      const [d] = await claim(tx);
      let last = await record(tx, d!.delivery_id, false, 503);
      for (let i = 1; i < 8; i++) {
        await tx.query(
          `update public.webhook_deliveries set next_attempt_at = private.now(), locked_until = null`,
        );
        last = await record(tx, d!.delivery_id, false, 503);
      }
      expect(last).toMatchObject({ status: 'failed', attempts: 8, next_attempt_at: null });
      expect(await claim(tx)).toEqual([]);
      await tx.query(`update public.webhook_endpoints set consecutive_failures = 18 where id = $1`, [w.id]);
      await book(tx, 2, '10:20');
      const [d2] = await claim(tx);
      expect((await record(tx, d2!.delivery_id, false, 500)).endpoint_disabled).toBe(false);
      await tx.query(`update public.webhook_deliveries set next_attempt_at = private.now() where id = $1`, [
        d2!.delivery_id,
      ]);
      expect((await claim(tx)).length).toBe(1);
      expect((await record(tx, d2!.delivery_id, false, 500)).endpoint_disabled).toBe(true);
      const seen = await as<{ enabled: boolean; disabled_reason: string }>(
        tx,
        ACTORS.ownerA,
        `select to_jsonb(w) as r from public.webhook_endpoints w where id = '${w.id}'`,
      );
      expect(seen).toMatchObject({ enabled: false, disabled_reason: 'failing' });
      // disabled: its pending deliveries are not claimed and new events owe it nothing
      await tx.query(`update public.webhook_deliveries set next_attempt_at = private.now() where id = $1`, [
        d2!.delivery_id,
      ]);
      expect(await claim(tx)).toEqual([]);
      await as(
        tx,
        ACTORS.recepA,
        `select public.staff_book_appointment(p_clinic_id => '${ID.clinicA}', p_patient_id => '${ID.walkInA}',
                 p_appointment_type_id => '${ID.typeA}', p_slot_start => ${localAt(1, '10:40')}) as r`,
      );
      expect(
        (await tx.query(`select count(*)::int as n from public.queue_events where type = 'EntryScheduled'`))
          .rows[0]!.n,
      ).toBeGreaterThanOrEqual(3);
      expect((await deliveries(tx, w.id)).length).toBe(2);
      const back = await as<{ enabled: boolean; consecutive_failures: number; disabled_reason: null }>(
        tx,
        ACTORS.ownerA,
        `select public.set_webhook_endpoint_enabled($1::uuid, true) as r`,
        [w.id],
      );
      expect(back).toMatchObject({ enabled: true, consecutive_failures: 0, disabled_reason: null });
      expect((await claim(tx)).map((x) => x.delivery_id)).toEqual([d2!.delivery_id]);
    });
  });

  it('RLS: only the clinic’s owners/admins read endpoints and deliveries; nobody writes them directly; delete takes the deliveries along', async () => {
    await rolledBack(t.db, async (tx) => {
      const w = await create(tx, ACTORS.ownerA, 'https://a.example.com/h', ['visit.booked']);
      await book(tx);
      const count = (actor: Actor, table: string) =>
        as<number>(tx, actor, `select count(*)::int as r from public.${table}`);
      for (const table of ['webhook_endpoints', 'webhook_deliveries']) {
        expect([table, await count(ACTORS.ownerA, table)]).toEqual([table, 1]);
        for (const actor of [ACTORS.recepA, ACTORS.practA, ACTORS.ownerB, ACTORS.patientB])
          expect([table, actor.name, await count(actor, table)]).toEqual([table, actor.name, 0]);
      }
      expect(
        await refused(
          tx,
          ACTORS.ownerA,
          `update public.webhook_endpoints set url = 'https://evil.example.com' returning 1 as r`,
        ),
      ).toMatch(/^42501 /);
      expect(
        await refused(tx, ACTORS.recepA, `select public.delete_webhook_endpoint($1::uuid) as r`, [w.id]),
      ).toBe('PT404 NOT_FOUND');
      await as(tx, ACTORS.ownerA, `select public.delete_webhook_endpoint($1::uuid) as r`, [w.id]);
      expect(await count(ACTORS.ownerA, 'webhook_deliveries')).toBe(0);
      expect((await tx.query(`select 1 from private.webhook_secrets`)).rows).toEqual([]);
    });
  });
});
