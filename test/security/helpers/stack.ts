/**
 * The security suite's stack: QueueMed's real migrations (shim + supabase/migrations) behind the local
 * stack on PGlite or PostgreSQL, the real edge functions, supabase-js clients, the codes the stack
 * "sends" (captured through its delivery hooks, as an SMS provider or mailer would receive them), raw
 * HTTP, and row fingerprints that prove an attack changed nothing.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { SupabaseClient } from '@supabase/supabase-js';
import { expect } from 'vitest';
import { migrate, type Db } from '../../../supabase/local/db';
import type { Stack, StackOptions } from '../../../supabase/local/stack';
import { openTestDb, stackClients, startFixtureStack, type Kind } from '../../fixtures/localStack';
import { approveClinicSms } from '../../fixtures/approveClinicSms';

export type { Kind };
export const KINDS: Kind[] = ['pglite', 'postgres'];

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface SentCode {
  channel: 'sms' | 'email';
  to: string;
  code: string;
}

export interface SecurityStack {
  stack: Stack;
  db: Db;
  /** Every code the stack handed to its SMS / email delivery hooks, oldest first. */
  sent: SentCode[];
  /** The last code sent to a phone (E.164 or digits) or an email. */
  lastCode(to: string): string;
  client(accessToken?: string): SupabaseClient;
  /** A new email + password user (confirmed email, as the local stack's email sign-up is). */
  signUp(label: string): Promise<{
    userId: string;
    email: string;
    token: string;
    refresh: string;
    /** Acts with the token (REST, RPC, Realtime). */
    client: SupabaseClient;
    /** The client that signed up, holding the session: its `auth` calls are the user's. */
    auth: SupabaseClient;
  }>;
  /** A clinic owned by a new user. */
  newClinic(
    label: string,
  ): Promise<{ clinicId: string; userId: string; token: string; client: SupabaseClient }>;
  stop(): Promise<void>;
}

let seq = 0;
export const unique = (label: string): string => `${label}-${process.pid}-${++seq}`;

export async function startSecurityStack(
  kind: Kind,
  options: Partial<StackOptions> & { realFunctions?: boolean } = {},
): Promise<SecurityStack> {
  const { db, close } = await openTestDb(kind, 20, 'migrated');
  await migrate(db);
  const sent: SentCode[] = [];
  const { realFunctions, ...stackOptions } = options;
  const stack = await startFixtureStack(db, {
    onOtp: (phone, code) => {
      sent.push({ channel: 'sms', to: phone.replace(/\D/g, ''), code });
    },
    onEmailCode: (email, code) => {
      sent.push({ channel: 'email', to: email, code });
    },
    ...(realFunctions
      ? { functionsDir: `${ROOT}supabase/functions`, configToml: `${ROOT}supabase/config.toml` }
      : {}),
    ...stackOptions,
  });
  const clients = stackClients(stack, close);
  const client = (accessToken?: string): SupabaseClient => clients.client(stack.anonKey, accessToken);
  const signUp = async (label: string) => {
    const c = client();
    const email = `${unique(label)}@example.test`;
    const { data, error } = await c.auth.signUp({ email, password: 'secret-pass-123' });
    if (error || !data.session || !data.user)
      throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
    return {
      userId: data.user.id,
      email,
      token: data.session.access_token,
      refresh: data.session.refresh_token,
      client: client(data.session.access_token),
      auth: c,
    };
  };
  return {
    stack,
    db,
    sent,
    lastCode(to: string): string {
      const key = to.includes('@') ? to.toLowerCase() : to.replace(/\D/g, '');
      const hit = [...sent].reverse().find((s) => s.to === key);
      if (!hit) throw new Error(`no code was sent to ${to.includes('@') ? 'that email' : 'that phone'}`);
      return hit.code;
    },
    client,
    signUp,
    async newClinic(label) {
      const owner = await signUp(label);
      const { data, error } = await owner.client.rpc('create_clinic', {
        p_name: `Clinic ${label}`,
        p_slug: unique(label)
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '-'),
        p_display_name: `Dr ${label}`,
      });
      if (error) throw new Error(`create_clinic: ${error.message}`);
      const clinicId = (data as { clinic_id: string }).clinic_id;
      await approveClinicSms(stack, clinicId); // abuse17: the operator approves it for SMS
      return {
        clinicId,
        userId: owner.userId,
        token: owner.token,
        client: owner.client,
      };
    },
    stop: clients.stop,
  };
}

/**
 * A fingerprint of tables (as the database owner): md5 over every row's text, per table. Equal
 * fingerprints before and after an attack prove that it wrote nothing there.
 */
export async function fingerprint(db: Db, tables: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const { rows } = await db.query<{ n: number; h: string | null }>(
      `select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${t} x`,
    );
    out[t] = `${rows[0]?.n ?? 0}:${rows[0]?.h ?? ''}`;
  }
  return out;
}

export async function raw(
  stack: Stack,
  path: string,
  init: RequestInit & { apikey?: string | null; token?: string | null } = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const headers = new Headers(init.headers);
  const apikey = init.apikey === undefined ? stack.anonKey : init.apikey;
  if (apikey !== null) headers.set('apikey', apikey);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  const res = await fetch(stack.url + path, { ...init, headers });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

/** Stack traces, SQL, Postgres' own wording, file paths: none may reach a response body. */
export const LEAKS: readonly RegExp[] = [
  /\bat .+\.(ts|js|mjs):\d+/,
  /node_modules/,
  /\/work\//,
  /\bselect\b.+\bfrom\b/i,
  /set_config|json_to_record|to_json\(/,
  /syntax error at or near/i,
  /zero-length delimited identifier/i,
  /invalid byte sequence/i,
  /unsupported Unicode escape/i,
  /stack depth limit/i,
  /duplicate key value violates/i,
  /value too long for type/i,
  /could not determine data type/i,
  /violates (check|not-null|foreign key|unique) constraint/i,
  /RangeError|TypeError|ReferenceError|Maximum call stack/,
];

export function expectNoLeak(text: string, what: string): void {
  for (const re of LEAKS)
    expect(re.test(text), `${what} leaks internals (${re}): ${text.slice(0, 200)}`).toBe(false);
}

export const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
