/**
 * The notification pipeline end to end on the local stack: supabase-js (SupabaseSmsChannel) → send-sms in
 * real Deno → PostgREST RPCs on the real migrations → a fake Twilio on 127.0.0.1 that records the exact
 * requests. Also the outbox sweep, delivery receipts and two-way SMS with real X-Twilio-Signature checks.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPglite, openPostgres, type Db } from '../../supabase/local/db';
import { pgliteTemplateBytes, postgresFromTemplate } from '../fixtures/dbTemplate';
import { startStack, type Stack } from '../../supabase/local/stack';
import { TEST_AUTH } from '../fixtures/localStack';
import { smsSegments } from '../../src/services/notification/api';
import { SupabaseSmsChannel, notificationIdempotencyKey } from '../../src/services/notification/channels';
import {
  TEST_TWILIO,
  fakeTwilioEnv,
  messagesOf,
  startFakeTwilio,
  twilioSignature,
  type FakeTwilio,
} from '../fixtures/fakeTwilio';
import { approveClinicSms } from '../fixtures/approveClinicSms';

let twilio: FakeTwilio;
let db: Db;
let stack: Stack;
const clients: SupabaseClient[] = [];
let seq = 0;

const client = (token?: string): SupabaseClient => {
  const c = createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    ...(token ? { accessToken: async () => token } : {}),
  });
  clients.push(c);
  return c;
};

const signUp = async (label: string) => {
  const { data, error } = await client().auth.signUp({
    email: `${label}-${process.pid}-${++seq}@example.test`,
    password: 'secret-pass-123',
  });
  if (error || !data.session || !data.user)
    throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  return { userId: data.user.id, token: data.session.access_token };
};

interface World {
  clinicId: string;
  queueId: string;
  owner: SupabaseClient;
  patients: { id: string; entryId: string; phone: string }[];
}

/** A clinic (owned through create_clinic), patients with phones and today's queue with waiting visits. */
const newClinic = async (
  label: string,
  patients: { name: string; phone: string; language?: 'ar' | 'fr' | 'en' }[],
): Promise<World> => {
  const o = await signUp(label);
  const owner = client(o.token);
  const { data, error } = await owner.rpc('create_clinic', {
    p_name: `Cabinet ${label}`,
    p_slug: `${label}-${process.pid}-${++seq}`.toLowerCase(),
  });
  if (error) throw new Error(`create_clinic: ${error.message}`);
  const clinicId = (data as { clinic_id: string }).clinic_id;
  await approveClinicSms(stack, clinicId); // abuse17: the operator approves it for SMS
  const q = await db.query<{ id: string }>(
    `insert into public.queues (clinic_id, day, next_ticket) values ($1, private.clinic_today('Africa/Casablanca'), $2) returning id`,
    [clinicId, patients.length + 1],
  );
  const queueId = q.rows[0]!.id;
  const out: World['patients'] = [];
  for (const [i, p] of patients.entries()) {
    const pr = await db.query<{ id: string }>(
      'insert into public.patients (clinic_id, full_name, phone, preferred_language) values ($1, $2, $3, $4) returning id',
      [clinicId, p.name, p.phone, p.language ?? null],
    );
    const e = await db.query<{ id: string }>(
      `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key, checked_in_at)
       values ($1, $2, $3, 'walk_in', 'waiting', $4::int, $4::int, now()) returning id`,
      [queueId, clinicId, pr.rows[0]!.id, i + 1],
    );
    out.push({ id: pr.rows[0]!.id, entryId: e.rows[0]!.id, phone: p.phone });
  }
  return { clinicId, queueId, owner, patients: out };
};

/** A queue event of the visit, logged as the save would (set up as the database owner). */
const logEvent = async (
  w: World,
  i: number,
  type = 'PatientCalled',
  payload: Record<string, unknown> = { ticket: 'A-001', room: '2' },
): Promise<{ correlationId: string; key: string }> => {
  const correlationId = randomUUID();
  const entryId = w.patients[i]!.entryId;
  await db.query(
    `insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, correlation_id)
     values ($1, $2, $3, $4, $5::jsonb, $6)`,
    [w.queueId, w.clinicId, entryId, type, JSON.stringify(payload), correlationId],
  );
  return { correlationId, key: `your_turn:${entryId}:${correlationId}` };
};

/** The reference the browser sends for "your turn" of patient i (no phone, no text). */
const yourTurn = (w: World, i: number, correlationId: string) => ({
  clinicId: w.clinicId,
  kind: 'your_turn' as const,
  entryId: w.patients[i]!.entryId,
  correlationId,
});

const notification = async (key: string) =>
  (
    await db.query<{
      status: string;
      attempts: number;
      provider_id: string | null;
      segments: number;
      cost: string;
      error: string | null;
      body: string;
    }>(
      'select status::text, attempts, provider_id, segments, cost::text, error, body from public.notifications where idempotency_key = $1',
      [key],
    )
  ).rows;

const sweep = async (body: Record<string, unknown> = { min_age_seconds: 0 }) => {
  const res = await fetch(`${stack.url}/functions/v1/notification-sweep`, {
    method: 'POST',
    headers: {
      apikey: stack.serviceKey,
      authorization: `Bearer ${stack.serviceKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    json: (await res.json()) as { processed: number; by_status: Record<string, number>; marked: number },
  };
};

/** A webhook POST as Twilio makes it (form body, X-Twilio-Signature over the public URL). */
const webhook = async (fn: string, params: Record<string, string>, token: string = TEST_TWILIO.authToken) => {
  const url = `${stack.url}/functions/v1/${fn}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(token, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
};

describe.each(['pglite', 'postgres'] as const)(
  'notifications through the local stack (%s) and a fake Twilio',
  (kind) => {
    let stopPg: (() => Promise<void>) | null = null;
    /** Everything the stack logged, the functions' own log lines included. */
    const logLines: string[] = [];
    beforeAll(async () => {
      twilio = await startFakeTwilio();
      Object.assign(process.env, fakeTwilioEnv(twilio)); // the functions' Deno processes inherit it
      if (kind === 'postgres') {
        const pg = await postgresFromTemplate('migrated');
        stopPg = pg.stop;
        db = await openPostgres({ url: pg.url, max: 20 });
      } else {
        db = await openPglite({ loadDataDir: pgliteTemplateBytes('migrated') });
      }
      await migrate(db);
      stack = await startStack({
        db,
        port: 0,
        staticDir: null,
        auth: TEST_AUTH,
        logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
      });
    });

    afterAll(async () => {
      for (const c of clients.splice(0)) await c.removeAllChannels();
      await stack?.stop();
      await db?.close();
      if (stopPg) await stopPg();
      await twilio?.close();
    });

    it('one send → exactly one Twilio request with the body, the sender, Basic auth and the status callback; stored as sent', async () => {
      const w = await newClinic('exact', [{ name: 'Karim Exact', phone: '+212612000001' }]);
      const before = messagesOf(twilio).length;
      const { correlationId, key } = await logEvent(w, 0);
      // the browser names the event; the text is the clinic's template, rendered by the server
      const r = await new SupabaseSmsChannel(w.owner).send(yourTurn(w, 0, correlationId));
      expect(r.ok && r.value.status).toBe('sent');
      const sent = messagesOf(twilio).slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        method: 'POST',
        path: `/2010-04-01/Accounts/${TEST_TWILIO.accountSid}/Messages.json`,
        authorization: `Basic ${Buffer.from(`${TEST_TWILIO.accountSid}:${TEST_TWILIO.authToken}`).toString('base64')}`,
        contentType: 'application/x-www-form-urlencoded',
        form: {
          To: '+212612000001',
          From: TEST_TWILIO.from,
          Body: "Cabinet exact : Karim Exact, c'est votre tour ! Ticket A-001. Merci de vous présenter : Salle 2.",
          StatusCallback: `${stack.url}/functions/v1/twilio-status-callback`,
        },
      });
      const row = await notification(key);
      expect(row).toEqual([
        expect.objectContaining({
          status: 'sent',
          attempts: 1,
          segments: 1,
          cost: '0.2500',
          error: null,
          provider_id: r.ok ? r.value.providerId : 'x',
        }),
      ]);
      expect(row[0]!.provider_id).toMatch(/^SM[0-9a-f]{32}$/);
    });

    it("the clinic's own sender is the From of its messages once the platform operator approved it", async () => {
      const w = await newClinic('sender', [{ name: 'Sender Patient', phone: '+212612000015' }]);
      // owners set it like the clinic's other columns (UPDATE grant + admin policy); the local gateway has no
      // table PATCH yet (PGRST117), so the test sets it as the database owner
      await db.query(`update public.clinics set sms_sender = 'CABINET' where id = $1`, [w.clinicId]);
      const before = messagesOf(twilio).length;
      const first = await logEvent(w, 0);
      await new SupabaseSmsChannel(w.owner).send(yourTurn(w, 0, first.correlationId));
      // not approved yet: the platform's sender
      const approve = await fetch(`${stack.url}/rest/v1/rpc/approve_sms_sender`, {
        method: 'POST',
        headers: {
          apikey: stack.serviceKey,
          authorization: `Bearer ${stack.serviceKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ p_clinic_id: w.clinicId, p_sender: 'CABINET' }),
      });
      expect(approve.status).toBe(200);
      const second = await logEvent(w, 0);
      await new SupabaseSmsChannel(w.owner).send(yourTurn(w, 0, second.correlationId));
      expect(
        messagesOf(twilio)
          .slice(before)
          .map((m) => m.form.From),
      ).toEqual([TEST_TWILIO.from, 'CABINET']);
    });

    it('Twilio fails twice with 500, then accepts → exactly one message, 3 attempts logged', async () => {
      const w = await newClinic('retry', [{ name: 'Retry Patient', phone: '+212612000002' }]);
      const before = messagesOf(twilio).length;
      twilio.failNext([500, 500]);
      const { correlationId, key } = await logEvent(w, 0);
      const r = await new SupabaseSmsChannel(w.owner).send(yourTurn(w, 0, correlationId));
      expect(r.ok && { status: r.value.status, attempts: r.value.attempts }).toEqual({
        status: 'sent',
        attempts: 3,
      });
      expect(messagesOf(twilio).length - before).toBe(3); // two refused + one accepted = one message
      expect(await notification(key)).toEqual([
        expect.objectContaining({ status: 'sent', attempts: 3, error: null }),
      ]);
    });

    it('a 4xx is not retried: failed with the reason, the budget reservation released', async () => {
      const w = await newClinic('fourxx', [{ name: 'Bad Number', phone: '+212612000003' }]);
      twilio.failNext([400]);
      const before = messagesOf(twilio).length;
      const { correlationId, key } = await logEvent(w, 0);
      const r = await new SupabaseSmsChannel(w.owner).send(yourTurn(w, 0, correlationId));
      expect(r.ok && r.value.status).toBe('failed');
      expect(messagesOf(twilio).length - before).toBe(1);
      expect(await notification(key)).toEqual([
        expect.objectContaining({
          status: 'failed',
          attempts: 1,
          error: 'twilio HTTP 400 40000: scripted failure 400',
        }),
      ]);
      const b = await db.query<{ reserved_count: number; spent_count: number }>(
        'select reserved_count, spent_count from public.sms_budgets where clinic_id = $1',
        [w.clinicId],
      );
      expect(b.rows).toEqual([{ reserved_count: 0, spent_count: 0 }]);
    });

    it('the same event delivered twice (even at once) → one message', async () => {
      const w = await newClinic('twice', [{ name: 'Twice Patient', phone: '+212612000004' }]);
      const before = messagesOf(twilio).length;
      const channel = new SupabaseSmsChannel(w.owner);
      const { correlationId } = await logEvent(w, 0);
      const key = notificationIdempotencyKey({
        kind: 'your_turn',
        entryId: w.patients[0]!.entryId,
        correlationId,
      });
      const msg = yourTurn(w, 0, correlationId);
      const [a, b] = await Promise.all([channel.send(msg), channel.send(msg)]);
      const c = await channel.send(msg);
      const results = [a, b, c].map((r) => (r.ok ? r.value : null));
      expect(results.filter((r) => r?.status === 'sent')).toHaveLength(1);
      expect(results.filter((r) => r?.status === 'duplicate')).toHaveLength(2); // outcome: queued while the first is in flight, then sent
      expect(messagesOf(twilio).length - before).toBe(1);
      expect(await notification(key)).toHaveLength(1);
    });

    it('the browser dies between the queue save and the invoke → the sweep sends it once (and never again)', async () => {
      const w = await newClinic('died', [{ name: 'Nadia Sweep', phone: '+212612000005' }]);
      const entryId = w.patients[0]!.entryId;
      const correlationId = randomUUID();
      // the browser's save: the call and its PatientCalled event, in one transaction …
      const { error } = await w.owner.rpc('save_queue_step', {
        p_queue_id: w.queueId,
        p_expected_version: 0,
        p_entries: [
          { id: entryId, status: 'called', called_at: new Date().toISOString(), called_room: 'Salle 2' },
        ],
        p_events: [
          {
            type: 'PatientCalled',
            entry_id: entryId,
            correlation_id: correlationId,
            payload: {
              ticket: 'A-001',
              room: 'Salle 2',
              practitionerId: null,
              outOfOrder: false,
              reason: null,
            },
          },
        ],
      });
      expect(error).toBeNull();
      // … and then the tab closes: no invoke. The sweep finds the event owed.
      const before = messagesOf(twilio).length;
      const s1 = await sweep();
      expect(s1.status).toBe(200);
      const sent = messagesOf(twilio)
        .slice(before)
        .filter((m) => m.form.To === '+212612000005');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.form.Body).toBe(
        "Cabinet died : Nadia Sweep, c'est votre tour ! Ticket A-001. Merci de vous présenter : Salle 2.",
      );
      const key = notificationIdempotencyKey({ kind: 'your_turn', entryId, correlationId });
      expect(await notification(key)).toEqual([expect.objectContaining({ status: 'sent' })]);
      const ev = await db.query<{ notified: boolean }>(
        `select notified_at is not null as notified from public.queue_events where entry_id = $1`,
        [entryId],
      );
      expect(ev.rows).toEqual([{ notified: true }]);
      // a second sweep, and the browser coming back to life with the same event: still one message
      await sweep();
      const late = await new SupabaseSmsChannel(w.owner).send({
        clinicId: w.clinicId,
        kind: 'your_turn',
        entryId,
        correlationId,
      });
      expect(late.ok && late.value.status).toBe('duplicate');
      expect(
        messagesOf(twilio)
          .slice(before)
          .filter((m) => m.form.To === '+212612000005'),
      ).toHaveLength(1);
    });

    it('an event the browser did send is not sent again by the sweep', async () => {
      const w = await newClinic('browser', [{ name: 'Omar Browser', phone: '+212612000006' }]);
      const entryId = w.patients[0]!.entryId;
      const correlationId = randomUUID();
      await w.owner.rpc('save_queue_step', {
        p_queue_id: w.queueId,
        p_expected_version: 0,
        p_entries: [{ id: entryId, status: 'called', called_at: new Date().toISOString() }],
        p_events: [
          {
            type: 'PatientCalled',
            entry_id: entryId,
            correlation_id: correlationId,
            payload: { ticket: 'A-001', room: null, practitionerId: null, outOfOrder: false, reason: null },
          },
        ],
      });
      const sent = await new SupabaseSmsChannel(w.owner).send({
        clinicId: w.clinicId,
        kind: 'your_turn',
        entryId,
        correlationId,
      });
      expect(sent.ok && sent.value.status).toBe('sent');
      const before = messagesOf(twilio).length;
      await sweep();
      expect(
        messagesOf(twilio)
          .slice(before)
          .filter((m) => m.form.To === '+212612000006'),
      ).toHaveLength(0);
    });

    it('100 concurrent messages against a budget of 30 → 30 sent, 70 skipped_budget, owners alerted once', async () => {
      const w = await newClinic('budget', [{ name: 'Budget Patient', phone: '+212612000007' }]);
      await w.owner.rpc('sms_budget_report', { p_clinic_id: w.clinicId }); // creates the month's row
      await db.query(
        'update public.sms_budgets set limit_count = 30, limit_amount = 1000 where clinic_id = $1',
        [w.clinicId],
      );
      // 100 calls of the same patient (100 logged events), each owing one message
      const events = [];
      for (let i = 0; i < 100; i++) events.push(await logEvent(w, 0));
      const before = messagesOf(twilio).length;
      const channel = new SupabaseSmsChannel(w.owner);
      const results = await Promise.all(events.map((e) => channel.send(yourTurn(w, 0, e.correlationId))));
      const statuses = results.map((r) => (r.ok ? r.value.status : `error:${r.error.code}`));
      expect(statuses.filter((s) => s === 'sent')).toHaveLength(30);
      expect(statuses.filter((s) => s === 'skipped_budget')).toHaveLength(70);
      expect(results.filter((r) => r.ok && r.value.budgetAlert)).toHaveLength(1); // at 0.8 × 30 = 24
      expect(messagesOf(twilio).length - before).toBe(30);
      const report = await w.owner.rpc('sms_budget_report', { p_clinic_id: w.clinicId });
      expect(report.data).toMatchObject({
        limit_count: 30,
        spent_count: 30,
        reserved_count: 0,
        alert: true,
        by_status: { sent: 30, skipped_budget: 70 },
      });
    });

    it('delivery receipts: a signed delivered callback updates the message; a forged one → 403 and nothing changes', async () => {
      const w = await newClinic('receipt', [{ name: 'Receipt Patient', phone: '+212612000008' }]);
      const { correlationId, key } = await logEvent(w, 0);
      const r = await new SupabaseSmsChannel(w.owner).send(yourTurn(w, 0, correlationId));
      const sid = r.ok ? (r.value.providerId ?? '') : '';
      const forged = await webhook(
        'twilio-status-callback',
        { MessageSid: sid, MessageStatus: 'failed', ErrorCode: '30003' },
        'not-the-auth-token',
      );
      expect(forged.status).toBe(403);
      const unsigned = await fetch(`${stack.url}/functions/v1/twilio-status-callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ MessageSid: sid, MessageStatus: 'failed' }).toString(),
      });
      expect(unsigned.status).toBe(403);
      expect(await notification(key)).toEqual([expect.objectContaining({ status: 'sent', error: null })]);
      const ok = await webhook('twilio-status-callback', {
        MessageSid: sid,
        MessageStatus: 'delivered',
        AccountSid: TEST_TWILIO.accountSid,
      });
      expect(ok.status).toBe(204);
      expect(await notification(key)).toEqual([expect.objectContaining({ status: 'delivered' })]);
    });

    it('two-way SMS: RETARD marks the visit late (fr reply), a forged call changes nothing, STOP opts out and later sends are not made', async () => {
      const w = await newClinic('inbound', [{ name: 'Salma Inbound', phone: '+212612000009' }]);
      const entryId = w.patients[0]!.entryId;
      const state = async () =>
        (
          await db.query<{ late: boolean; status: string; opt: boolean; version: number }>(
            `select e.running_late_at is not null as late, e.status::text, p.sms_opt_out as opt, q.version from public.queue_entries e
           join public.patients p on p.id = e.patient_id join public.queues q on q.id = e.queue_id where e.id = $1`,
            [entryId],
          )
        ).rows[0];
      const forged = await webhook(
        'twilio-inbound',
        { From: '+212612000009', To: TEST_TWILIO.from, Body: 'ANNULER', MessageSid: 'SMin0' },
        'forged',
      );
      expect(forged.status).toBe(403);
      expect(await state()).toEqual({ late: false, status: 'waiting', opt: false, version: 0 });

      const late = await webhook('twilio-inbound', {
        From: '+212612000009',
        To: TEST_TWILIO.from,
        Body: 'Retard 10 min',
        MessageSid: 'SMin1',
      });
      expect(late.status).toBe(200);
      expect(late.contentType).toContain('text/xml');
      expect(late.text).toContain(
        '<Message>Cabinet inbound : c&apos;est noté, nous avons prévenu l&apos;accueil de votre retard (ticket A-001).</Message>',
      );
      expect(await state()).toEqual({ late: true, status: 'waiting', opt: false, version: 1 });

      const stop = await webhook('twilio-inbound', {
        From: '+212612000009',
        To: TEST_TWILIO.from,
        Body: 'STOP',
        MessageSid: 'SMin2',
      });
      expect(stop.text).toContain('Vous ne recevrez plus de SMS de QueueMed.');
      expect((await state())?.opt).toBe(true);
      const before = messagesOf(twilio).length;
      const ev = await logEvent(w, 0);
      const after = await new SupabaseSmsChannel(w.owner).send(yourTurn(w, 0, ev.correlationId));
      expect(after.ok && { status: after.value.status, outcome: after.value.outcome }).toEqual({
        status: 'failed',
        outcome: 'opted_out',
      });
      expect(messagesOf(twilio).length).toBe(before);
    });

    // names27 (mreview26 F7): the patient takes a STOP back by SMS — before, START by SMS got the help text and
    // the record stayed opted out (no screen writes sms_opt_out; staff may not).
    it('two-way SMS: START after STOP takes the opt-out back (fr reply) and texts go out again', async () => {
      const w = await newClinic('restart', [{ name: 'Nadia Restart', phone: '+212612000019' }]);
      const opted = async () =>
        (
          await db.query<{ opt: boolean }>('select sms_opt_out as opt from public.patients where id = $1', [
            w.patients[0]!.id,
          ])
        ).rows[0]?.opt;
      const say = (Body: string, MessageSid: string) =>
        webhook('twilio-inbound', { From: '+212612000019', To: TEST_TWILIO.from, Body, MessageSid });
      expect((await say('STOP', 'SMr1')).text).toContain('Répondez START pour les recevoir à nouveau.');
      expect(await opted()).toBe(true);
      const start = await say('START', 'SMr2');
      expect(start.status).toBe(200);
      expect(start.text).toContain(
        '<Message>Vous recevrez à nouveau les SMS de QueueMed. Répondez STOP pour les arrêter.</Message>',
      );
      expect(await opted()).toBe(false);
      const trail = await db.query<{ kind: string; actor_id: string | null }>(
        `select kind, actor_id from public.audit_log where patient_id = $1 order by id`,
        [w.patients[0]!.id],
      );
      expect(trail.rows).toEqual([
        { kind: 'sms_opt_out', actor_id: null },
        { kind: 'sms_opt_in', actor_id: null },
      ]);
      const before = messagesOf(twilio).length;
      const ev = await logEvent(w, 0);
      const sent = await new SupabaseSmsChannel(w.owner).send(yourTurn(w, 0, ev.correlationId));
      expect(sent.ok && sent.value.status).not.toBe('failed');
      expect(messagesOf(twilio).length).toBe(before + 1);
    });

    it("two-way SMS in Arabic: إلغاء cancels today's visit and answers in Arabic", async () => {
      const w = await newClinic('arabic', [{ name: 'يوسف', phone: '+212612000010', language: 'ar' }]);
      const res = await webhook('twilio-inbound', {
        From: '+212612000010',
        To: TEST_TWILIO.from,
        Body: 'إلغاء',
        MessageSid: 'SMin3',
      });
      expect(res.text).toContain('تم إلغاء موعدك (التذكرة A-001)');
      const e = await db.query<{ status: string }>(
        'select status::text from public.queue_entries where id = $1',
        [w.patients[0]!.entryId],
      );
      expect(e.rows).toEqual([{ status: 'cancelled' }]);
    });

    it('Arabic messages count UCS-2 segments (70 / 67 per segment) in the stored record', async () => {
      const w = await newClinic('ucs', [{ name: 'فاطمة', phone: '+212612000011', language: 'ar' }]);
      const body =
        'فاطمة، حان دورك! التذكرة A-001، القاعة 2. شكرًا لانتظارك، يرجى التوجه إلى القاعة الآن من فضلك.';
      const info = smsSegments(body);
      expect(info.encoding).toBe('UCS-2');
      expect(info.units).toBeGreaterThan(70);
      // the clinic's own Arabic template is exactly this text (the patient's language is ar)
      const saved = await w.owner.rpc('save_notification_template', {
        p_clinic_id: w.clinicId,
        p_kind: 'your_turn',
        p_language: 'ar',
        p_body: body.replace('فاطمة', '{patient_name}').replace('A-001', '{ticket}'),
      });
      expect(saved.error).toBeNull();
      const { correlationId, key } = await logEvent(w, 0);
      const r = await new SupabaseSmsChannel(w.owner).send(yourTurn(w, 0, correlationId));
      expect(r.ok && r.value.segments).toBe(2);
      // as sent: the renderer isolates the ticket in an Arabic text (FSI…PDI, issue 15.8) — still 2 segments
      const sent = body.replace('A-001', '\u2068A-001\u2069');
      expect(smsSegments(sent).segments).toBe(2);
      expect(await notification(key)).toEqual([
        expect.objectContaining({ segments: 2, cost: '0.5000', body: sent }),
      ]);
    });

    it('someone who is not staff of the clinic cannot send (AUTH.FORBIDDEN, nothing recorded, nothing sent)', async () => {
      const w = await newClinic('guarded', [{ name: 'Guarded', phone: '+212612000012' }]);
      const outsider = await signUp('outsider');
      const before = messagesOf(twilio).length;
      const { correlationId } = await logEvent(w, 0);
      const r = await new SupabaseSmsChannel(client(outsider.token)).send(yourTurn(w, 0, correlationId));
      expect(r.ok ? 'ok' : r.error.code).toBe('AUTH.FORBIDDEN');
      const anon = await new SupabaseSmsChannel(client()).send(yourTurn(w, 0, correlationId));
      expect(anon.ok ? 'ok' : anon.error.code).toMatch(/^AUTH\./);
      expect(messagesOf(twilio).length).toBe(before);
      const rows = await db.query('select 1 from public.notifications where clinic_id = $1', [w.clinicId]);
      expect(rows.rows).toEqual([]);
    });
    it('send-staff-invitation: an admin sends the invitation link by SMS, once; a wrong token sends nothing', async () => {
      const w = await newClinic('invite', []);
      const { data, error } = await w.owner.rpc('create_staff_invitation', {
        p_clinic_id: w.clinicId,
        p_role: 'receptionist',
        p_display_name: 'Sara Reception',
        p_phone: '+212612000013',
      });
      expect(error).toBeNull();
      const inv = data as { invitation_id: string; token: string };
      const before = messagesOf(twilio).length;
      const res = await w.owner.functions.invoke('send-staff-invitation', {
        body: { invitation_id: inv.invitation_id, token: inv.token },
      });
      expect(res.error).toBeNull();
      expect(res.data).toMatchObject({ channel: 'sms', status: 'sent' });
      const sent = messagesOf(twilio).slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.form).toMatchObject({
        To: '+212612000013',
        Body: `Vous êtes invité(e) à rejoindre Cabinet invite sur QueueMed : ${stack.url}/invite/${inv.token}`,
      });
      // the same invitation again: the key is taken, nothing more is sent
      const again = await w.owner.functions.invoke('send-staff-invitation', {
        body: { invitation_id: inv.invitation_id, token: inv.token },
      });
      expect(again.data).toMatchObject({ status: 'sent' });
      expect(messagesOf(twilio).length - before).toBe(1);
      const wrong = await w.owner.functions.invoke('send-staff-invitation', {
        body: { invitation_id: inv.invitation_id, token: 'x'.repeat(40) },
      });
      expect(wrong.error).not.toBeNull();
      expect(messagesOf(twilio).length - before).toBe(1);
    });
    it('the local stack runs the sweep on its own (sweepIntervalMs): an abandoned call is texted once', async () => {
      const w = await newClinic('hook', [{ name: 'Hook Patient', phone: '+212612000014' }]);
      const entryId = w.patients[0]!.entryId;
      const { error } = await w.owner.rpc('save_queue_step', {
        p_queue_id: w.queueId,
        p_expected_version: 0,
        p_entries: [{ id: entryId, status: 'called', called_at: new Date().toISOString() }],
        p_events: [
          {
            type: 'PatientCalled',
            entry_id: entryId,
            correlation_id: randomUUID(),
            payload: {
              ticket: 'A-001',
              room: 'Salle 1',
              practitionerId: null,
              outOfOrder: false,
              reason: null,
            },
          },
        ],
      });
      expect(error).toBeNull();
      process.env.NOTIFICATION_SWEEP_MIN_AGE_S = '0';
      const second = await startStack({
        db,
        port: 0,
        staticDir: null,
        auth: TEST_AUTH,
        sweepIntervalMs: 100,
        logger: pino({ level: 'silent' }),
      });
      try {
        const mine = () => messagesOf(twilio).filter((m) => m.form.To === '+212612000014');
        const notified = async () =>
          (
            await db.query<{ n: number }>(
              'select count(*)::int as n from public.queue_events where entry_id = $1 and notified_at is not null',
              [entryId],
            )
          ).rows[0]?.n;
        for (let i = 0; i < 300 && (mine().length === 0 || (await notified()) !== 1); i++)
          await new Promise((r) => setTimeout(r, 100));
        expect(mine()).toHaveLength(1);
        expect(mine()[0]!.form.Body).toBe(
          "Cabinet hook : Hook Patient, c'est votre tour ! Ticket A-001. Merci de vous présenter : Salle 1.",
        );
        // three more complete sweeps (counted by the stack, not guessed from a sleep): still one text
        const after = second.sweeps() + 3;
        for (let i = 0; i < 600 && second.sweeps() < after; i++) await new Promise((r) => setTimeout(r, 50));
        expect(second.sweeps()).toBeGreaterThanOrEqual(after);
        expect(mine()).toHaveLength(1);
      } finally {
        await second.stop();
        delete process.env.NOTIFICATION_SWEEP_MIN_AGE_S;
      }
    });

    it('no phone number in any log line (stack and functions), though every test above used one', () => {
      const functionLines = logLines.filter((l) => l.includes('"function log"'));
      expect(functionLines.length).toBeGreaterThan(10);
      expect(logLines.filter((l) => /\+?2126120000\d\d/.test(l))).toEqual([]);
      expect(functionLines.some((l) => l.includes('+2126\u2022'))).toBe(true); // the masked form
    });
  },
);
