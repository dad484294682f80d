/**
 * `npm run bench:command` (issue 12): the cost of one queue command, end to end and by part, on PostgreSQL,
 * with one client and no contention: a day of STORM_DAY (300) waiting walk-ins; one desk repeats
 * call next → start → finish. Printed: p50/p95 of the command through QueueService over supabase-js (the
 * path that ships), of its load (get_queue) and save (save_queue_step) round trips, and the server's SQL
 * time of get_queue and save_queue_step (EXPLAIN ANALYZE-free: timed in the database with clock_timestamp
 * around the call, as the stack's role switch does it).
 */
import { createClient } from '@supabase/supabase-js';
import pino from 'pino';
import WebSocket from 'ws';
import type { QueueBusEvents } from '../../src/services/queue/api/bus';
import { QueueService } from '../../src/services/queue/QueueService';
import type { QueueRepository } from '../../src/services/queue/repositories/QueueRepository';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { createEventBus } from '../../src/services/shared/EventBus';
import { migrate, openPostgres, startTempPostgres } from './db/index.js';
import { startStack } from './stack.js';

const DAY = Number(process.env.STORM_DAY ?? 300);
const ROUNDS = Number(process.env.COMMAND_ROUNDS ?? 30);
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const fmt = (name: string, xs: number[]) =>
  `    ${name.padEnd(34)} p50 ${pct(xs, 50).toFixed(1)} ms  p95 ${pct(xs, 95).toFixed(1)} ms  (n=${xs.length})`;

const middayZone = (now = new Date()): string => {
  let offset = 12 - now.getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
};

export async function profileCommand(): Promise<void> {
  const pg = await startTempPostgres();
  const db = await openPostgres({ url: pg.url, max: 20 });
  await migrate(db, { seed: false });
  const stack = await startStack({ db, port: 0, staticDir: null, logger: pino({ level: 'warn' }) });
  try {
    const anon = createClient(stack.url, stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as never },
    });
    const { data, error } = await anon.auth.signUp({
      email: `prof-${process.pid}@example.test`,
      password: 'prof-password-1',
    });
    if (error || !data.session || !data.user) throw new Error(`sign-up: ${error?.message}`);
    const token = data.session.access_token;
    const userId = data.user.id;
    const client = createClient(stack.url, stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as never },
      accessToken: async () => token,
    });
    const made = await client.rpc('create_clinic', {
      p_name: 'Profile',
      p_slug: `profile-${process.pid}`,
      p_display_name: 'Dr P',
    });
    if (made.error) throw new Error(made.error.message);
    const { clinic_id: clinicId, member_id: memberId } = made.data as {
      clinic_id: string;
      member_id: string;
    };
    await db.query(`update public.clinics set time_zone = $2 where id = $1`, [clinicId, middayZone()]);
    await db
      .query(`update public.clinic_members set role = 'practitioner' where id = $1`, [memberId])
      .catch(() => undefined);

    const repo = new SupabaseQueueRepository(client);
    const lat = { load: [] as number[], save: [] as number[] };
    const timedRepo: QueueRepository = Object.assign(Object.create(repo) as QueueRepository, {
      load: async (...a: Parameters<QueueRepository['load']>) => {
        const t = performance.now();
        const r = await repo.load(...a);
        lat.load.push(performance.now() - t);
        return r;
      },
      save: async (step: Parameters<QueueRepository['save']>[0]) => {
        const t = performance.now();
        const r = await repo.save(step);
        lat.save.push(performance.now() - t);
        return r;
      },
    });
    const service = new QueueService({
      repo: timedRepo,
      bus: createEventBus<QueueBusEvents>(),
      actor: () => userId,
    });
    for (let i = 0; i < DAY; i++) {
      const r = await service.addWalkIn(clinicId, { patientName: `Waiting ${i}` });
      if (!r.ok) throw new Error(`seed: ${r.error.code}`);
    }
    lat.load.length = 0;
    lat.save.length = 0;
    const cmd: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      for (const step of ['call', 'start', 'finish'] as const) {
        const t = performance.now();
        const st = await service.status(clinicId);
        if (!st.ok) throw new Error(st.error.code);
        const mine = st.value.entries.find((e) => e.status === 'called' || e.status === 'in_service');
        lat.load.pop();
        const t1 = performance.now();
        const r =
          step === 'call'
            ? await service.callNext(clinicId, { practitionerId: memberId, room: 'R1' })
            : step === 'start'
              ? await service.start(clinicId, { entryId: mine?.id ?? '' })
              : await service.finish(clinicId, { entryId: mine?.id ?? '' });
        if (!r.ok) throw new Error(`${step}: ${r.error.code} ${r.error.message}`);
        cmd.push(performance.now() - t1);
        void t;
      }
    }
    // the load's HTTP round trip alone (supabase-js, no zod, no domain): the rest of a load is the client's parse
    const rawLoad: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      const res = await client.rpc('get_queue', {
        p_clinic_id: clinicId,
        p_scope: 'active',
        p_entry_ids: [],
      });
      if (res.error) throw new Error(res.error.message);
      rawLoad.push(performance.now() - t);
    }
    // the client's part of a load alone: the repository's zod parse and mapping of one captured get_queue
    // answer (no network, no server), what `load round trip` minus `over HTTP, no parse` is made of
    const captured = await client.rpc('get_queue', {
      p_clinic_id: clinicId,
      p_scope: 'active',
      p_entry_ids: [],
    });
    if (captured.error) throw new Error(captured.error.message);
    const replay = new SupabaseQueueRepository({ rpc: async () => captured } as unknown as typeof client);
    const parseOnly: number[] = [];
    for (let i = 0; i < ROUNDS * 3; i++) {
      const t = performance.now();
      const r = await replay.load(clinicId, null, null, { kind: 'active', entryIds: [] });
      if (!r.ok) throw new Error(`replayed load: ${r.error.code}`);
      parseOnly.push(performance.now() - t);
    }
    // the same calls timed inside the database, as the gateway runs them (role + claims, one transaction)
    const { rows: q } = await db.query<{ id: string; version: number }>(
      `select id, version from public.queues where clinic_id = $1`,
      [clinicId],
    );
    const claims = JSON.stringify({ sub: userId, role: 'authenticated' });
    const sqlLoad: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = await db.transaction(async (tx) => {
        await tx.query(
          `select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`,
          [claims],
        );
        const { rows } = await tx.query<{ ms: number }>(
          `with t0 as (select clock_timestamp() as t), r as (select public.get_queue($1, null, null, 'active', '{}') as j from t0)
           select extract(epoch from (clock_timestamp() - (select t from t0))) * 1000 as ms from r where length(r.j::text) > 0`,
          [clinicId],
        );
        return Number(rows[0]?.ms);
      });
      sqlLoad.push(r);
    }
    // its parts, as the database owner (get_queue is security definer: no RLS inside)
    const qid = q[0]?.id ?? '';
    const part = async (sql: string): Promise<number[]> => {
      const xs: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const { rows } = await db.query<{ 'QUERY PLAN': [{ 'Execution Time': number }] }>(
          `explain (analyze, format json) select (${sql})::text`,
          [qid],
        );
        const plan = rows[0]?.['QUERY PLAN'];
        xs.push(
          Number(
            (typeof plan === 'string' ? (JSON.parse(plan) as typeof plan) : plan)?.[0]?.['Execution Time'],
          ),
        );
      }
      return xs;
    };
    const parts: [string, string][] = [
      ['active entries (JSON)', `private.queue_active_entries($1, 'A', '{}')`],
      [
        'active entries (rows only)',
        `(select count(*) from public.queue_entries e where e.queue_id = $1 and e.status in ('scheduled','waiting','called','in_service','absent') and $1 is not null)`,
      ],
      [
        'entry_json only',
        `(select jsonb_agg(private.entry_json(e, 'A')) from public.queue_entries e where e.queue_id = $1 and e.status = 'waiting')`,
      ],
      [
        'to_jsonb only',
        `(select jsonb_agg(to_jsonb(e)) from public.queue_entries e where e.queue_id = $1 and e.status = 'waiting')`,
      ],
      // the rest of a command's active answer (private.queue_active_answer), each part on its own (turn24)
      [
        'changed entries since now (none)',
        `private.queue_changed_entries($1, (select version from public.queues where id = $1), '{}')`,
      ],
      [
        'active_count',
        `(select count(*) from public.queue_entries a where a.queue_id = $1 and a.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent'))`,
      ],
      [
        'members',
        `(select jsonb_agg(jsonb_build_object('id', m.id, 'user_id', m.user_id, 'role', m.role, 'display_name', m.display_name, 'room', m.room, 'active', m.active) order by m.display_name) from public.clinic_members m where m.clinic_id = (select clinic_id from public.queues where id = $1))`,
      ],
      [
        'appointment_types',
        `(select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name) order by t.name) from public.appointment_types t where t.clinic_id = (select clinic_id from public.queues where id = $1))`,
      ],
      [
        'settings',
        `private.effective_settings((select c.settings from public.clinics c join public.queues q on q.clinic_id = c.id where q.id = $1))`,
      ],
      [
        'queue row + day counts',
        `(select to_jsonb(q) || to_jsonb(c) from public.queues q join private.queue_day_counts c on c.queue_id = q.id where q.id = $1)`,
      ],
      [
        'whole active answer (delta, none changed)',
        `private.queue_active_answer($1, (select c from public.clinics c join public.queues q on q.clinic_id = c.id where q.id = $1), null, '{}', $1, (select version from public.queues where id = $1))`,
      ],
    ];
    const partLat: [string, number[]][] = [];
    for (const [name, sql] of parts) partLat.push([name, await part(sql)]);
    console.log(
      `PostgreSQL, one desk, no contention, a day of ${DAY} waiting walk-ins (queue version ${q[0]?.version})`,
    );
    console.log(fmt('command (QueueService, supabase-js)', cmd));
    console.log(fmt('  load round trip (get_queue)', lat.load));
    console.log(fmt('  save round trip (save_queue_step)', lat.save));
    console.log(fmt('  get_queue over HTTP, no parse', rawLoad));
    console.log(fmt('  load parse only (client, replayed)', parseOnly));
    console.log(fmt('get_queue active, SQL only', sqlLoad));
    for (const [name, xs] of partLat) console.log(fmt(`  ${name}`, xs));
  } finally {
    await stack.stop();
    await db.close();
    await pg.stop();
  }
}
