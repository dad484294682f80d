/**
 * The security suites' world: the local stack (real migrations, real GoTrue shim, send-sms in real Deno) on
 * PGlite or a throw-away PostgreSQL, a fake Twilio on 127.0.0.1 recording every message, supabase-js
 * clients, and row fingerprints to prove that a refused attack changed nothing.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pino from 'pino';
import WebSocket from 'ws';
import { migrate, type Db } from '../../supabase/local/db';
import { startStack, type Stack } from '../../supabase/local/stack';
import { fakeTwilioEnv, messagesOf, startFakeTwilio, type FakeTwilio } from '../fixtures/fakeTwilio';
import { openTestDb, TEST_AUTH, type Kind } from '../fixtures/localStack';
import { approveClinicSms } from '../fixtures/approveClinicSms';

export const KINDS: Kind[] = ['pglite', 'postgres'];

export interface Account {
  userId: string;
  token: string;
  client: SupabaseClient;
  email: string;
}

export interface Clinic {
  clinicId: string;
  queueId: string;
  owner: Account;
  patients: { id: string; entryId: string; phone: string }[];
}

export interface Kit {
  db: Db;
  stack: Stack;
  twilio: FakeTwilio;
  client(token?: string): SupabaseClient;
  signUp(label: string): Promise<Account>;
  newClinic(label: string, patients: { name: string; phone: string }[], owner?: Account): Promise<Clinic>;
  logEvent(c: Clinic, i: number, type: string, payload?: Record<string, unknown>): Promise<string>;
  /** A fingerprint of whole tables (every row, every column): equal before and after = nothing changed. */
  fingerprint(...tables: string[]): Promise<string>;
  /** Messages Twilio received since `from` (an index from `sentCount`). */
  sentSince(from: number): { to: string; from: string | undefined; body: string }[];
  sentCount(): number;
  /** The last one-time code the auth service texted to `phone` (E.164). */
  otp(phone: string): string | undefined;
  /** Raw HTTP to the stack. */
  http(
    path: string,
    init: { method?: string; token?: string | null; apikey?: string | null; body?: unknown },
  ): Promise<{ status: number; json: Record<string, unknown> | null; text: string }>;
  stop(): Promise<void>;
}

let seq = 0;

export async function startKit(kind: Kind): Promise<Kit> {
  const twilio = await startFakeTwilio();
  Object.assign(process.env, fakeTwilioEnv(twilio)); // the functions' Deno processes inherit it
  const { db, close } = await openTestDb(kind, 20, 'migrated');
  await migrate(db);
  const otps = new Map<string, string>();
  const stack = await startStack({
    db,
    port: 0,
    staticDir: null,
    auth: TEST_AUTH,
    logger: pino({ level: 'silent' }),
    onOtp: (phone, code) => void otps.set(phone, code),
  });
  const clients: SupabaseClient[] = [];
  const client = (token?: string): SupabaseClient => {
    const c = createClient(stack.url, stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
      ...(token ? { accessToken: async () => token } : {}),
    });
    clients.push(c);
    return c;
  };
  const signUp = async (label: string): Promise<Account> => {
    const email = `${label}-${process.pid}-${++seq}@example.test`.toLowerCase();
    const c = client();
    const { data, error } = await c.auth.signUp({ email, password: 'secret-pass-123' });
    if (error || !data.session || !data.user)
      throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
    return { userId: data.user.id, token: data.session.access_token, client: c, email };
  };
  const newClinic: Kit['newClinic'] = async (label, patients, owner) => {
    const o = owner ?? (await signUp(label));
    const { data, error } = await o.client.rpc('create_clinic', {
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
    const out: Clinic['patients'] = [];
    for (const [i, p] of patients.entries()) {
      const pr = await db.query<{ id: string }>(
        'insert into public.patients (clinic_id, full_name, phone) values ($1, $2, $3) returning id',
        [clinicId, p.name, p.phone],
      );
      const e = await db.query<{ id: string }>(
        `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key, checked_in_at)
         values ($1, $2, $3, 'walk_in', 'waiting', $4::int, $4::int, now()) returning id`,
        [queueId, clinicId, pr.rows[0]!.id, i + 1],
      );
      out.push({ id: pr.rows[0]!.id, entryId: e.rows[0]!.id, phone: p.phone });
    }
    return { clinicId, queueId, owner: o, patients: out };
  };
  const logEvent: Kit['logEvent'] = async (c, i, type, payload = { ticket: 'A-001', room: '2' }) => {
    const correlationId = randomUUID();
    await db.query(
      `insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, correlation_id)
       values ($1, $2, $3, $4, $5::jsonb, $6)`,
      [c.queueId, c.clinicId, c.patients[i]!.entryId, type, JSON.stringify(payload), correlationId],
    );
    return correlationId;
  };
  const fingerprint = async (...tables: string[]): Promise<string> => {
    const parts: string[] = [];
    for (const t of tables) {
      const r = await db.query<{ f: string }>(
        `select count(*)::text || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as f from ${t} x`,
      );
      parts.push(`${t}=${r.rows[0]!.f}`);
    }
    return parts.join(' ');
  };
  const http: Kit['http'] = async (path, init) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const apikey = init.apikey === undefined ? stack.anonKey : init.apikey;
    if (apikey !== null) headers.apikey = apikey;
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await fetch(stack.url + path, {
      method: init.method ?? 'POST',
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text };
  };
  return {
    db,
    stack,
    twilio,
    client,
    signUp,
    newClinic,
    logEvent,
    fingerprint,
    sentCount: () => messagesOf(twilio).length,
    otp: (phone) => otps.get(phone),
    sentSince: (from) =>
      messagesOf(twilio)
        .slice(from)
        .map((m) => ({ to: m.form.To ?? '', from: m.form.From, body: m.form.Body ?? '' })),
    http,
    async stop() {
      for (const c of clients.splice(0)) await c.removeAllChannels();
      await stack.stop();
      await close();
      await twilio.close();
    },
  };
}

/** The error of a supabase-js answer as `<code>` (PostgREST puts the app code in `message`). */
export const codeOf = (r: { error: { message?: string; code?: string } | null }): string =>
  r.error ? (r.error.message ?? r.error.code ?? 'error') : 'ok';
