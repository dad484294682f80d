/**
 * `npm run bench:api`: REST /v1 (edge function `api`, real Deno) on the local stack with the real
 * migrations — 100 clinic API keys at once: a booking per key per round (POST /v1/bookings), then visit
 * status reads (GET /v1/visits/{token}), each sent by one of the 100 keys (so every read also pays the key
 * lookup and its rate window, as an integration's would), and the same reads without credentials (the
 * patient's link); prints p50/p95/max and errors. The load generator runs in the stack's process (figures
 * include its share of the 2-core machine).
 * Env: BENCH_DB=postgres|pglite (default postgres), BENCH_KEYS=100, BENCH_ROUNDS=2, BENCH_READ_ROUNDS=5,
 * BENCH_PORT (default 0: any free port). Only 127.0.0.1 is used.
 */
import { createClient } from '@supabase/supabase-js';
import pino from 'pino';
import WebSocket from 'ws';
import { migrate, openPglite, openPostgres, startTempPostgres, type Db } from '../supabase/local/db/index.js';
import { startStack } from '../supabase/local/stack.js';

const KEYS = Number(process.env['BENCH_KEYS'] ?? 100);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const READ_ROUNDS = Number(process.env['BENCH_READ_ROUNDS'] ?? 5);
const KIND = process.env['BENCH_DB'] === 'pglite' ? 'pglite' : 'postgres';
const PORT = Number(process.env['BENCH_PORT'] ?? 0);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const fmt = (xs: number[]) =>
  `n=${xs.length} p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

let stopPg: (() => Promise<void>) | null = null;
let db: Db;
let databaseUrl: string | undefined;
if (KIND === 'postgres') {
  const pg = await startTempPostgres();
  stopPg = pg.stop;
  databaseUrl = pg.url;
  db = await openPostgres({ url: pg.url, max: 20 });
} else {
  db = await openPglite();
}
await migrate(db);
const stack = await startStack({
  db,
  port: PORT,
  host: '127.0.0.1',
  staticDir: null,
  logger: pino({ level: 'silent' }),
  databaseUrl,
  // the bench's anonymous reads all come from 127.0.0.1: the per-address limit (60 a minute) is not what it measures
  publicApiIpLimit: { max: 1_000_000, windowMs: 60_000 },
});
const api = `${stack.url}/functions/v1/api`;
try {
  const anon = createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false },
    realtime: { transport: WebSocket as never },
  });
  const { data: su, error: suErr } = await anon.auth.signUp({
    email: `bench-${process.pid}@example.test`,
    password: 'secret-pass-123',
  });
  if (suErr || !su.session) throw new Error(`sign-up: ${suErr?.message}`);
  const token = su.session.access_token;
  const owner = createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false },
    realtime: { transport: WebSocket as never },
    accessToken: () => Promise.resolve(token),
  });
  const { data: c, error: cErr } = await owner.rpc('create_clinic', {
    p_name: 'Bench API',
    p_slug: `bench-api-${process.pid}`,
    p_display_name: 'Dr Bench',
  });
  if (cErr) throw new Error(cErr.message);
  const clinicId = (c as { clinic_id: string }).clinic_id;
  await db.query(
    `update public.clinics set time_zone = 'UTC', settings = coalesce(settings, '{}'::jsonb) || '{"slot_capacity": 50}' where id = $1`,
    [clinicId],
  );
  for (let d = 0; d < 7; d++)
    await db.query(
      `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at) values ($1, $2, '00:00', '23:59')`,
      [clinicId, d],
    );
  const patients: string[] = [];
  const keys: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.patients (clinic_id, full_name) values ($1, $2) returning id`,
      [clinicId, `Bench Patient ${i}`],
    );
    patients.push(rows[0]!.id);
    const { data, error } = await owner.rpc('create_api_key', {
      p_clinic_id: clinicId,
      p_name: `bench ${i}`,
      p_scopes: ['bookings'],
      p_rate_limit_per_minute: 10000,
    });
    if (error) throw new Error(error.message);
    keys.push((data as { key: string }).key);
  }
  const slotsOf = async (offsetDays: number): Promise<string[]> => {
    const day = new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const r = await fetch(`${api}/v1/clinics/${clinicId}/slots?from=${day}&limit=100`);
    const found = ((await r.json()) as { data: { start: string }[] }).data.map((x) => x.start);
    if (found.length === 0) throw new Error('no slots');
    return found;
  };

  // one patient, one visit a day (QUEUE.DUPLICATE_ENTRY otherwise): each round books another day
  const sequential: number[] = [];
  const seqSlots = await slotsOf(2);
  for (let i = 0; i < Math.min(20, KEYS); i++) {
    const t0 = performance.now();
    const res = await fetch(`${api}/v1/bookings`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys[i]}`,
        'content-type': 'application/json',
        'idempotency-key': `seq-${i}`,
      },
      body: JSON.stringify({ clinicId, patientId: patients[i], slotStart: seqSlots[i % seqSlots.length] }),
    });
    await res.arrayBuffer();
    if (res.status === 201) sequential.push(performance.now() - t0);
  }
  const timed = async (f: () => Promise<Response>): Promise<{ ms: number; res: Response }> => {
    const t0 = performance.now();
    const res = await f();
    await res.arrayBuffer().catch(() => undefined);
    return { ms: performance.now() - t0, res };
  };

  const booking: number[] = [];
  const tokens: string[] = [];
  let bookErrors = 0;
  const codes = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    const slots = await slotsOf(3 + round);
    const results = await Promise.all(
      keys.map(async (key, i) => {
        const t0 = performance.now();
        const res = await fetch(`${api}/v1/bookings`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'idempotency-key': `bench-${round}-${i}`,
          },
          body: JSON.stringify({
            clinicId,
            patientId: patients[i],
            slotStart: slots[i % slots.length],
          }),
        });
        const body = (await res.json()) as { trackingToken?: string; code?: string };
        return {
          ms: performance.now() - t0,
          ok: res.status === 201,
          token: body.trackingToken,
          code: body.code,
        };
      }),
    );
    for (const r of results) {
      if (r.ok) {
        booking.push(r.ms);
        if (r.token) tokens.push(r.token);
      } else {
        bookErrors++;
        codes.set(String(r.code), (codes.get(String(r.code)) ?? 0) + 1);
      }
    }
  }
  if (tokens.length === 0)
    throw new Error(`no booking succeeded: ${JSON.stringify(Object.fromEntries(codes))}`);
  const readRounds = async (withKey: boolean) => {
    const ms: number[] = [];
    let errors = 0;
    for (let round = 0; round < READ_ROUNDS; round++) {
      const results = await Promise.all(
        keys.map((key, i) =>
          timed(() =>
            fetch(`${api}/v1/visits/${tokens[i % tokens.length]}`, {
              headers: withKey ? { authorization: `Bearer ${key}` } : {},
            }),
          ),
        ),
      );
      for (const r of results) {
        if (r.res.status === 200) ms.push(r.ms);
        else errors++;
      }
    }
    return { ms, errors };
  };
  const keyed = await readRounds(true);
  const anonymous = await readRounds(false);
  process.stdout.write(`REST /v1 on ${KIND}, ${KEYS} API keys at once (edge function in real Deno):\n`);
  process.stdout.write(`  POST /v1/bookings, one at a time   ${fmt(sequential)}\n`);
  process.stdout.write(
    `  POST /v1/bookings, ${KEYS} at once   ${fmt(booking)}, errors ${bookErrors}${codes.size ? ` ${JSON.stringify(Object.fromEntries(codes))}` : ''}\n`,
  );
  process.stdout.write(
    `  GET  /v1/visits/{token}, ${KEYS} keys at once   ${fmt(keyed.ms)}, errors ${keyed.errors}\n`,
  );
  process.stdout.write(
    `  GET  /v1/visits/{token}, ${KEYS} at once, no key   ${fmt(anonymous.ms)}, errors ${anonymous.errors}\n`,
  );
} finally {
  await stack.stop();
  await db.close();
  if (stopPg) await stopPg();
}
process.exit(0);
