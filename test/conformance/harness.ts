/**
 * Starts the local stack for a conformance file on PGlite (in memory) or on a throw-away PostgreSQL
 * (the db helper's harness), with the platform shim and the test-only objects of fixtures.sql.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { migrate, type Db } from '../../supabase/local/db';
import type { Stack, StackOptions } from '../../supabase/local/stack';
import { openTestDb, stackClients, startFixtureStack, type Kind } from '../fixtures/localStack';

export type { Kind };
export const KINDS: Kind[] = ['pglite', 'postgres'];

export interface TestStack {
  stack: Stack;
  db: Db;
  client(options?: { accessToken?: string; key?: string }): SupabaseClient;
  stop(): Promise<void>;
}

const FIXTURES = readFileSync(new URL('./fixtures.sql', import.meta.url), 'utf8');

export async function startTestStack(kind: Kind, options: Partial<StackOptions> = {}): Promise<TestStack> {
  const { db, close } = await openTestDb(kind, 20, 'shim');
  // Only the shim: the conformance suite owns its objects (fixtures.sql), not the app's schema.
  await migrate(db, { migrationsDir: mkdtempSync(join(tmpdir(), 'qm-no-migrations-')) });
  await db.exec(FIXTURES);
  const stack = await startFixtureStack(db, options);
  const clients = stackClients(stack, close);
  return {
    stack,
    db,
    client: (o = {}) => clients.client(o.key ?? stack.anonKey, o.accessToken),
    stop: clients.stop,
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
