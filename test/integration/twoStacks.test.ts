// Issue 12, the self-hosting scale-out: several local-stack processes on ONE PostgreSQL, same keys, one port
// each (README "Several processes on one PostgreSQL"). Here two stacks, each with its own pool and its own
// LISTEN connection (as two `npm start` processes have), both running every timer `npm start` runs (queue
// sweep, notification outbox sweep) at once:
// - they start at the same moment without tripping over each other's start-up DDL (realtime triggers);
// - a supabase-js client subscribed through stack B receives the changes made through stack A (walk-in,
//   call next, mark absent) and the ones the sweeps make;
// - the two stacks' sweeps never double-apply: one GraceExpired per absent patient, one SMS per message
//   owed (a fake Twilio counts them), also when a burst of sweeps hits both stacks at the same moment.
// - a phone code sent through one stack is verified through the other (codes were kept in one process's
//   memory), and wrong guesses count for both together;
// - wrong codes for a pending phone change count for both together (they were kept per process);
// - the auth rate limits (failed sign-ins, codes sent) hold for both together: they were per process, so two
//   processes allowed twice the guesses (auth.rate_limits, shim 20_rate_limits.sql).
// PostgreSQL only: PGlite is one process's embedded database, it cannot be shared by two processes.
// The database clock is pinned (private.pinned_clock) to move past the grace period: no wall-clock waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pino from 'pino';
import WebSocket from 'ws';
import { migrate, openPostgres, type Db } from '../../supabase/local/db';
import { makeKeys, startStack, type Stack } from '../../supabase/local/stack';
import { QueueService } from '../../src/services/queue/QueueService';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import type { QueueBusEvents } from '../../src/services/queue/api/bus';
import { createEventBus } from '../../src/services/shared/EventBus';
import { postgresFromTemplate } from '../fixtures/dbTemplate';
import { TEST_AUTH } from '../fixtures/localStack';
import { fakeTwilioEnv, startFakeTwilio, type FakeTwilio } from '../fixtures/fakeTwilio';
import { middayZone } from './queueStackKit';
import { approveClinicSms } from '../fixtures/approveClinicSms';

const WAIT = { timeout: 30_000, interval: 50 };
const PHONE = '+212612000077';

interface Change {
  table: string;
  type: string;
  record: Record<string, unknown>;
}

describe('two local stacks on one PostgreSQL', () => {
  let stopPg: () => Promise<void>;
  let dbA: Db;
  let dbB: Db;
  let stackA: Stack;
  let stackB: Stack;
  let twilio: FakeTwilio;
  const clients: SupabaseClient[] = [];
  const savedEnv: Record<string, string | undefined> = {};
  /** Phone one-time codes as the stacks' SMS hook received them (either stack). */
  const codes = new Map<string, string>();

  const client = (stack: Stack, token?: string): SupabaseClient => {
    const c = createClient(stack.url, stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
      ...(token ? { accessToken: async () => token } : {}),
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    // the edge functions' Deno processes inherit these: the fake Twilio, and no grace before the outbox sweep
    const env = { ...fakeTwilioEnv(twilio), NOTIFICATION_SWEEP_MIN_AGE_S: '0' };
    for (const [k, v] of Object.entries(env)) {
      savedEnv[k] = process.env[k];
      process.env[k] = v;
    }
    const pg = await postgresFromTemplate('migrated');
    stopPg = pg.stop;
    [dbA, dbB] = await Promise.all([
      openPostgres({ url: pg.url, max: 10 }),
      openPostgres({ url: pg.url, max: 10 }),
    ]);
    await Promise.all([migrate(dbA), migrate(dbB)]);
    const keys = await makeKeys();
    const options = (db: Db) => ({
      db,
      keys,
      port: 0,
      staticDir: null,
      databaseUrl: pg.url,
      auth: TEST_AUTH,
      logger: pino({ level: process.env.STACK_LOG ?? 'silent' }),
      // every timer of `npm start`, fast, in BOTH processes
      sweepIntervalMs: 50,
      queueSweepIntervalMs: 50,
      onOtp: (phone: string, code: string) => void codes.set(phone, code),
    });
    // the same moment, as two processes started by one service manager: their start-up DDL must not collide
    [stackA, stackB] = await Promise.all([startStack(options(dbA)), startStack(options(dbB))]);
  });

  afterAll(async () => {
    for (const c of clients) await c.removeAllChannels();
    await Promise.all([stackA?.stop(), stackB?.stop()]);
    await dbA?.query('delete from private.pinned_clock').catch(() => undefined);
    await Promise.all([dbA?.close(), dbB?.close()]);
    await stopPg?.();
    await twilio?.close();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('a change made through stack A reaches a subscriber of stack B, and both stacks\u2019 sweeps apply a grace expiry and send each SMS once', async () => {
    // The owner signs up through A and signs in through B (one auth database, one JWT secret).
    const email = `two-stacks-${process.pid}@example.test`;
    const up = await client(stackA).auth.signUp({ email, password: 'secret-pass-123' });
    if (up.error || !up.data.session || !up.data.user) throw new Error(`sign-up: ${up.error?.message}`);
    const viaA = client(stackA, up.data.session.access_token);
    const made = await viaA.rpc('create_clinic', {
      p_name: 'Two stacks',
      p_slug: `two-stacks-${process.pid}`,
      p_display_name: 'Dr Two',
    });
    if (made.error) throw new Error(made.error.message);
    const { clinic_id: clinicId } = made.data as { clinic_id: string };
    await approveClinicSms(stackA, clinicId); // abuse17: the operator approves it for SMS
    await dbA.query(`update public.clinics set time_zone = $2 where id = $1`, [clinicId, middayZone()]);
    const doctor = await client(stackA).auth.signUp({
      email: `two-stacks-dr-${process.pid}@example.test`,
      password: 'secret-pass-123',
    });
    if (doctor.error || !doctor.data.user) throw new Error(`sign-up: ${doctor.error?.message}`);
    const { rows } = await dbA.query<{ id: string }>(
      `insert into public.clinic_members (clinic_id, user_id, role, display_name, room)
       values ($1, $2, 'practitioner', 'Dr Two', 'Salle 1') returning id`,
      [clinicId, doctor.data.user.id],
    );
    const memberId = rows[0]?.id ?? '';
    const signIn = await client(stackB).auth.signInWithPassword({ email, password: 'secret-pass-123' });
    if (signIn.error || !signIn.data.session) throw new Error(`sign-in on B: ${signIn.error?.message}`);
    const viaB = client(stackB, signIn.data.session.access_token);

    // The subscriber is on B, signed in (its channel joins with the owner's token: RLS lets staff see entries).
    await viaB.realtime.setAuth(signIn.data.session.access_token);
    const changes: Change[] = [];
    const statuses: string[] = [];
    viaB
      .channel(`two-stacks-${clinicId}`)
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'queue_entries', filter: `clinic_id=eq.${clinicId}` },
        (p) =>
          changes.push({
            table: 'queue_entries',
            type: p.eventType,
            record: p.new as Record<string, unknown>,
          }),
      )
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'queues', filter: `clinic_id=eq.${clinicId}` },
        (p) => changes.push({ table: 'queues', type: p.eventType, record: p.new as Record<string, unknown> }),
      )
      .subscribe((s) => statuses.push(s));
    await expect.poll(() => statuses.includes('SUBSCRIBED'), WAIT).toBe(true);

    // The desk works through A: the app's own service over supabase-js.
    const repo = new SupabaseQueueRepository(viaA);
    const service = new QueueService({
      repo,
      dayControls: repo,
      bus: createEventBus<QueueBusEvents>(),
      actor: () => up.data.user!.id,
    });
    const added = await service.addWalkIn(clinicId, { patientName: 'Nadia Two', phone: PHONE });
    if (!added.ok) throw new Error(added.error.code);
    const entryId = added.value.events[0]?.entryId ?? '';
    const entryStatus = (status: string) => () =>
      changes.some(
        (c) => c.table === 'queue_entries' && c.record.id === entryId && c.record.status === status,
      );
    await expect.poll(entryStatus('waiting'), WAIT).toBe(true);

    const called = await service.callNext(clinicId, { practitionerId: memberId, room: 'Salle 1' });
    if (!called.ok) throw new Error(called.error.code);
    await expect.poll(entryStatus('called'), WAIT).toBe(true);
    const calledVersion = (
      await dbA.query<{ version: number }>('select version from public.queues where clinic_id = $1', [
        clinicId,
      ])
    ).rows[0]?.version;
    expect(calledVersion).toBeGreaterThan(0);
    await expect
      .poll(() => changes.some((c) => c.table === 'queues' && c.record.version === calledVersion), WAIT)
      .toBe(true);

    const absent = await service.markAbsent(clinicId, { entryId });
    if (!absent.ok) throw new Error(absent.error.code);
    await expect.poll(entryStatus('absent'), WAIT).toBe(true);

    // Past the grace period by the database's clock: both stacks' queue sweeps (every 50 ms) race for it,
    // and a burst of sweeps through both stacks at the same moment on top.
    await dbA.query(
      `insert into private.pinned_clock (at)
       select grace_ends_at + interval '1 minute' from public.queue_entries where id = $1
       on conflict (id) do update set at = excluded.at`,
      [entryId],
    );
    const sweep = (s: Stack) =>
      fetch(`${s.url}/rest/v1/rpc/sweep_queues`, {
        method: 'POST',
        headers: {
          apikey: s.serviceKey,
          authorization: `Bearer ${s.serviceKey}`,
          'content-type': 'application/json',
        },
        body: '{}',
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { expired?: number } }));
    const burst = await Promise.all([stackA, stackB, stackA, stackB, stackA, stackB].map(sweep));
    expect(burst.map((b) => b.status)).toEqual([200, 200, 200, 200, 200, 200]);

    const status = async () =>
      (
        await dbA.query<{ status: string }>('select status from public.queue_entries where id = $1', [
          entryId,
        ])
      ).rows[0]?.status;
    await expect.poll(status, WAIT).toBe('no_show');
    // the subscriber of B sees the sweep's change too, whichever stack's sweep made it
    await expect.poll(entryStatus('no_show'), WAIT).toBe(true);

    // Every message the day owes this patient is sent by the outbox sweeps of A and B racing: wait until the
    // no-show text was sent and its event marked, then for three more complete sweeps of EACH stack.
    const sent = () => twilio.requests.filter((r) => r.form.To === PHONE);
    const noShowSent = async () =>
      (
        await dbA.query<{ n: number }>(
          `select count(*)::int as n from public.notifications where entry_id = $1 and kind = 'no_show' and status = 'sent'`,
          [entryId],
        )
      ).rows[0]?.n;
    await expect.poll(noShowSent, WAIT).toBe(1);
    const unmarked = async () =>
      (
        await dbA.query<{ n: number }>(
          `select count(*)::int as n from public.queue_events where entry_id = $1 and notified_at is null
             and type in ('PatientCalled', 'PatientMarkedAbsent', 'GraceExpired')`,
          [entryId],
        )
      ).rows[0]?.n;
    await expect.poll(unmarked, WAIT).toBe(0);
    const afterA = stackA.sweeps() + 3;
    const afterB = stackB.sweeps() + 3;
    await expect.poll(() => stackA.sweeps() >= afterA && stackB.sweeps() >= afterB, WAIT).toBe(true);

    // exactly one GraceExpired, however many sweeps ran
    const graceExpired = await dbA.query<{ n: number }>(
      `select count(*)::int as n from public.queue_events where entry_id = $1 and type = 'GraceExpired'`,
      [entryId],
    );
    expect(graceExpired.rows[0]?.n).toBe(1);
    expect(burst.reduce((n, b) => n + (b.body.expired ?? 0), 0)).toBeLessThanOrEqual(1);
    // one message per kind owed (your turn, marked absent, no-show), each sent to Twilio exactly once
    const kinds = await dbA.query<{ kind: string; n: number }>(
      `select kind::text as kind, count(*)::int as n from public.notifications where entry_id = $1 group by kind order by kind`,
      [entryId],
    );
    expect(kinds.rows).toEqual([
      { kind: 'marked_absent', n: 1 },
      { kind: 'no_show', n: 1 },
      { kind: 'your_turn', n: 1 },
    ]);
    expect(sent()).toHaveLength(3);
    expect(new Set(sent().map((r) => r.form.Body)).size).toBe(3);
  });

  it('a phone sign-in code sent through stack A is verified through stack B; wrong guesses count across both', async () => {
    const phone = '+212612000088';
    const sentA = await client(stackA).auth.signInWithOtp({ phone });
    expect(sentA.error).toBeNull();
    const code = codes.get(phone) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const verified = await client(stackB).auth.verifyOtp({ phone, token: code, type: 'sms' });
    expect(verified.error).toBeNull();
    expect(verified.data.session?.user.phone).toBe(phone.slice(1));
    // used once: the same code again, through A, is refused
    const again = await client(stackA).auth.verifyOtp({ phone, token: code, type: 'sms' });
    expect(again.error?.code).toBe('otp_expired');

    // a new code; five wrong guesses spread over both stacks use up its attempts, then the right code is refused
    await client(stackB).auth.signInWithOtp({ phone });
    const fresh = codes.get(phone) ?? '';
    const wrong = fresh === '000000' ? '111111' : '000000';
    for (const s of [stackA, stackB, stackA, stackB, stackA]) {
      const r = await client(s).auth.verifyOtp({ phone, token: wrong, type: 'sms' });
      expect(r.error?.code).toBe('otp_expired');
    }
    const late = await client(stackB).auth.verifyOtp({ phone, token: fresh, type: 'sms' });
    expect(late.error?.code).toBe('otp_expired');
  });
  it('wrong codes for a pending phone change count across both stacks: five spread over A and B drop the change, so even the right code is then refused', async () => {
    const phone = '+212612000066';
    const user = client(stackA);
    const signed = await user.auth.signUp({
      email: `change-${process.pid}@example.test`,
      password: 'secret-pass-123',
    });
    expect(signed.error).toBeNull();
    expect((await user.auth.updateUser({ phone })).error).toBeNull();
    const real = codes.get(phone) ?? '';
    expect(real).toMatch(/^\d{6}$/);
    const wrong = real === '000000' ? '111111' : '000000';
    for (const s of [stackA, stackB, stackA, stackB, stackA]) {
      const r = await client(s).auth.verifyOtp({ phone, token: wrong, type: 'phone_change' });
      expect(r.error?.code).toBe('otp_expired');
    }
    const late = await client(stackB).auth.verifyOtp({ phone, token: real, type: 'phone_change' });
    expect(late.error?.code).toBe('otp_expired');
    const { rows } = await dbA.query<{ phone: string | null; phone_change_token: string }>(
      `select phone, phone_change_token from auth.users where id = $1`,
      [signed.data.user?.id],
    );
    expect(rows[0]).toEqual({ phone: null, phone_change_token: '' });
  });
  it('rate limits hold across both stacks: failed sign-ins and codes sent count together (defaults 10 and 5)', async () => {
    // failed sign-ins for one identifier, alternating stacks: 10 refused as wrong, then 429 on either stack — the
    // per-account lock (sec20, DEFAULT_SIGN_IN_ACCOUNT_LIMIT: 10 in 15 minutes, an unknown account alike) is the
    // first limit one identifier meets now, below the per-identifier 30 in 5 minutes
    const email = `rate-limit-${process.pid}@example.test`;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await client(i % 2 === 0 ? stackA : stackB).auth.signInWithPassword({
        email,
        password: `guess-${i}`,
      });
      statuses.push(r.error?.status ?? 200);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // another identifier is untouched
    const other = await client(stackB).auth.signInWithPassword({
      email: `other-${email}`,
      password: 'guess',
    });
    expect(other.error?.status).toBe(400);

    // codes sent to one phone, alternating stacks: 5 sent, the 6th refused whichever stack it asks
    const phone = '+212612000099';
    const sent: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await client(i % 2 === 0 ? stackA : stackB).auth.signInWithOtp({ phone });
      sent.push(r.error ? (r.error.code ?? String(r.error.status)) : null);
    }
    expect(sent).toEqual([null, null, null, null, null, 'over_sms_send_rate_limit']);
    // no phone number or email is stored with the counters
    const { rows } = await dbA.query<{ key: string }>('select key from auth.rate_limits');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.some((r) => r.key.includes('212612000099') || r.key.includes('rate-limit'))).toBe(false);
  });
});
