/**
 * Starts the local stack for a conformance file on PGlite (in memory) or on a throw-away PostgreSQL
 * (the db helper's harness), with the platform shim and the test-only objects of fixtures.sql.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pino from 'pino';
import WebSocket from 'ws';
import { migrate, openPglite, openPostgres, startTempPostgres, type Db } from '../../supabase/local/db';
import { startStack, type Stack, type StackOptions } from '../../supabase/local/stack';

export type Kind = 'pglite' | 'postgres';
export const KINDS: Kind[] = ['pglite', 'postgres'];

export interface TestStack {
  stack: Stack;
  db: Db;
  client(options?: { accessToken?: string; key?: string }): SupabaseClient;
  stop(): Promise<void>;
}

const FIXTURES = readFileSync(new URL('./fixtures.sql', import.meta.url), 'utf8');

export async function startTestStack(kind: Kind, options: Partial<StackOptions> = {}): Promise<TestStack> {
  let stopPg: (() => Promise<void>) | null = null;
  let db: Db;
  if (kind === 'postgres') {
    const pg = await startTempPostgres();
    stopPg = pg.stop;
    db = await openPostgres({ url: pg.url, max: 20 });
  } else {
    db = await openPglite();
  }
  // Only the shim: the conformance suite owns its objects (fixtures.sql), not the app's schema.
  await migrate(db, { migrationsDir: mkdtempSync(join(tmpdir(), 'qm-no-migrations-')) });
  await db.exec(FIXTURES);
  const stack = await startStack({
    db,
    port: 0,
    staticDir: null,
    functionsDir: new URL('../fixtures/functions', import.meta.url).pathname,
    configToml: new URL('../fixtures/functions/config.toml', import.meta.url).pathname,
    logger: pino({ level: process.env.STACK_LOG ?? 'silent' }),
    ...options,
  });
  const clients: SupabaseClient[] = [];
  return {
    stack,
    db,
    client(o = {}) {
      const c = createClient(stack.url, o.key ?? stack.anonKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        realtime: { transport: WebSocket as never },
        ...(o.accessToken ? { accessToken: async () => o.accessToken ?? null } : {}),
      });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) await c.removeAllChannels();
      await stack.stop();
      await db.close();
      if (stopPg) await stopPg();
    },
  };
}

export async function call(
  stack: Stack,
  path: string,
  init: RequestInit & { apikey?: string | null; token?: string | null } = {},
): Promise<{ status: number; text: string; json: unknown; headers: Headers }> {
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
  return { status: res.status, text, json, headers: res.headers };
}

/** Things that must never appear in a response body: stack traces, SQL, file paths. */
export function assertNoLeak(text: string): void {
  const bad = [
    /\bat .+\.(ts|js|mjs):\d+/,
    /node_modules/,
    /\/work\//,
    /\bselect\b.+\bfrom\b/i,
    /set_config/,
    /json_to_record/,
  ];
  for (const re of bad)
    if (re.test(text)) throw new Error(`response leaks internals (${re}): ${text.slice(0, 300)}`);
}
