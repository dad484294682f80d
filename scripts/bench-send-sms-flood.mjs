// review26 L5, session 27: clinic A's desk send-sms while another account floods send-sms (its own clinic's
// duplicate, FLOOD parallel loops), on the local stack (PGlite, send-sms in real Deno, a fake Twilio on 127.0.0.1).
// Prints, per phase (the desk alone, then the desk during the flood): the desk's send-sms p50/p95/max (each desk send
// a new owed "your turn", so each is a real message), the flood's answers (200 / 429) and calls per second, the CPU
// seconds of the whole process tree (this process + the Deno function host + PostgreSQL if any) and the load average.
// Nothing is asserted: figures for a paired comparison (run it on main and on the branch back to back).
// `node scripts/bench-send-sms-flood.mjs`; env BENCH_FLOOD=30 (loops), BENCH_DESK_N=35 (desk sends per window).
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { register } from 'tsx/esm/api';

register();

const FLOOD = Number(process.env.BENCH_FLOOD ?? 30);
// 3 warm-up + 3 × 35 desk sends stay under the caller limit (120 a minute): the bench desk sends back to back, far
// faster than a real desk
const DESK_N = Number(process.env.BENCH_DESK_N ?? 35);

/** The flood: FLOOD_LOOPS loops POSTing until stdin ends; prints the answers' statuses counted, as JSON. */
const FLOOD_SCRIPT = `
let stop = false;
process.stdin.on('data', () => (stop = true));
process.stdin.on('end', () => (stop = true));
const counts = {};
await Promise.all(Array.from({ length: Number(process.env.FLOOD_LOOPS) }, async () => {
  while (!stop) {
    let status = 'network error';
    try {
      const r = await fetch(process.env.FLOOD_URL, { method: 'POST', body: process.env.FLOOD_BODY, headers: {
        'content-type': 'application/json', apikey: process.env.FLOOD_KEY,
        authorization: 'Bearer ' + process.env.FLOOD_TOKEN } });
      await r.body?.cancel();
      status = r.status;
    } catch {}
    counts[status] = (counts[status] ?? 0) + 1;
  }
}));
process.stdout.write(JSON.stringify(counts));
`;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => `${x.toFixed(0)} ms`;

/** utime + stime (seconds) of this process and every descendant still running (Linux /proc), but `skip`'s tree. */
const treeCpu = (skip = -1) => {
  const stat = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      stat.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 });
    } catch {
      // gone
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of stat)
      if (!mine.has(pid) && pid !== skip && mine.has(s.ppid)) {
        mine.add(pid);
        grew = true;
      }
  }
  let total = 0;
  for (const pid of mine) total += stat.get(pid)?.cpu ?? 0;
  return total;
};
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

const { migrate, openPglite } = await import('../supabase/local/db/index.ts');
const { startStack } = await import('../supabase/local/stack.ts');
const { startFakeTwilio, fakeTwilioEnv } = await import('../test/fixtures/fakeTwilio.ts');
const { approveClinicSms } = await import('../test/fixtures/approveClinicSms.ts');
const { SupabaseSmsChannel } = await import('../src/services/notification/channels/index.ts');
const { createClient } = await import('@supabase/supabase-js');
const { default: pino } = await import('pino');
const { default: WebSocket } = await import('ws');

const twilio = await startFakeTwilio();
Object.assign(process.env, fakeTwilioEnv(twilio));
const db = await openPglite();
await migrate(db);
const stack = await startStack({ db, port: 0, staticDir: null, logger: pino({ level: 'silent' }) });
const opts = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: WebSocket },
};
let seq = 0;
const clinic = async (label, phone) => {
  const anon = createClient(stack.url, stack.anonKey, opts);
  const { data: su, error } = await anon.auth.signUp({
    email: `bench-flood-${label}-${process.pid}@example.test`,
    password: 'secret-pass-123',
  });
  if (error || !su.session) throw new Error(`sign-up: ${error?.message}`);
  const token = su.session.access_token;
  const client = createClient(stack.url, stack.anonKey, { ...opts, accessToken: async () => token });
  const { data: c, error: cErr } = await client.rpc('create_clinic', {
    p_name: `Bench ${label}`,
    p_slug: `bench-flood-${label}-${process.pid}`,
  });
  if (cErr) throw new Error(`create_clinic: ${cErr.message}`);
  await approveClinicSms(stack, c.clinic_id);
  await client.rpc('sms_budget_report', { p_clinic_id: c.clinic_id });
  await db.query(
    'update public.sms_budgets set limit_count = 1000000, limit_amount = 1000000 where clinic_id = $1',
    [c.clinic_id],
  );
  const q = await db.query(
    `insert into public.queues (clinic_id, day, next_ticket) values ($1, private.clinic_today('Africa/Casablanca'), 2) returning id`,
    [c.clinic_id],
  );
  const p = await db.query(
    'insert into public.patients (clinic_id, full_name, phone) values ($1, $2, $3) returning id',
    [c.clinic_id, `Patient ${label}`, phone],
  );
  const e = await db.query(
    `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key, checked_in_at)
     values ($1, $2, $3, 'walk_in', 'waiting', 1, 1, now()) returning id`,
    [q.rows[0].id, c.clinic_id, p.rows[0].id],
  );
  const event = async () => {
    const correlationId = randomUUID();
    await db.query(
      `insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload, correlation_id)
       values ($1, $2, $3, 'PatientCalled', $4::jsonb, $5)`,
      [
        q.rows[0].id,
        c.clinic_id,
        e.rows[0].id,
        JSON.stringify({ ticket: `A-${++seq}`, room: '2' }),
        correlationId,
      ],
    );
    return correlationId;
  };
  return { clinicId: c.clinic_id, entryId: e.rows[0].id, token, client, event };
};

try {
  const desk = await clinic('desk', '+212613200001');
  const flooder = await clinic('flooder', '+212613200002');
  const channel = new SupabaseSmsChannel(desk.client);
  const deskSend = async () => {
    const correlationId = await desk.event();
    const s = performance.now();
    const r = await channel.send({
      clinicId: desk.clinicId,
      kind: 'your_turn',
      entryId: desk.entryId,
      correlationId,
    });
    const t = performance.now() - s;
    if (!r.ok || r.value.status !== 'sent') throw new Error(`desk send: ${JSON.stringify(r)}`);
    return t;
  };
  for (let i = 0; i < 3; i++) await deskSend(); // warm-up: the Deno host, the pools

  const phase = async (name, flood) => {
    const floodCorrelation = await flooder.event();
    const body = JSON.stringify({
      clinic_id: flooder.clinicId,
      entry_id: flooder.entryId,
      kind: 'your_turn',
      correlation_id: floodCorrelation,
    });
    // the flooder is another process (as it would be another machine): its own event loop, not this one's
    const child = flood
      ? spawn(process.execPath, ['--input-type=module', '-e', FLOOD_SCRIPT], {
          env: {
            ...process.env,
            FLOOD_URL: `${stack.url}/functions/v1/send-sms`,
            FLOOD_KEY: stack.anonKey,
            FLOOD_TOKEN: flooder.token,
            FLOOD_BODY: body,
            FLOOD_LOOPS: String(FLOOD),
          },
          stdio: ['pipe', 'pipe', 'inherit'],
        })
      : null;
    const floodDone = child
      ? new Promise((resolve) => {
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.on('exit', () => resolve(JSON.parse(out || '{}')));
        })
      : Promise.resolve({});
    const skip = child?.pid ?? -1;
    const cpu0 = treeCpu(skip);
    const load0 = load();
    const t0 = performance.now();
    const lat = [];
    for (let i = 0; i < DESK_N; i++) lat.push(await deskSend());
    const seconds = (performance.now() - t0) / 1000;
    const cpu = treeCpu(skip) - cpu0;
    // the same flood, later: on the branch the flooder is held by then (refused without a database call)
    const later = [];
    if (flood) for (let i = 0; i < DESK_N; i++) later.push(await deskSend());
    const floodSeconds = (performance.now() - t0) / 1000;
    child?.stdin.end('stop');
    const counts = new Map(Object.entries(await floodDone));
    const calls = [...counts.values()].reduce((a, b) => a + b, 0);
    if (flood)
      console.log(
        `  ${name} (next ${DESK_N} sends, flood still on): desk send-sms p50 ${ms(pct(later, 50))}, p95 ${ms(pct(later, 95))}, max ${ms(Math.max(...later))}`,
      );
    console.log(
      `  ${name}: desk send-sms p50 ${ms(pct(lat, 50))}, p95 ${ms(pct(lat, 95))}, max ${ms(Math.max(...lat))} (${DESK_N} sends, ${seconds.toFixed(1)} s); ` +
        (flood
          ? `flood ${calls} calls in ${floodSeconds.toFixed(1)} s = ${(calls / floodSeconds).toFixed(0)}/s (${[...counts].map(([s, n]) => `${s}×${n}`).join(', ')}); `
          : '') +
        `stack's CPU (this process + Deno, not the flooder) ${cpu.toFixed(1)} s in the first ${DESK_N}; load ${load0} → ${load()}`,
    );
  };
  console.log(`send-sms flood bench (PGlite, ${FLOOD} flood loops), ${new Date().toISOString()}`);
  await phase('desk alone     ', false);
  await phase('desk with flood', true);
} finally {
  await stack.stop();
  await db.close();
  await twilio.close();
}
process.exit(0);
