// Notification pipeline figures (issue 7), on the local stack with a fake Twilio on 127.0.0.1:
//   1. throughput: messages dispatched per second through the whole pipeline — SupabaseSmsChannel →
//      supabase-js functions.invoke → send-sms in real Deno → recipient/budget/settle RPCs on the real
//      migrations → the fake Twilio receiving the Messages API request (BENCH_SMS_N messages, BENCH_SMS_CONC
//      in flight);
//   2. delay from "call next" (the queue save with its PatientCalled event, as the browser makes it) to the
//      fake Twilio receiving the "your turn" SMS, p50/p95 over BENCH_SMS_ITER calls, sequential.
// `node scripts/bench-notifications.mjs` alone, or at the end of `npm run bench`.
// Env: BENCH_DB=pglite|postgres|both (default both), BENCH_SMS_N=300, BENCH_SMS_CONC=20, BENCH_SMS_ITER=100.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();

const N = Number(process.env.BENCH_SMS_N ?? 300);
const CONC = Number(process.env.BENCH_SMS_CONC ?? 20);
const ITER = Number(process.env.BENCH_SMS_ITER ?? 100);

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => `${x.toFixed(1)} ms`;

async function benchOne(kind) {
  const { migrate, openPglite, openPostgres, startTempPostgres } =
    await import('../supabase/local/db/index.ts');
  const { startStack } = await import('../supabase/local/stack.ts');
  const { startFakeTwilio, fakeTwilioEnv, messagesOf } = await import('../test/fixtures/fakeTwilio.ts');
  const { SupabaseSmsChannel, notificationIdempotencyKey } =
    await import('../src/services/notification/channels/index.ts');
  const { createClient } = await import('@supabase/supabase-js');
  const { default: pino } = await import('pino');
  const { default: WebSocket } = await import('ws');

  const twilio = await startFakeTwilio();
  const savedEnv = { ...process.env };
  Object.assign(process.env, fakeTwilioEnv(twilio));
  let pg = null;
  const db =
    kind === 'postgres'
      ? await openPostgres({ url: (pg = await startTempPostgres()).url, max: 20 })
      : await openPglite();
  await migrate(db);
  const stack = await startStack({ db, port: 0, staticDir: null, logger: pino({ level: 'silent' }) });
  const opts = {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket },
  };
  try {
    const anon = createClient(stack.url, stack.anonKey, opts);
    const { data: su, error: suErr } = await anon.auth.signUp({
      email: `bench-sms-${process.pid}-${kind}@example.test`,
      password: 'secret-pass-123',
    });
    if (suErr || !su.session) throw new Error(`sign-up: ${suErr?.message}`);
    const token = su.session.access_token;
    const owner = createClient(stack.url, stack.anonKey, { ...opts, accessToken: async () => token });
    const { data: c, error: cErr } = await owner.rpc('create_clinic', {
      p_name: 'Bench SMS',
      p_slug: `bench-sms-${process.pid}-${kind}`,
    });
    if (cErr) throw new Error(`create_clinic: ${cErr.message}`);
    const clinicId = c.clinic_id;
    await owner.rpc('sms_budget_report', { p_clinic_id: clinicId });
    await db.query(
      'update public.sms_budgets set limit_count = 1000000, limit_amount = 1000000 where clinic_id = $1',
      [clinicId],
    );
    // the pipeline's figures, not send-sms's per-caller limit (20261227200001: 120 a minute by default): one owner
    // sends far faster here than any desk
    await db.query('update private.send_sms_limit set caller_max = 1000000, clinic_max = 1000000');
    const channel = new SupabaseSmsChannel(owner);

    // warm-up: start the Deno process and the connection pools
    await channel.send({
      clinicId,
      kind: 'your_turn',
      idempotencyKey: `warm-${randomUUID()}`,
      body: 'warm-up',
      to: '+212612999999',
    });

    // 1. throughput
    const before = messagesOf(twilio).length;
    const lat = [];
    let next = 0;
    let failures = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONC }, async () => {
        while (next < N) {
          const i = next++;
          const s = performance.now();
          const r = await channel.send({
            clinicId,
            kind: 'your_turn',
            idempotencyKey: `tp-${i}-${randomUUID()}`,
            body: `Ticket A-${i}, your turn, room 2.`,
            to: '+212612999998',
          });
          if (!r.ok || r.value.status !== 'sent') failures++;
          lat.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const received = messagesOf(twilio).length - before;

    // 2. call next → fake Twilio receiving the SMS
    const q = await db.query(
      `insert into public.queues (clinic_id, day) values ($1, private.clinic_today('Africa/Casablanca')) returning id`,
      [clinicId],
    );
    const queueId = q.rows[0].id;
    const p = await db.query(
      `insert into public.patients (clinic_id, full_name, phone) values ($1, 'Bench Patient', '+212612999997') returning id`,
      [clinicId],
    );
    const patientId = p.rows[0].id;
    let version = 0;
    const delays = [];
    for (let i = 0; i < ITER; i++) {
      const e = await db.query(
        `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key)
         values ($1, $2, $3, 'walk_in', 'waiting', $4::int, $4::int) returning id`,
        [queueId, clinicId, patientId, i + 1],
      );
      const entryId = e.rows[0].id;
      const correlationId = randomUUID();
      const arrived = new Promise((resolve) =>
        twilio.onMessage((m) => m.form.Body?.includes(`#${i}#`) && resolve(m.at)),
      );
      const start = performance.now();
      const { data: v, error } = await owner.rpc('save_queue_step', {
        p_queue_id: queueId,
        p_expected_version: version,
        p_entries: [
          { id: entryId, status: 'called', called_at: new Date().toISOString(), called_room: 'Salle 2' },
        ],
        p_events: [
          {
            type: 'PatientCalled',
            entry_id: entryId,
            correlation_id: correlationId,
            payload: {
              ticket: `A-${i + 1}`,
              room: 'Salle 2',
              practitionerId: null,
              outOfOrder: false,
              reason: null,
            },
          },
        ],
      });
      if (error) throw new Error(`save_queue_step: ${error.message}`);
      version = v;
      const r = await channel.send({
        clinicId,
        kind: 'your_turn',
        idempotencyKey: notificationIdempotencyKey({ kind: 'your_turn', entryId, correlationId }),
        body: `Bench Patient, it is your turn! Ticket A-${i + 1} #${i}#, room Salle 2.`,
        entryId,
      });
      if (!r.ok || r.value.status !== 'sent') throw new Error(`send: ${JSON.stringify(r)}`);
      delays.push((await arrived) - start);
    }

    console.log(
      `\n  Notifications on ${kind} (fake Twilio on 127.0.0.1, send-sms in Deno, stack in this process)`,
    );
    console.log(
      `    throughput: ${received} messages in ${seconds.toFixed(2)} s = ${(received / seconds).toFixed(1)} msg/s (${CONC} in flight, ${failures} not sent); per message p50 ${ms(pct(lat, 50))}, p95 ${ms(pct(lat, 95))}`,
    );
    console.log(
      `    call next → fake Twilio receives "your turn": p50 ${ms(pct(delays, 50))}, p95 ${ms(pct(delays, 95))}, max ${ms(Math.max(...delays))} (${ITER} calls)`,
    );
    return { kind, msgPerSec: received / seconds, p50: pct(delays, 50), p95: pct(delays, 95) };
  } finally {
    await stack.stop();
    await db.close();
    if (pg) await pg.stop();
    await twilio.close();
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  }
}

export async function runNotificationsBench() {
  const which = process.env.BENCH_DB ?? 'both';
  const kinds = which === 'both' ? ['pglite', 'postgres'] : [which === 'postgres' ? 'postgres' : 'pglite'];
  const out = [];
  for (const k of kinds) out.push(await benchOne(k));
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runNotificationsBench();
  process.exit(0);
}
