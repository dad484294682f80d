/**
 * `npm run bench`: the local stack's figures on PGlite and PostgreSQL, with the app's real migrations and
 * RPCs (get_queue = queue load, save_queue_step = queue save):
 *   1. RPC round trip p50/p95 for a queue load and a queue save (sequential, one staff session);
 *   2. realtime delay from a save to 50 subscribers receiving the `queues` change (p50/p95);
 *      the subscribers are 50 different users, so each change is re-read under 50 different claims;
 *   3. mixed load: 200 clients (20 staff saving queue steps, 180 patients reading the waiting board)
 *      for BENCH_DURATION seconds (default 60): throughput, p95, errors (409 version conflicts between
 *      staff are expected under optimistic concurrency and counted apart).
 * Env: BENCH_DB=pglite|postgres|both (default both), BENCH_DURATION=60, BENCH_ITER=200.
 * Only 127.0.0.1 is used.
 */
import { mkdtempSync } from 'node:fs';
import { spawnBenchServer } from './benchServer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pino from 'pino';
import WebSocket from 'ws';
import { migrate, openDb, openPostgres, startTempPostgres, type Db } from './db/index.js';
import { startStack } from './stack.js';

/** What the load generator needs of the stack (it runs in another process). */
interface Stack {
  url: string;
  anonKey: string;
}

const DURATION_S = Number(process.env.BENCH_DURATION ?? 60);
const ITER = Number(process.env.BENCH_ITER ?? 200);
const SUBSCRIBERS = 50;
const STAFF = 20;
const PATIENTS = 180;
const STAFF_THINK_MS = Number(process.env.BENCH_STAFF_THINK_MS ?? 1000);
const PATIENT_THINK_MS = Number(process.env.BENCH_PATIENT_THINK_MS ?? 1000);

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
};
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

interface Ctx {
  stack: Stack;
  token: string;
  clinicId: string;
  queueId: string;
}

async function rpc(
  stack: Stack,
  fn: string,
  args: unknown,
  token: string | null,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${stack.url}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      authorization: `Bearer ${token ?? stack.anonKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(args),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}

async function auth(stack: Stack, path: string, body: unknown): Promise<{ access_token: string }> {
  const res = await fetch(`${stack.url}/auth/v1/${path}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`auth ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { access_token: string };
}

async function setup(stack: Stack): Promise<Ctx> {
  const s = await auth(stack, 'signup', { email: 'bench-owner@example.test', password: 'bench-password' });
  const clinic = await rpc(
    stack,
    'create_clinic',
    { p_name: 'Bench clinic', p_slug: `bench-${Date.now()}` },
    s.access_token,
  );
  if (clinic.status !== 200) throw new Error(`create_clinic ${clinic.status} ${JSON.stringify(clinic.json)}`);
  const clinicId = (clinic.json as { clinic_id: string }).clinic_id;
  const q = await rpc(stack, 'get_queue', { p_clinic_id: clinicId }, s.access_token);
  if (q.status !== 200) throw new Error(`get_queue ${q.status} ${JSON.stringify(q.json)}`);
  const queueId = (q.json as { queue: { id: string } }).queue.id;
  return { stack, token: s.access_token, clinicId, queueId };
}

async function loadQueue(c: Ctx, token = c.token): Promise<{ status: number; version: number }> {
  const r = await rpc(c.stack, 'get_queue', { p_clinic_id: c.clinicId }, token);
  return {
    status: r.status,
    version: (r.json as { queue?: { version?: number } } | null)?.queue?.version ?? -1,
  };
}

async function saveQueue(
  c: Ctx,
  version: number,
  token = c.token,
): Promise<{ status: number; version: number }> {
  const r = await rpc(
    c.stack,
    'save_queue_step',
    {
      p_queue_id: c.queueId,
      p_expected_version: version,
      p_entries: [],
      p_events: [{ type: 'BenchStep', payload: { v: version } }],
    },
    token,
  );
  return { status: r.status, version: typeof r.json === 'number' ? r.json : -1 };
}

async function roundTrips(c: Ctx): Promise<void> {
  const load: number[] = [];
  const save: number[] = [];
  let { version } = await loadQueue(c);
  for (let i = 0; i < 20; i++) version = (await saveQueue(c, version)).version; // warm-up
  for (let i = 0; i < ITER; i++) {
    let t = performance.now();
    const l = await loadQueue(c);
    load.push(performance.now() - t);
    t = performance.now();
    const s = await saveQueue(c, l.version);
    save.push(performance.now() - t);
    if (s.status !== 200) throw new Error(`save failed: ${s.status}`);
  }
  console.log(
    `  RPC queue load (get_queue)        p50 ${ms(pct(load, 50))}  p95 ${ms(pct(load, 95))}  (n=${ITER})`,
  );
  console.log(
    `  RPC queue save (save_queue_step)  p50 ${ms(pct(save, 50))}  p95 ${ms(pct(save, 95))}  (n=${ITER})`,
  );
}

async function realtimeDelay(c: Ctx): Promise<void> {
  const clients: SupabaseClient[] = [];
  const sent = new Map<number, number>();
  const delays: number[] = [];
  let received = 0;
  for (let i = 0; i < SUBSCRIBERS; i++) {
    // 50 different users: each change is re-read under 50 different claims (the worst case for RLS).
    const s = await auth(c.stack, 'signup', {
      email: `bench-sub-${i}@example.test`,
      password: 'bench-password',
    });
    const client = createClient(c.stack.url, c.stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as never },
    });
    await client.realtime.setAuth(s.access_token);
    await new Promise<void>((resolve, reject) => {
      client
        .channel(`bench-${i}`)
        .on(
          'postgres_changes',
          { event: 'UPDATE', schema: 'public', table: 'queues', filter: `id=eq.${c.queueId}` },
          (p) => {
            const t0 = sent.get((p.new as { version: number }).version);
            if (t0 !== undefined) {
              delays.push(performance.now() - t0);
              received++;
            }
          },
        )
        .subscribe((st, err) =>
          st === 'SUBSCRIBED'
            ? resolve()
            : st === 'CHANNEL_ERROR' || st === 'TIMED_OUT'
              ? reject(err ?? new Error(st))
              : undefined,
        );
    });
    clients.push(client);
  }
  let { version } = await loadQueue(c);
  const saves = 50;
  for (let i = 0; i < saves; i++) {
    sent.set(version + 1, performance.now());
    const s = await saveQueue(c, version);
    version = s.version;
    await sleep(100);
  }
  const until = Date.now() + 5000;
  while (received < saves * SUBSCRIBERS && Date.now() < until) await sleep(20);
  console.log(
    `  Realtime save → ${SUBSCRIBERS} subscribers        p50 ${ms(pct(delays, 50))}  p95 ${ms(pct(delays, 95))}  (received ${received}/${saves * SUBSCRIBERS})`,
  );
  for (const cl of clients) await cl.removeAllChannels();
}

async function mixedLoad(c: Ctx): Promise<void> {
  const staffTokens: string[] = [];
  for (let i = 0; i < STAFF; i++) {
    staffTokens.push(
      (
        await auth(c.stack, 'token?grant_type=password', {
          email: 'bench-owner@example.test',
          password: 'bench-password',
        })
      ).access_token,
    );
  }
  const lat: Record<'save' | 'load' | 'board', number[]> = { save: [], load: [], board: [] };
  let errors = 0;
  let conflicts = 0;
  let requests = 0;
  const end = Date.now() + DURATION_S * 1000;
  const timed = async <T extends { status: number }>(
    kind: keyof typeof lat,
    f: () => Promise<T>,
  ): Promise<T | null> => {
    const t = performance.now();
    try {
      const r = await f();
      requests++;
      lat[kind].push(performance.now() - t);
      if (r.status === 409) conflicts++;
      else if (r.status >= 400) errors++;
      return r;
    } catch {
      requests++;
      errors++;
      return null;
    }
  };
  const staff = async (token: string): Promise<void> => {
    await sleep(Math.random() * STAFF_THINK_MS);
    while (Date.now() < end) {
      const l = await timed('load', () => loadQueue(c, token));
      if (l) await timed('save', () => saveQueue(c, l.version, token));
      await sleep(STAFF_THINK_MS);
    }
  };
  const patient = async (): Promise<void> => {
    await sleep(Math.random() * PATIENT_THINK_MS);
    while (Date.now() < end) {
      await timed('board', () => rpc(c.stack, 'get_waiting_board', { p_clinic_id: c.clinicId }, null));
      await sleep(PATIENT_THINK_MS);
    }
  };
  const t0 = performance.now();
  await Promise.all([
    ...staffTokens.map((t) => staff(t)),
    ...Array.from({ length: PATIENTS }, () => patient()),
  ]);
  const secs = (performance.now() - t0) / 1000;
  const all = [...lat.save, ...lat.load, ...lat.board];
  console.log(
    `  Mixed load ${STAFF + PATIENTS} clients × ${DURATION_S}s: ${(requests / secs).toFixed(0)} req/s, p95 ${ms(pct(all, 95))}, errors ${errors}, version conflicts ${conflicts} (expected)`,
  );
  console.log(
    `    save p95 ${ms(pct(lat.save, 95))} (n=${lat.save.length}) · load p95 ${ms(pct(lat.load, 95))} · board read p95 ${ms(pct(lat.board, 95))} (n=${lat.board.length})`,
  );
}

/** Child process: the stack under test (so the load generator does not share its event loop). */
export async function serveBench(kind: 'pglite' | 'postgres'): Promise<void> {
  let db: Db;
  let stopPg: (() => Promise<void>) | null = null;
  let printStats: (() => Promise<void>) | null = null;
  if (kind === 'postgres') {
    // BENCH_PG_STATS=1: pg_stat_statements (nested statements too) on the temporary server; its top statements by
    // execution time are printed to stderr when the stack stops (where a command's PostgreSQL time goes, issue 12)
    const stats = process.env.BENCH_PG_STATS === '1';
    const pg = await startTempPostgres(
      stats
        ? {
            settings: {
              shared_preload_libraries: 'pg_stat_statements',
              'pg_stat_statements.track': 'all',
            },
          }
        : {},
    );
    stopPg = pg.stop;
    db = await openPostgres({ url: pg.url, max: 20 });
    if (stats) {
      await db.exec('create extension if not exists pg_stat_statements');
      process.on('SIGUSR2', () => {
        db.exec('select pg_stat_statements_reset()').then(
          () => process.stderr.write('[pg] pg-stats-reset\n'),
          (e: unknown) => process.stderr.write(`[pg] ${String(e)}\n`),
        );
      });
      printStats = async () => {
        const { rows } = await db.query<Record<string, unknown>>(
          `select calls, round(total_exec_time::numeric, 1) as total_ms,
                  round((total_exec_time / greatest(calls, 1))::numeric, 3) as mean_ms, toplevel,
                  left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query
             from pg_stat_statements order by total_exec_time desc limit 40`,
        );
        for (const r of rows)
          process.stderr.write(
            `[pg] ${String(r.total_ms).padStart(9)} ms ${String(r.calls).padStart(7)}× ${String(r.mean_ms).padStart(8)} ms ${r.toplevel ? 'top ' : 'nest'} ${String(r.query)}\n`,
          );
      };
    }
  } else {
    // In its worker thread unless QUEUEMED_PGLITE_THREAD=inline (bench:health compares the two).
    db = await openDb({ dataDir: join(mkdtempSync(join(tmpdir(), 'qm-bench-')), 'pglite'), useEnv: false });
  }
  await migrate(db, { seed: false });
  const stack = await startStack({
    db,
    // BENCH_STACK_PORT: a fixed port (a shared machine's own range); the OS's choice otherwise
    port: Number(process.env.BENCH_STACK_PORT ?? 0),
    staticDir: null,
    logger: pino({ level: 'warn' }),
    auth: { signInLimit: { max: 1_000_000, windowMs: 60_000 } },
  });
  process.stdout.write(
    JSON.stringify({ url: stack.url, anonKey: stack.anonKey, serviceKey: stack.serviceKey }) + '\n',
  );
  const stop = async () => {
    await printStats?.().catch((e: unknown) => process.stderr.write(`[pg] ${String(e)}\n`));
    await stack.stop();
    await db.close();
    if (stopPg) await stopPg();
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  process.once('SIGTERM', () => void stop());
}

async function benchOn(kind: 'pglite' | 'postgres'): Promise<void> {
  const { served: stack, child } = await spawnBenchServer(kind);
  try {
    console.log(
      `\n${kind === 'pglite' ? 'PGlite (embedded, persisted to a temp folder)' : 'PostgreSQL (temporary server, pool of 20)'} — stack in its own process`,
    );
    const c = await setup(stack);
    await roundTrips(c);
    await realtimeDelay(c);
    await mixedLoad(c);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end();
    await exited;
  }
}

export async function runBench(): Promise<void> {
  const which = process.env.BENCH_DB ?? 'both';
  console.log(
    `QueueMed local stack bench — node ${process.version}, duration ${DURATION_S}s, iterations ${ITER}`,
  );
  if (which === 'both' || which === 'pglite') await benchOn('pglite');
  if (which === 'both' || which === 'postgres') await benchOn('postgres');
  console.log('\nTargets on PostgreSQL: queue save p95 < 25 ms, realtime p95 < 150 ms, 0 errors.');
}
