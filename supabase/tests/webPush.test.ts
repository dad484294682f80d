/**
 * Issue 20, web push in the database: a visit's push subscriptions are reached only through its tracking link (or
 * its own patient's account) — another visit's link, another clinic's staff, nobody else; the sender's begin lists
 * them for the near/called kinds only and records the push at cost 0 outside the budget; a push that failed falls
 * back to SMS once; an endpoint the push service answered 404/410 for is removed. On PGlite and PostgreSQL, the
 * clock pinned; every case is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openOutboxWorld } from './helpers/outbox';
import type { OutboxWorld } from './helpers/outbox';
import type { Actor } from './helpers/sql';
import { ACTORS, ID, TOKENS } from './helpers/world';

const P256DH = `B${'x'.repeat(86)}`;
const AUTH = 'y'.repeat(22);
const endpoint = (n: number | string) => `https://push.example.com/send/${n}`;

interface Begin {
  mode: 'none' | 'push';
  notification_id?: string;
  status?: string;
  duplicate?: boolean;
  targets?: number;
}
type Target = { id: string; endpoint: string; p256dh: string; auth: string };

describe.each(DB_KINDS)('web push on %s', (kind) => {
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
      // the coded error: the code is the message, the sentence its detail
      const detail = (e as { detail?: unknown }).detail;
      return `${e instanceof Error ? e.message : String(e)} ${typeof detail === 'string' ? detail : ''}`;
    }
    throw new Error('expected an error');
  };
  const subscribe = (tx: DbTx, token: string, ep: string, actor: Actor = ACTORS.anon) =>
    as<{ entry_id: string; subscribed: boolean; subscriptions: number }>(
      tx,
      actor,
      `select public.push_subscribe(p_endpoint => $1, p_p256dh => $2, p_auth => $3, p_tracking_token => $4) as r`,
      [ep, P256DH, AUTH, token],
    );
  const stored = async (tx: DbTx, entryId: string) =>
    (
      await tx.query<{ endpoint: string }>(
        `select endpoint from public.push_subscriptions where entry_id = $1 order by endpoint`,
        [entryId],
      )
    ).rows.map((r) => r.endpoint);
  const begin = (tx: DbTx, key: string, kindName = 'your_turn', actor: Actor = ACTORS.service) =>
    as<Begin>(
      tx,
      actor,
      `select public.notification_push_begin($1, $2, $3::public.notification_kind, $4, 'C''est votre tour') as r`,
      [ID.clinicA, key, kindName, ID.entryA],
    );
  const targets = (tx: DbTx, notificationId: string, actor: Actor = ACTORS.service) =>
    as<Target[]>(tx, actor, `select public.notification_push_targets($1) as r`, [notificationId]);
  const budget = async (tx: DbTx) =>
    (
      await tx.query<{ n: number }>(
        `select coalesce(sum(reserved_count + spent_count), 0)::int as n from public.sms_budgets where clinic_id = $1`,
        [ID.clinicA],
      )
    ).rows[0]!.n;

  it('push subscription by link: the visit behind the link only, from anyone holding it', async () => {
    await w.rolledBack(async (tx) => {
      expect(await subscribe(tx, TOKENS.trackingA, endpoint(1))).toMatchObject({
        entry_id: ID.entryA,
        subscribed: true,
        subscriptions: 1,
      });
      // the same browser again: its keys replaced, not a second row
      expect(await subscribe(tx, TOKENS.trackingA, endpoint(1))).toMatchObject({ subscriptions: 1 });
      expect(await stored(tx, ID.entryA)).toEqual([endpoint(1)]);
      // another visit's link subscribes that visit, never this one
      const other = await w.bookOnline(tx);
      await subscribe(tx, other.tracking_token, endpoint(2));
      expect(await stored(tx, ID.entryA)).toEqual([endpoint(1)]);
      expect(await stored(tx, other.entry_id)).toEqual([endpoint(2)]);
      // a made-up link, no link
      expect(await refused(tx, () => subscribe(tx, 'not-a-real-tracking-token-000000', endpoint(3)))).toMatch(
        /visit not found/,
      );
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.anon, `select public.push_subscribe($1, $2, $3) as r`, [endpoint(3), P256DH, AUTH]),
        ),
      ).toMatch(/p_tracking_token or p_entry_id is required/);
      // nobody reads or writes the table directly (no grant): the endpoints are not anyone's to list
      for (const actor of [ACTORS.anon, ACTORS.patientA, ACTORS.recepA, ACTORS.ownerA])
        expect(
          await refused(tx, () => as(tx, actor, `select count(*) as r from public.push_subscriptions`)),
        ).toMatch(/permission denied/);
    });
  });

  it('push subscription by account: only the visit of the patient signed in', async () => {
    await w.rolledBack(async (tx) => {
      const byId = (actor: Actor) =>
        as(tx, actor, `select public.push_subscribe($1, $2, $3, p_entry_id => $4) as r`, [
          endpoint('own'),
          P256DH,
          AUTH,
          ID.entryA,
        ]);
      for (const actor of [ACTORS.anon, ACTORS.patientB, ACTORS.recepA, ACTORS.ownerB])
        expect(await refused(tx, () => byId(actor))).toMatch(/visit not found/);
      await byId(ACTORS.patientA);
      expect(await stored(tx, ID.entryA)).toEqual([endpoint('own')]);
      // revoked by the same account
      expect(
        await as(tx, ACTORS.patientA, `select public.push_unsubscribe(p_entry_id => $1) as r`, [ID.entryA]),
      ).toMatchObject({ removed: 1 });
      expect(await stored(tx, ID.entryA)).toEqual([]);
    });
  });

  it('push subscription refuses malformed input and a visit that is over, and keeps at most 5', async () => {
    await w.rolledBack(async (tx) => {
      const bad = (ep: string, p256dh: string, auth: string) =>
        refused(tx, () =>
          as(tx, ACTORS.anon, `select public.push_subscribe($1, $2, $3, $4) as r`, [
            ep,
            p256dh,
            auth,
            TOKENS.trackingA,
          ]),
        );
      for (const [ep, p, a] of [
        ['javascript:alert(1)', P256DH, AUTH],
        ['ftp://push.example.com/x', P256DH, AUTH],
        ['https://push.example.com/a b', P256DH, AUTH],
        [`https://push.example.com/${'x'.repeat(1000)}`, P256DH, AUTH],
        [endpoint(1), 'short', AUTH],
        [endpoint(1), `A${'x'.repeat(86)}`, AUTH],
        [endpoint(1), P256DH, 'y'.repeat(21)],
        [endpoint(1), P256DH, 'y/'.repeat(11)],
      ] as const)
        expect(await bad(ep, p, a)).toMatch(/VALIDATION.FAILED|needs an endpoint/);
      expect(await stored(tx, ID.entryA)).toEqual([]);
      for (let i = 1; i <= 7; i++) {
        await subscribe(tx, TOKENS.trackingA, endpoint(i));
        await tx.query(`update private.pinned_clock set at = at + interval '1 second'`);
      }
      expect(await stored(tx, ID.entryA)).toEqual([3, 4, 5, 6, 7].map(endpoint));
      await tx.query(
        `update public.queue_entries set status = 'cancelled', cancelled_at = now() where id = $1`,
        [ID.entryA],
      );
      expect(await refused(tx, () => subscribe(tx, TOKENS.trackingA, endpoint(9)))).toMatch(
        /this visit is over/,
      );
    });
  });

  it('push revoke: by the link, one browser or all, idempotent', async () => {
    await w.rolledBack(async (tx) => {
      await subscribe(tx, TOKENS.trackingA, endpoint(1));
      await subscribe(tx, TOKENS.trackingA, endpoint(2));
      const revoke = (ep: string | null) =>
        as<{ removed: number }>(tx, ACTORS.anon, `select public.push_unsubscribe($1, $2) as r`, [
          ep,
          TOKENS.trackingA,
        ]);
      expect(await revoke(endpoint(1))).toMatchObject({ removed: 1 });
      expect(await revoke(endpoint(1))).toMatchObject({ removed: 0 });
      expect(await stored(tx, ID.entryA)).toEqual([endpoint(2)]);
      expect(await revoke(null)).toMatchObject({ removed: 1 });
      expect(await stored(tx, ID.entryA)).toEqual([]);
    });
  });

  it('push channel: near and called kinds go by push when subscribed, at cost 0 outside the budget', async () => {
    await w.rolledBack(async (tx) => {
      // no subscription: nothing recorded, the sender goes on with the visit's route
      expect(await begin(tx, 'p0')).toEqual({ mode: 'none' });
      await subscribe(tx, TOKENS.trackingA, endpoint(1));
      // not a push kind
      expect(await begin(tx, 'p1', 'marked_absent')).toEqual({ mode: 'none' });
      const before = await budget(tx);
      const b = await begin(tx, 'p2', 'almost_turn');
      expect(b).toMatchObject({ mode: 'push', status: 'queued', duplicate: false, targets: 1 });
      // the endpoints and keys: the server's only (notification_push_targets, service role)
      expect(await targets(tx, b.notification_id!)).toEqual([
        { id: expect.any(String), endpoint: endpoint(1), p256dh: P256DH, auth: AUTH },
      ]);
      // the same key: a duplicate, nothing to send again
      expect(await begin(tx, 'p2', 'almost_turn')).toMatchObject({
        mode: 'push',
        duplicate: true,
        targets: 0,
      });
      await as(tx, ACTORS.service, `select public.notification_push_settle($1, 'sent', null, 1) as r`, [
        b.notification_id,
      ]);
      const row = (
        await tx.query<{
          channel: string;
          status: string;
          cost: string;
          segments: number;
          reserved: boolean;
        }>(`select channel, status, cost::text, segments, reserved from public.notifications where id = $1`, [
          b.notification_id,
        ])
      ).rows[0];
      expect(row).toEqual({ channel: 'push', status: 'sent', cost: '0.0000', segments: 0, reserved: false });
      expect(await budget(tx)).toBe(before);
      // settled once only
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.service, `select public.notification_push_settle($1, 'failed') as r`, [
            b.notification_id,
          ]),
        ),
      ).toMatch(/not a push waiting/);
      // only the server records a push (sms17: a receptionist's begin carried free text the sweep then sent):
      // no staff of clinic A or another clinic, no patient has the grant
      for (const actor of [ACTORS.recepA, ACTORS.ownerA, ACTORS.ownerB, ACTORS.patientA])
        expect(await refused(tx, () => begin(tx, 'p3', 'your_turn', actor)), actor.name).toMatch(
          /permission denied/,
        );
    });
  });

  it('push fallback: a failed push falls back to SMS once; a 404/410 endpoint is removed', async () => {
    await w.rolledBack(async (tx) => {
      await subscribe(tx, TOKENS.trackingA, endpoint(1));
      const b = await begin(tx, 'f1');
      const sub = (await targets(tx, b.notification_id!))[0]!;
      // the push service answered 410: the sender (the server) removes it; no staff can, not even the clinic's
      for (const actor of [ACTORS.ownerB, ACTORS.ownerA])
        expect(
          await refused(tx, () => as(tx, actor, `select public.push_subscription_gone($1) as r`, [sub.id])),
        ).toMatch(/permission denied/);
      expect(await as(tx, ACTORS.service, `select public.push_subscription_gone($1) as r`, [sub.id])).toEqual(
        {
          removed: true,
        },
      );
      expect(await stored(tx, ID.entryA)).toEqual([]);
      await as(
        tx,
        ACTORS.service,
        `select public.notification_push_settle($1, 'failed', 'push: 410 Gone') as r`,
        [b.notification_id],
      );
      const fb = (key: string) =>
        as<{ phone: string | null; duplicate: boolean; reserved: boolean }>(
          tx,
          ACTORS.service,
          `select public.notification_sms_fallback($1, 1, 0.25, null) as r`,
          [key],
        );
      const first = await fb(b.notification_id!);
      expect(first).toMatchObject({ duplicate: false, reserved: true, fallback_of: b.notification_id });
      expect(first.phone).toMatch(/^\+212/);
      expect(await fb(b.notification_id!)).toMatchObject({ duplicate: true, reserved: false });
      const rows = (
        await tx.query<{
          channel: string;
          idempotency_key: string;
          body: string;
          fallback_of: string | null;
        }>(
          `select channel, idempotency_key, body, fallback_of from public.notifications
            where idempotency_key like 'f1%' order by idempotency_key`,
        )
      ).rows;
      expect(rows).toEqual([
        { channel: 'push', idempotency_key: 'f1', body: "C'est votre tour", fallback_of: null },
        {
          channel: 'sms',
          idempotency_key: 'f1:sms',
          body: "C'est votre tour",
          fallback_of: b.notification_id,
        },
      ]);
      // next time the visit has no subscription: no push, the route decides (SMS)
      expect(await begin(tx, 'f2')).toEqual({ mode: 'none' });
    });
  });
  it('push endpoints: only the server reads them — no staff, other clinic, patient or anon', async () => {
    await w.rolledBack(async (tx) => {
      await subscribe(tx, TOKENS.trackingA, endpoint('secret-1'));
      const leaks = (x: unknown) => {
        const j = JSON.stringify(x);
        return j.includes('secret-1') || j.includes(P256DH) || j.includes(AUTH);
      };
      // the server records the push (staff's send-sms does it with the service key, sms17) and the answer
      // carries no endpoint or key
      let pushId = '';
      for (const [i, actor] of [ACTORS.service].entries()) {
        const b = await begin(tx, `leak-${i}`, 'your_turn', actor);
        expect(b).toMatchObject({ mode: 'push', duplicate: false, targets: 1 });
        expect(leaks(b)).toBe(false);
        expect(leaks(await begin(tx, `leak-${i}`, 'your_turn', actor))).toBe(false); // the duplicate answer
        pushId = b.notification_id!;
      }
      // the endpoints and keys: the service role only; everyone else has no grant (42501), whatever clinic
      for (const actor of [
        ACTORS.recepA,
        ACTORS.practA,
        ACTORS.ownerA,
        ACTORS.ownerB,
        ACTORS.patientA,
        ACTORS.anon,
      ])
        expect(await refused(tx, () => targets(tx, pushId, actor)), actor.name).toMatch(/permission denied/);
      // nor the table itself
      for (const actor of [ACTORS.recepA, ACTORS.ownerA, ACTORS.patientA, ACTORS.anon])
        expect(
          await refused(tx, () => as(tx, actor, `select count(*) as r from public.push_subscriptions`)),
          actor.name,
        ).toMatch(/permission denied/);
      const t = await targets(tx, pushId);
      expect(t.map((x) => x.endpoint)).toEqual([endpoint('secret-1')]);
      // only while the push waits for its outcome
      await as(tx, ACTORS.service, `select public.notification_push_settle($1, 'sent', null, 1) as r`, [
        pushId,
      ]);
      expect(await refused(tx, () => targets(tx, pushId))).toMatch(/not a push waiting/);
      expect(await refused(tx, () => targets(tx, ID.notificationA))).toMatch(/not a push waiting/);
    });
  });

  const clock = (tx: DbTx, seconds: number) =>
    tx.query(`update private.pinned_clock set at = at + make_interval(secs => $1)`, [seconds]);
  const defer = (tx: DbTx, id: string, retryAfter: number | null, actor: Actor = ACTORS.service) =>
    as<{ deferred: boolean; attempts: number; retry_at: string | null }>(
      tx,
      actor,
      `select public.notification_push_defer($1, 'push service answered 503', $2) as r`,
      [id, retryAfter],
    );
  interface Due {
    notification_id: string;
    attempts: number;
    body: string;
    kind: string;
    idempotency_key: string;
    tracking_token: string | null;
    subscriptions: Target[];
  }
  const due = (tx: DbTx, actor: Actor = ACTORS.service) =>
    as<Due[]>(tx, actor, `select public.notification_push_retry_due(10) as r`);
  const retryAt = async (tx: DbTx, id: string) =>
    (
      await tx.query<{ s: number }>(
        `select extract(epoch from retry_at - private.now())::int as s from public.notifications where id = $1`,
        [id],
      )
    ).rows[0]!.s;

  it('push retry: a busy push service is tried again by the sweep with backoff, 3 tries at most', async () => {
    await w.rolledBack(async (tx) => {
      await subscribe(tx, TOKENS.trackingA, endpoint(7));
      const b = await begin(tx, 'r1', 'your_turn');
      // first try answered 503 (by the staff's send-sms, with the service key): due again in 30 s, the try and
      // reason recorded; a receptionist's own token can't defer it (sms17: the sweep would send its stored text)
      expect(await refused(tx, () => defer(tx, b.notification_id!, null, ACTORS.recepA))).toMatch(
        /permission denied/,
      );
      expect(await defer(tx, b.notification_id!, null)).toMatchObject({
        deferred: true,
        attempts: 1,
      });
      expect(await retryAt(tx, b.notification_id!)).toBe(30);
      const row = async () =>
        (
          await tx.query<{ status: string; attempts: number; error: string | null }>(
            `select status, attempts, error from public.notifications where id = $1`,
            [b.notification_id],
          )
        ).rows[0];
      expect(await row()).toEqual({ status: 'queued', attempts: 1, error: 'push service answered 503' });
      // not due yet; the staff can't list what is due (endpoints)
      expect(await due(tx)).toEqual([]);
      expect(await refused(tx, () => due(tx, ACTORS.ownerA))).toMatch(/permission denied/);
      await clock(tx, 30);
      const d = await due(tx);
      expect(d).toHaveLength(1);
      expect(d[0]).toMatchObject({
        notification_id: b.notification_id,
        attempts: 1,
        kind: 'your_turn',
        idempotency_key: 'r1',
        body: "C'est votre tour",
        subscriptions: [{ id: expect.any(String), endpoint: endpoint(7), p256dh: P256DH, auth: AUTH }],
      });
      // the visit's link as the server renders it for every message (null for the fixture's hand-made token)
      const link = (
        await tx.query<{ t: string | null }>(
          `select private.entry_link(e) as t from public.queue_entries e where e.id = $1`,
          [ID.entryA],
        )
      ).rows[0]!.t;
      expect(d[0]!.tracking_token).toBe(link);
      // leased: a second sweep at the same moment gets nothing
      expect(await due(tx)).toEqual([]);
      // Retry-After honoured when longer than the backoff (60 s for the second try)
      expect(await defer(tx, b.notification_id!, 120)).toMatchObject({ deferred: true, attempts: 2 });
      expect(await retryAt(tx, b.notification_id!)).toBe(120);
      await clock(tx, 120);
      expect(await due(tx)).toHaveLength(1);
      // the third failed try: no more deferral, nothing changed — the sender settles it failed (then one SMS)
      expect(await defer(tx, b.notification_id!, null)).toEqual({
        deferred: false,
        attempts: 2,
        retry_at: null,
      });
      await as(tx, ACTORS.service, `select public.notification_push_settle($1, 'failed', '503') as r`, [
        b.notification_id,
      ]);
      expect(await row()).toMatchObject({ status: 'failed', attempts: 3 });
      expect(await retryAt(tx, b.notification_id!)).toBeNull();
      await clock(tx, 3600);
      expect(await due(tx)).toEqual([]);
      // no staff can defer a push (no grant); a settled push can't be deferred
      const b2 = await begin(tx, 'r2');
      expect(await refused(tx, () => defer(tx, b2.notification_id!, null, ACTORS.ownerB))).toMatch(
        /permission denied/,
      );
      expect(await refused(tx, () => defer(tx, b.notification_id!, null))).toMatch(/not a push waiting/);
    });
  });

  it('push retry: a Retry-After beyond 15 minutes is not waited for; a visit over gets no late retry', async () => {
    await w.rolledBack(async (tx) => {
      await subscribe(tx, TOKENS.trackingA, endpoint(8));
      const b = await begin(tx, 'r3');
      expect(await defer(tx, b.notification_id!, 3600)).toEqual({
        deferred: false,
        attempts: 0,
        retry_at: null,
      });
      const b2 = await begin(tx, 'r4');
      expect(await defer(tx, b2.notification_id!, 5)).toMatchObject({ deferred: true, attempts: 1 });
      expect(await retryAt(tx, b2.notification_id!)).toBe(30);
      await tx.query(`update public.queue_entries set status = 'cancelled' where id = $1`, [ID.entryA]);
      await clock(tx, 30);
      expect(await due(tx)).toEqual([]);
      const r = (
        await tx.query<{ status: string; error: string }>(
          `select status, error from public.notifications where id = $1`,
          [b2.notification_id],
        )
      ).rows[0]!;
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(/^visit over: not retried/);
      // no SMS was recorded for it
      expect(
        (await tx.query(`select 1 from public.notifications where idempotency_key = 'r4:sms'`)).rows,
      ).toEqual([]);
    });
  });
  it('push interrupted: a sender that died between begin and settle is tried again once by the sweep, then the SMS', async () => {
    await w.rolledBack(async (tx) => {
      const close = () =>
        as<number>(tx, ACTORS.service, `select public.notification_close_interrupted(600) as r`);
      const row = async (id: string) =>
        (
          await tx.query<{ status: string; attempts: number; error: string | null; due: boolean | null }>(
            `select status, attempts, error, retry_at <= private.now() as due from public.notifications where id = $1`,
            [id],
          )
        ).rows[0];
      await subscribe(tx, TOKENS.trackingA, endpoint(9));
      // the staff's send-sms began the push (with the service key), then died: no settle ever came
      const b = await begin(tx, 'i1', 'your_turn');
      await close();
      await clock(tx, 9 * 60);
      await close();
      // within the limit the sender may still be at work: untouched
      expect(await row(b.notification_id!)).toEqual({
        status: 'queued',
        attempts: 0,
        error: null,
        due: null,
      });
      expect(await due(tx)).toEqual([]);
      await clock(tx, 2 * 60);
      expect(await close()).toBeGreaterThanOrEqual(1);
      // the lost try counts; handed to the retry path, due now
      expect(await row(b.notification_id!)).toEqual({
        status: 'queued',
        attempts: 1,
        error: 'interrupted: the sender stopped before the push service answered; tried again',
        due: true,
      });
      // exactly once: the next sweeps leave it to the retry path (no second try counted)
      await close();
      await clock(tx, 15 * 60);
      await close();
      expect((await row(b.notification_id!))!.attempts).toBe(1);
      const d = await due(tx);
      expect(d.map((x) => [x.notification_id, x.attempts])).toEqual([[b.notification_id, 1]]);
      expect(d[0]!.subscriptions.map((s) => s.endpoint)).toEqual([endpoint(9)]);
      expect(await due(tx)).toEqual([]);
      // the retry's push service refused it: settled failed by the sweep, and the one SMS fallback goes
      await as(tx, ACTORS.service, `select public.notification_push_settle($1, 'failed', 'push: 400') as r`, [
        b.notification_id,
      ]);
      expect(await row(b.notification_id!)).toMatchObject({
        status: 'failed',
        attempts: 2,
        error: 'push: 400',
      });
      expect(
        await as<{ duplicate: boolean; reserved: boolean }>(
          tx,
          ACTORS.service,
          `select public.notification_sms_fallback($1, 1, 0.25, null) as r`,
          [b.notification_id],
        ),
      ).toMatchObject({ duplicate: false, reserved: true, fallback_of: b.notification_id });

      // a push already at its last try when its sender died is closed, not resent, and no SMS follows
      const last = await begin(tx, 'i2');
      await tx.query(`update public.notifications set attempts = 2 where id = $1`, [last.notification_id]);
      await clock(tx, 11 * 60);
      await close();
      expect(await row(last.notification_id!)).toEqual({
        status: 'failed',
        attempts: 3,
        error: 'interrupted: the sender stopped before the push service answered; not resent (last try)',
        due: null,
      });
      expect(await due(tx)).toEqual([]);
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.service, `select public.notification_sms_fallback($1, 1, 0.25, null) as r`, [
            last.notification_id,
          ]),
        ),
      ).toMatch(/falls back to SMS/);
      // only the service role runs the sweep
      expect(
        await refused(tx, () =>
          as(tx, ACTORS.ownerA, `select public.notification_close_interrupted(600) as r`),
        ),
      ).toMatch(/AUTH.FORBIDDEN|permission denied/);
    });
  });
  it('visit status: the tracking link reads the channel the clinic will use and whether push is on — no address', async () => {
    await w.rolledBack(async (tx) => {
      const live = () =>
        as<{ notifications: { channel: string | null; push: boolean } }>(
          tx,
          ACTORS.anon,
          `select public.get_visit_live($1) as r`,
          [TOKENS.trackingA],
        );
      const route = async () =>
        (
          await tx.query<{ c: string | null }>(
            `select r.channel::text as c from public.queue_entries e join public.patients p on p.id = e.patient_id,
                    private.notification_route(p) r where e.id = $1`,
            [ID.entryA],
          )
        ).rows[0]!.c;
      expect((await live()).notifications).toEqual({ channel: await route(), push: false });
      expect(await route()).toBe('sms');
      await subscribe(tx, TOKENS.trackingA, endpoint('status-1'));
      const on = await live();
      expect(on.notifications).toEqual({ channel: 'sms', push: true });
      expect(JSON.stringify(on)).not.toContain('status-1');
      // the patient's own choice is what the link shows
      await tx.query(
        `update public.patients set preferred_channel = 'whatsapp'
          where id = (select patient_id from public.queue_entries where id = $1)`,
        [ID.entryA],
      );
      expect((await live()).notifications).toEqual({ channel: 'whatsapp', push: true });
      await as(tx, ACTORS.anon, `select public.push_unsubscribe(p_tracking_token => $1) as r`, [
        TOKENS.trackingA,
      ]);
      expect((await live()).notifications.push).toBe(false);
    });
  });
});
