// Issue 12: the local stack survives its PostgreSQL. pg_terminate_backend of every connection (the
// LISTEN one included) and an immediate stop + start of the server must not end the process (an unhandled
// 'error' event on a pg client would fail this file); while the database is down requests get a coded
// 503 and /health says so; afterwards REST serves again, realtime channels rejoin (CHANNEL_ERROR, then
// SUBSCRIBED: the app refetches on it) and deliver the next change. Also: two stacks on one database
// deliver realtime across (each process LISTENs for itself) — the self-hosting scale-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import {
  migrate,
  openPostgres,
  startTempPostgres,
  type Db,
  type TempPostgres,
} from '../../supabase/local/db';
import type { Stack } from '../../supabase/local/stack';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { saveWalkIn } from '../fixtures/stackWalkIns';
import { stackClients, startFixtureStack } from '../fixtures/localStack';

const waitFor = async (cond: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

interface Feed {
  versions: number[];
  statuses: string[];
}

function follow(client: SupabaseClient, clinicId: string, feed: Feed): void {
  client
    .channel(`resilience-${Math.random().toString(36).slice(2)}`)
    .on(
      'postgres_changes',
      { event: 'UPDATE', schema: 'public', table: 'queues', filter: `clinic_id=eq.${clinicId}` },
      (p) => {
        feed.versions.push((p.new as { version: number }).version);
      },
    )
    .subscribe((status) => {
      feed.statuses.push(status);
    });
}

const subscribedCount = (f: Feed) => f.statuses.filter((s) => s === 'SUBSCRIBED').length;

describe('the local stack survives its PostgreSQL', () => {
  let server: TempPostgres;
  let db: Db;
  let stack: Stack;
  let clients: ReturnType<typeof stackClients>;
  let owner: { userId: string; client: SupabaseClient; clinicId: string };
  let repo: SupabaseQueueRepository;
  let patientSeq = 0;

  const health = async () =>
    (await (await fetch(`${stack.url}/health`)).json()) as { status: string; database: { status: string } };
  const addPatient = async () => {
    const { rows } = await db.query<{ id: string }>(
      'insert into public.patients (clinic_id, full_name) values ($1, $2) returning id',
      [owner.clinicId, `P${++patientSeq}`],
    );
    return { id: rows[0]?.id ?? '', name: `P${patientSeq}` };
  };
  const save = async () => saveWalkIn(repo, owner.clinicId, owner.userId, await addPatient());
  const version = async () =>
    (
      await db.query<{ version: number }>(
        'select max(version)::int as version from public.queues where clinic_id = $1',
        [owner.clinicId],
      )
    ).rows[0]?.version ?? -1;

  beforeAll(async () => {
    server = await startTempPostgres({ ignoreEnv: true });
    db = await openPostgres({ url: server.url, max: 10, reconnectMaxMs: 200 });
    await migrate(db);
    stack = await startFixtureStack(db, { databaseUrl: server.url });
    clients = stackClients(stack, async () => {
      await db.close();
      await server.stop();
    });
    const anon = clients.client(stack.anonKey);
    const { data, error } = await anon.auth.signUp({
      email: 'resilience-owner@example.test',
      password: 'secret-pass-123',
    });
    if (error || !data.session || !data.user) throw new Error(`sign-up: ${error?.message}`);
    const client = clients.client(stack.anonKey, data.session.access_token);
    const made = await client.rpc('create_clinic', {
      p_name: 'Resilience',
      p_slug: 'resilience',
      p_display_name: 'Dr R',
    });
    if (made.error) throw new Error(made.error.message);
    owner = { userId: data.user.id, client, clinicId: (made.data as { clinic_id: string }).clinic_id };
    repo = new SupabaseQueueRepository(client);
  });
  afterAll(async () => {
    await clients?.stop();
  });

  it('keeps serving after pg_terminate_backend of every connection; realtime rejoins and delivers', async () => {
    const feed: Feed = { versions: [], statuses: [] };
    follow(owner.client, owner.clinicId, feed);
    await waitFor(() => subscribedCount(feed) === 1, 'first SUBSCRIBED');
    await save();
    const v1 = await version();
    await waitFor(() => feed.versions.includes(v1), 'the first change');

    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const { rows } = await admin.query<{ n: number }>(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where pid <> pg_backend_pid() and backend_type = 'client backend'`,
    );
    await admin.end();
    expect(rows[0]?.n).toBeGreaterThanOrEqual(2); // the pool's connections and the LISTEN connection

    // REST serves again at once (a transaction that met a dead pooled connection runs on a fresh one).
    await save();
    // The channel was errored (changes may have been missed) and rejoined once LISTEN was back.
    await waitFor(
      () => feed.statuses.includes('CHANNEL_ERROR') && subscribedCount(feed) >= 2,
      'CHANNEL_ERROR then SUBSCRIBED again',
    );
    await save();
    const v3 = await version();
    await waitFor(() => feed.versions.includes(v3), 'a change after the rejoin');
    expect((await health()).database.status).toBe('up');
  });

  it('answers 503 with a code while the database is down, reports it in /health, and recovers after a restart', async () => {
    const feed: Feed = { versions: [], statuses: [] };
    follow(owner.client, owner.clinicId, feed);
    await waitFor(() => subscribedCount(feed) === 1, 'SUBSCRIBED');

    await server.halt(); // as pg_ctl stop -m immediate
    await waitFor(
      async () => (await health()).database.status === 'down',
      '/health to report the database down',
    );
    const h = await fetch(`${stack.url}/health`);
    expect(h.status).toBe(503);
    expect(((await h.json()) as { status: string }).status).toBe('degraded');

    const rest = await fetch(`${stack.url}/rest/v1/rpc/get_queue`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ p_clinic_id: owner.clinicId }),
    });
    expect(rest.status).toBe(503);
    expect(((await rest.json()) as { code: string }).code).toBe('PGRST000');
    const auth = await fetch(`${stack.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'resilience-owner@example.test', password: 'secret-pass-123' }),
    });
    expect(auth.status).toBe(503);
    expect(((await auth.json()) as { code: string }).code).toBe('database_unavailable');
    await waitFor(() => feed.statuses.includes('CHANNEL_ERROR'), 'the channel to be errored');

    await server.resume();
    await waitFor(
      async () => (await health()).database.status === 'up',
      '/health to report the database up again',
    );
    await save();
    await waitFor(() => subscribedCount(feed) >= 2, 'SUBSCRIBED again after the restart');
    await save();
    const v = await version();
    await waitFor(() => feed.versions.includes(v), 'a change after the restart');
  });

  it('two stacks on one database: a change made through one reaches a subscriber of the other', async () => {
    const db2 = await openPostgres({ url: server.url, max: 5 });
    const stack2 = await startFixtureStack(db2, { keys: stack.keys, databaseUrl: server.url });
    try {
      const viaTwo = stackClients(stack2, async () => {});
      const { data: signIn, error } = await viaTwo
        .client(stack2.anonKey)
        .auth.signInWithPassword({ email: 'resilience-owner@example.test', password: 'secret-pass-123' });
      if (error || !signIn.session) throw new Error(`sign-in on stack 2: ${error?.message}`);
      const subscriber = viaTwo.client(stack2.anonKey, signIn.session.access_token);
      const feed: Feed = { versions: [], statuses: [] };
      follow(subscriber, owner.clinicId, feed);
      await waitFor(() => subscribedCount(feed) === 1, 'SUBSCRIBED on stack 2');
      await save(); // through stack 1
      const v = await version();
      await waitFor(() => feed.versions.includes(v), 'the change on stack 2');
      await subscriber.removeAllChannels();
    } finally {
      await stack2.stop();
      await db2.close();
    }
  });
});
