/**
 * `npm run bench:storm` (issue 12): a busy morning driven through the app's own QueueService over
 * SupabaseQueueRepository (the code that ships), against the local stack in its own process, on PGlite
 * and on PostgreSQL.
 *
 *   1. 8 desks (one practitioner each: call next → start → finish, sometimes absent) and 2 receptionists
 *      (walk-ins, returns from absence, cancellations), 100 commands each, on a day that already holds
 *      300 walk-ins → 0 commands may give up;
 *   2. the same day with 22 clients: 6 practitioners × 2 sessions, 2 desks, 8 receptionist sessions →
 *      < 1 % may give up.
 * Every client has its own signed-in supabase-js session and follows the queue over Realtime (as the
 * dashboard does). Printed: p50/p95 per command, commands that gave up (version conflicts after the
 * service's retries, or errors), domain refusals (another session got there first: expected), and the
 * realtime lag from commit (the change's commit_timestamp) to each subscriber.
 * Afterwards the invariants are checked from the database with the service role: versions add up (the
 * queue's version grew by exactly the number of successful commands, one correlation id each in the
 * event log), the event log replays to the table (each entry's last status event gives its status), no
 * entry was called more often than it was returned (no patient called twice), at most one active
 * patient per practitioner.
 * Realtime is also checked per subscriber: every version of the queue row arrives, in order (versions
 * skipped or out of order are printed).
 * Env: BENCH_DB=pglite|postgres|both (default both), STORM_COMMANDS=100, STORM_DAY=300,
 * STORM_FAIRNESS=off (the retry loop as before issue 12's client-side fairness: no version watch, 10
 * attempts, pause growing with the attempt), STORM_SCENARIOS=10,22 (which of the two to run).
 * STORM_SCALE=30,300,1000: instead, command cost against the day's length (issue 12): one desk and one
 * receptionist on a day of each size; prints p50/p95 per size and the p95 ratio largest / smallest.
 * A day of N entries there is a real morning's shape: N − STORM_ACTIVE visits already over (walk-in,
 * called, seen, finished — saved through save_queue_step, 50 per step, with their events) and
 * STORM_ACTIVE (default 30) patients waiting. STORM_ACTIVE=all makes every entry of the day wait (the
 * worst case: then the active part itself grows with the day). The storm scenarios keep every entry
 * waiting unless STORM_ACTIVE is set.
 * STORM_ONE_TRIP=off: a turn is claimed and loaded with two calls, as before claim_turn_and_load (lat12).
 * The paced run (storm21), printed after the closed loop of scenario 10, is the one the 100 ms target is judged by
 * (session 26; the closed loop measures saturation throughput, see the verdict line): the same
 * clients (8 desks + 2 receptionists, own sessions, on a fresh day of the same shape), each sending its next
 * command after an exponential think time of mean STORM_THINK_MS (default 1000: ten clients then offer about
 * 10 commands/s to ONE queue day, still ~100× a busy clinic's peak — 8 doctors × ~4 visits an hour × ~4
 * commands a visit ≈ 0.04 commands/s, ×2–3 for the receptionists — where the closed loop offers as much as the
 * queue can take, ~30/s). Poisson arrivals, so commands still collide, just not always. STORM_PACED=off skips it.
 * BENCH_STACK_PORT / QUEUEMED_PG_PORTS=<from>-<to>: the stack's and the temporary PostgreSQL's ports.
 */
import { spawnBenchServer, type BenchServed } from './benchServer';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import { QueueAggregate } from '../../src/services/queue/api';
import type { QueueBusEvents } from '../../src/services/queue/api/bus';
import {
  QueueService,
  type QueueCommandResult,
  type QueueEntryView,
  type QueueView,
} from '../../src/services/queue/QueueService';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { SupabaseQueueChangeFeed } from '../../src/services/queue/repositories/SupabaseQueueChangeFeed';
import { FeedVersionWatch } from '../../src/services/queue/repositories/QueueVersionWatch';
import { createEventBus } from '../../src/services/shared/EventBus';
import { checkStormInvariants, stormMark } from './stormInvariants';
import {
  MeteredQueueRepository,
  meterDiff,
  meteredFetch,
  newMeter,
  MeteredVersionWatch,
  heldTurns,
  treeCpuMs,
  type Meter,
} from './stormMeter';
import { availableParallelism, loadavg } from 'node:os';

type Served = BenchServed & { pid?: number };

/** Asks the bench server (SIGUSR2) to reset pg_stat_statements; resolves once it has (its 'pg-stats-reset' line). */
const resetPgStats = (pid: number): Promise<void> =>
  new Promise((resolve) => {
    process.kill(pid, 'SIGUSR2');
    // the server acknowledges on stderr, which is inherited: a short bounded wait is enough for a bench
    setTimeout(resolve, 300);
  });

const COMMANDS = Number(process.env.STORM_COMMANDS ?? 100);
const DEFAULT_DAY = Number(process.env.STORM_DAY ?? 300);
const SCALE = (process.env.STORM_SCALE ?? '')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const PASSWORD = 'storm-password-2026';
/** STORM_ONE_TRIP=off: turns claimed and loaded with two calls (claim_queue_turn + get_queue), as before lat12. */
const ONE_TRIP_TURNS = process.env.STORM_ONE_TRIP !== 'off';
const FAIRNESS = process.env.STORM_FAIRNESS !== 'off';
const SCENARIOS = (process.env.STORM_SCENARIOS ?? '10,22').split(',');
/** The paced run's mean think time per client between an answer and its next command (ms); see the header. */
const THINK_MS = Number(process.env.STORM_THINK_MS ?? 1000);
const PACED = process.env.STORM_PACED !== 'off' && THINK_MS > 0;
/** An exponential think time of mean `mean` ms (a Poisson process per client); 0: none (the closed loop). */
const think = (mean: number): Promise<void> =>
  mean > 0 ? new Promise((r) => setTimeout(r, -Math.log(1 - Math.random()) * mean)) : Promise.resolve();
/** Waiting entries of the day; the rest are visits already over. 'all' (or unset outside STORM_SCALE): all wait. */
const ACTIVE_ENV = process.env.STORM_ACTIVE;
const activeOf = (day: number, scale: boolean): number =>
  ACTIVE_ENV === 'all' || (ACTIVE_ENV === undefined && !scale)
    ? day
    : Math.min(day, Number(ACTIVE_ENV ?? 30));

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
};
const ms = (n: number): string => `${n.toFixed(0)} ms`;

/** A fixed-offset zone where it is about midday now (the day does not roll over during the run). */
const middayZone = (now = new Date()): string => {
  let offset = 12 - now.getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
};

async function rest(
  s: Served,
  method: string,
  path: string,
  body?: unknown,
  prefer?: string,
): Promise<unknown> {
  const res = await fetch(`${s.url}/rest/v1/${path}`, {
    method,
    headers: {
      apikey: s.serviceKey,
      authorization: `Bearer ${s.serviceKey}`,
      'content-type': 'application/json',
      ...(prefer ? { prefer } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

interface Session {
  userId: string;
  client: SupabaseClient;
  service: QueueService;
  /** What this session's commands cost (calls, round trips, bytes, ms): see stormMeter. */
  meter: Meter;
}

let userSeq = 0;
async function session(s: Served, label: string): Promise<Session> {
  const signUp = createClient(s.url, s.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  });
  const email = `storm-${label}-${process.pid}-${++userSeq}@example.test`;
  const { data, error } = await signUp.auth.signUp({ email, password: PASSWORD });
  if (error || !data.user || !data.session) throw new Error(`sign-up ${label}: ${error?.message}`);
  return sessionFor(s, data.user.id, email);
}

async function sessionFor(s: Served, userId: string, email: string): Promise<Session> {
  const meter = newMeter();
  const client = createClient(s.url, s.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
    global: { fetch: meteredFetch(meter) },
  });
  const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (error) throw new Error(`sign-in: ${error.message}`);
  const service = new QueueService({
    repo: new MeteredQueueRepository(new SupabaseQueueRepository(client), meter, ONE_TRIP_TURNS),
    bus: createEventBus<QueueBusEvents>(),
    actor: () => userId,
    // as the app composes it (services/composition/browser.ts), or the retry loop from before
    ...(FAIRNESS
      ? {
          versions: new MeteredVersionWatch(new FeedVersionWatch(new SupabaseQueueChangeFeed(client)), meter),
        }
      : { maxAttempts: 10 }),
  });
  return { userId, client, service, meter };
}

interface Stats {
  lat: Record<string, number[]>;
  ok: number;
  gaveUp: number;
  refused: number;
  giveUpCodes: Record<string, number>;
  /** Save attempts of each command that succeeded (the tail shows how often a desk lost in a row). */
  attempts: number[];
  lag: number[];
  /** Per subscriber: the queue versions in the order they arrived. */
  heard: number[][];
  /** Command ids answered as a success that changed the queue (saved or replayed), and as a failure. */
  acknowledged: Set<string>;
  failed: Set<string>;
  /** Per command (whatever its outcome): what it cost, from its session's meter. */
  cost: Meter[];
  /** Per command: wall ms not spent in a repository call (decide, view, pauses, waiting for a turn). */
  clientMs: number[];
}

const REFUSALS = new Set([
  'QUEUE.NO_PATIENT_WAITING',
  'QUEUE.NO_PATIENT_PRESENT',
  'QUEUE.ILLEGAL_TRANSITION',
  'QUEUE.ENTRY_NOT_FOUND',
  'QUEUE.PRACTITIONER_BUSY',
  // the practitioner's other session already called a patient who has not come in yet (rule C9)
  'QUEUE.CALLED_NOT_STARTED',
  'QUEUE.GRACE_EXPIRED',
  'QUEUE.WALK_IN_LIMIT_REACHED',
]);

/** Runs one command with its own command id and records what its client was told (see stormInvariants). */
async function timed(
  stats: Stats,
  meter: Meter,
  name: string,
  f: (opts: { commandId: string }) => QueueCommandResult,
): Promise<QueueView | null> {
  const t = performance.now();
  const commandId = randomUUID();
  const before = { ...meter };
  try {
    return await timedInner(stats, name, f, t, commandId);
  } finally {
    const d = meterDiff(meter, before);
    stats.cost.push(d);
    stats.clientMs.push(Math.max(0, performance.now() - t - d.loadMs - d.saveMs - d.claimMs));
  }
}

async function timedInner(
  stats: Stats,
  name: string,
  f: (opts: { commandId: string }) => QueueCommandResult,
  t: number,
  commandId: string,
): Promise<QueueView | null> {
  try {
    const r = await f({ commandId });
    (stats.lat[name] ??= []).push(performance.now() - t);
    if (r.ok) {
      stats.ok++;
      stats.attempts.push(r.value.attempts);
      if (r.value.events.length > 0 || r.value.replayed) stats.acknowledged.add(commandId);
      return r.value.view;
    }
    stats.failed.add(commandId);
    if (REFUSALS.has(r.error.code)) stats.refused++;
    else {
      stats.gaveUp++;
      stats.giveUpCodes[r.error.code] = (stats.giveUpCodes[r.error.code] ?? 0) + 1;
    }
  } catch (e) {
    (stats.lat[name] ??= []).push(performance.now() - t);
    stats.failed.add(commandId);
    stats.gaveUp++;
    const code = e instanceof Error ? e.message.slice(0, 60) : 'thrown';
    stats.giveUpCodes[code] = (stats.giveUpCodes[code] ?? 0) + 1;
  }
  return null;
}

/** Follows the clinic's queue row as the dashboard does; records commit → arrival lag. */
function follow(c: SupabaseClient, clinicId: string, stats: Stats): Promise<() => Promise<void>> {
  const heard: number[] = [];
  stats.heard.push(heard);
  return new Promise((resolve, reject) => {
    const ch = c
      .channel(`storm-${Math.random().toString(36).slice(2)}`)
      .on(
        'postgres_changes',
        { event: '*', schema: 'public', table: 'queues', filter: `clinic_id=eq.${clinicId}` },
        (p) => {
          const at = Date.parse(p.commit_timestamp);
          if (Number.isFinite(at)) stats.lag.push(Date.now() - at);
          const v = (p.new as { version?: unknown }).version;
          if (typeof v === 'number') heard.push(v);
        },
      )
      .subscribe((status, err) => {
        if (status === 'SUBSCRIBED') resolve(async () => void (await c.removeChannel(ch)));
        else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(err ?? new Error(status));
      });
  });
}

const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(Math.random() * xs.length)];

async function desk(
  s: Session,
  clinicId: string,
  practitionerId: string,
  stats: Stats,
  thinkMs: number,
): Promise<void> {
  let view = null as QueueView | null;
  for (let i = 0; i < COMMANDS; i++) {
    await think(thinkMs);
    const current: QueueView | null = view;
    const mine: QueueEntryView | undefined = current?.entries.find(
      (e) => e.servedBy === practitionerId && (e.status === 'called' || e.status === 'in_service'),
    );
    if (mine?.status === 'called') {
      view =
        Math.random() < 0.1
          ? await timed(stats, s.meter, 'markAbsent', (o) =>
              s.service.markAbsent(clinicId, { entryId: mine.id }, o),
            )
          : await timed(stats, s.meter, 'start', (o) => s.service.start(clinicId, { entryId: mine.id }, o));
    } else if (mine?.status === 'in_service') {
      view = await timed(stats, s.meter, 'finish', (o) =>
        s.service.finish(clinicId, { entryId: mine.id }, o),
      );
    } else {
      view = await timed(stats, s.meter, 'callNext', (o) =>
        s.service.callNext(clinicId, { practitionerId, room: null }, o),
      );
    }
    if (view === null) {
      const st = await s.service.status(clinicId);
      view = st.ok ? st.value : null;
    }
  }
}

async function reception(
  s: Session,
  clinicId: string,
  stats: Stats,
  label: string,
  thinkMs: number,
): Promise<void> {
  let view = null as QueueView | null;
  for (let i = 0; i < COMMANDS; i++) {
    await think(thinkMs);
    const absent = view?.entries.filter((e) => e.status === 'absent') ?? [];
    const waiting = view?.entries.filter((e) => e.status === 'waiting') ?? [];
    const roll = Math.random();
    const back = pick(absent);
    const gone = pick(waiting);
    if (roll < 0.2 && back)
      view = await timed(stats, s.meter, 'returnFromAbsence', (o) =>
        s.service.returnFromAbsence(clinicId, { entryId: back.id }, o),
      );
    else if (roll < 0.3 && gone)
      view = await timed(stats, s.meter, 'cancel', (o) =>
        s.service.cancel(clinicId, { entryId: gone.id, reason: 'left' }, o),
      );
    else
      view = await timed(stats, s.meter, 'addWalkIn', (o) =>
        s.service.addWalkIn(clinicId, { patientName: `Storm ${label}-${i}` }, o),
      );
    if (view === null) {
      const st = await s.service.status(clinicId);
      view = st.ok ? st.value : null;
    }
  }
}

/**
 * Where the commands' time went (issue 12): per command, the repository calls and round trips it made, the
 * bytes it moved, and the wall time in each part. Attempts, round trips, rows and bytes do not depend on the
 * machine's load; the milliseconds do (the load average is printed beside them).
 */
function printCost(
  stats: Stats,
  commands: number,
  cpu: { clientCpuMs: number; serverCpuMs: number | null; load: [number, number] },
  wallMs: number,
): void {
  const c = stats.cost;
  const of = (f: (m: Meter) => number) => c.map(f);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const per = (f: (m: Meter) => number) => (sum(of(f)) / Math.max(1, c.length)).toFixed(2);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const dist = (xs: number[], unit: (n: number) => string) =>
    `p50 ${unit(pct(xs, 50))} p95 ${unit(pct(xs, 95))}`;
  console.log(
    `    per command (load-independent, n=${c.length}): lost races ${per((m) => m.lostRaces)} (p95 ${pct(
      of((m) => m.lostRaces),
      95,
    )}) · loads ${per((m) => m.loads)} · saves ${per((m) => m.saves)} · turn claims ${per((m) => m.claims)} · round trips ${per((m) => m.requests)} (p95 ${pct(
      of((m) => m.requests),
      95,
    )})`,
  );
  console.log(
    `      entry rows loaded ${per((m) => m.loadRows)} · bytes received ${dist(
      of((m) => m.bytesIn),
      kib,
    )} (of which get_queue ${per((m) => m.loadBytesIn / 1024)} KiB avg) · sent ${dist(
      of((m) => m.bytesOut),
      kib,
    )}`,
  );
  console.log(
    `      CPU per command: this process (supabase-js, zod, domain) ${(cpu.clientCpuMs / Math.max(1, commands)).toFixed(1)} ms · the stack + PostgreSQL ${cpu.serverCpuMs === null ? 'n/a' : (cpu.serverCpuMs / Math.max(1, commands)).toFixed(1) + ' ms'}`,
  );
  const perLoad = c.flatMap((m) => (m.loads > 0 ? [m.loadMs / m.loads] : []));
  const perSave = c.flatMap((m) => (m.saves > 0 ? [m.saveMs / m.saves] : []));
  console.log(
    `      wall per command (load average ${cpu.load[0].toFixed(1)} → ${cpu.load[1].toFixed(1)} on ${navigatorCores()} cores): in loads ${dist(
      of((m) => m.loadMs),
      ms,
    )} · in saves ${dist(
      of((m) => m.saveMs),
      ms,
    )} · claiming turns ${dist(
      of((m) => m.claimMs),
      ms,
    )} · decide + pauses + waiting for a turn ${dist(stats.clientMs, ms)}`,
  );
  console.log(`      one load ${dist(perLoad, ms)} · one save ${dist(perSave, ms)}`);
  // the queue turn (issue 12): round trips while a command holds it are load-independent; the ms are not
  const held = c.filter((m) => m.turns > 0);
  console.log(
    `      waits on the version watch: woken by a version ${sum(of((m) => m.wokeByVersion))} · by a released turn ${sum(
      of((m) => m.wokeByRelease),
    )} · hit their bound (nothing woke them) ${sum(of((m) => m.waitsHitBound))} (${(
      sum(of((m) => m.waitsHitBound)) / Math.max(1, c.length)
    ).toFixed(3)} per command)`,
  );
  console.log(
    `      of which turn waits: hit their bound ${sum(of((m) => m.turnWaitsHitBound))} (${(
      sum(of((m) => m.turnWaitsHitBound)) / Math.max(1, c.length)
    ).toFixed(3)} per command) · releases that only re-aimed a waiter behind others ${sum(
      of((m) => m.lineMoves),
    )}`,
  );
  console.log(
    `      queue turn: ${held.length} of ${c.length} commands took one · round trips while holding it ${(
      sum(held.map((m) => m.turnHoldRequests)) / Math.max(1, held.length)
    ).toFixed(2)} (p95 ${pct(
      held.map((m) => m.turnHoldRequests),
      95,
    )}) · holding it ${dist(
      held.map((m) => m.turnHoldMs),
      ms,
    )} · waiting for it ${dist(
      held.map((m) => m.turnWaitMs),
      ms,
    )}`,
  );
  // where the hold goes, and what passes between two holds (session 20): the queue serves one holder at a
  // time, so a closed loop of n clients waits about n × (hold + hand-off) per command
  const turns = [...heldTurns].sort((a, b) => a.start - b.start);
  const handOff = turns.slice(1).flatMap((t, i) => {
    const prev = turns[i];
    return prev && t.start >= prev.end ? [t.start - prev.end] : [];
  });
  const split = held.filter((m) => m.turnSaveMs > 0);
  console.log(
    `      holding it, by part: claim + load ${dist(
      split.map((m) => m.turnLoadMs),
      ms,
    )} · decide (parse, domain) ${dist(
      split.map((m) => m.turnDecideMs),
      ms,
    )} · save ${dist(
      split.map((m) => m.turnSaveMs),
      ms,
    )} · hand-off (a save answered → the next holder's claim sent) ${dist(handOff, ms)} · the queue's cycle ${(
      wallMs / Math.max(1, turns.length)
    ).toFixed(1)} ms per held turn (run wall / ${turns.length} turns)`,
  );
}

const navigatorCores = (): number => availableParallelism();

interface Scenario {
  name: string;
  /** Sessions per practitioner, one entry per practitioner. */
  practitioners: number[];
  receptionists: number;
  target: string;
  /** Entries already in the day (default STORM_DAY). */
  day?: number;
  /** How many of them wait (the rest are over); default: all. */
  active?: number;
  /** Mean think time (ms) before each client's next command; 0 or absent: the closed loop. */
  thinkMs?: number;
}

/**
 * Visits already over (walk-in → called → in service → completed), decided by the domain and saved 50 per
 * step with their events, as a desk's commands would have left them (the patient records in the same step).
 */
async function seedFinished(s: Session, clinicId: string, n: number): Promise<void> {
  const repo = new SupabaseQueueRepository(s.client);
  for (let done = 0; done < n; done += 50) {
    const loaded = await repo.load(clinicId, null, null, { kind: 'active', entryIds: [] });
    if (!loaded.ok) throw new Error(`seeding: ${loaded.error.code}`);
    const agg = QueueAggregate.load(loaded.value.snapshot);
    const patients: { id: string; fullName: string; phone: null; language: null }[] = [];
    const ctx = () => ({ now: new Date().toISOString(), actorId: s.userId, correlationId: randomUUID() });
    const check = (r: { ok: boolean; error?: { code: string } }) => {
      if (!r.ok) throw new Error(`seeding: ${r.error?.code}`);
    };
    for (let k = 0; k < Math.min(50, n - done); k++) {
      const entryId = randomUUID();
      const patientId = randomUUID();
      patients.push({ id: patientId, fullName: `Earlier ${done + k}`, phone: null, language: null });
      check(
        agg.addWalkIn(ctx(), {
          entryId,
          patientId,
          patientName: `Earlier ${done + k}`,
          practitionerId: null,
          appointmentTypeId: null,
          expectedDurationMinutes: 15,
        }),
      );
      check(agg.callNext(ctx(), { practitionerId: null, room: 'Seed' }));
      check(agg.start(ctx(), { entryId }));
      check(agg.finish(ctx(), { entryId }));
    }
    const entries = agg.pendingChanges();
    const saved = await repo.save({
      queueId: agg.state.id,
      expectedVersion: agg.loadedVersion,
      entries,
      newEntryIds: entries.map((e) => e.id),
      events: agg.pendingEvents(),
      queue: null,
      commandId: randomUUID(),
      newPatients: patients,
    });
    if (!saved.ok) throw new Error(`seeding: ${saved.error.code} ${saved.error.message}`);
  }
}

async function storm(s: Served, sc: Scenario): Promise<{ p50: number; p95: number; perSecond: number }> {
  const DAY = sc.day ?? DEFAULT_DAY;
  const owner = await session(s, 'owner');
  const made = await owner.client.rpc('create_clinic', {
    p_name: `Storm ${sc.name}`,
    p_slug: `storm-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
    p_display_name: 'Dr Owner',
  });
  if (made.error) throw new Error(`create_clinic: ${made.error.message}`);
  const clinicId = (made.data as { clinic_id: string }).clinic_id;
  await rest(s, 'PATCH', `clinics?id=eq.${clinicId}`, { time_zone: middayZone() });

  // Staff: practitioners (1..n sessions each) and receptionists, each with their own signed-in session.
  const desks: { s: Session; practitionerId: string }[] = [];
  for (const [i, sessions] of sc.practitioners.entries()) {
    const first = await session(s, `dr${i}`);
    const member = (await rest(
      s,
      'POST',
      'clinic_members',
      {
        clinic_id: clinicId,
        user_id: first.userId,
        role: 'practitioner',
        display_name: `Dr ${i}`,
        room: `Room ${i + 1}`,
      },
      'return=representation',
    )) as { id: string }[];
    const practitionerId = member[0]?.id ?? '';
    desks.push({ s: first, practitionerId });
    const { data } = await first.client.auth.getUser();
    for (let k = 1; k < sessions; k++)
      desks.push({ s: await sessionFor(s, first.userId, data.user?.email ?? ''), practitionerId });
  }
  const recs: Session[] = [];
  for (let i = 0; i < sc.receptionists; i++) {
    const r = await session(s, `rec${i}`);
    await rest(s, 'POST', 'clinic_members', {
      clinic_id: clinicId,
      user_id: r.userId,
      role: 'receptionist',
      display_name: `Rec ${i}`,
    });
    recs.push(r);
  }

  // The day: DAY entries, of which ACTIVE walk-ins wait and the rest are visits already over.
  const ACTIVE = sc.active ?? DAY;
  await seedFinished(owner, clinicId, DAY - ACTIVE);
  for (let i = 0; i < ACTIVE; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, ACTIVE - i) }, async (_, k) => {
        const r = await owner.service.addWalkIn(clinicId, { patientName: `Morning ${i + k}` });
        if (!r.ok) throw new Error(`seeding the day: ${r.error.code}`);
      }),
    );
  }
  // what a command's load carries against a whole-day read (bytes of JSON: independent of the machine's load)
  const sizeOf = async (args: Record<string, unknown>) =>
    JSON.stringify((await owner.client.rpc('get_queue', { p_clinic_id: clinicId, ...args })).data).length;
  const [dayBytes, activeBytes] = [await sizeOf({}), await sizeOf({ p_scope: 'active', p_entry_ids: [] })];
  console.log(
    `  ${sc.name}: a command loads ${(activeBytes / 1024).toFixed(1)} KiB of JSON (a whole-day read: ${(dayBytes / 1024).toFixed(1)} KiB)`,
  );
  const before = (await rest(s, 'GET', `queues?clinic_id=eq.${clinicId}&select=id,version`)) as {
    id: string;
    version: number;
  }[];
  const queueId = before[0]?.id ?? '';
  const read = (path: string) => rest(s, 'GET', path);
  const mark = await stormMark(read, queueId);
  const v0 = mark.version;

  const stats: Stats = {
    lat: {},
    ok: 0,
    gaveUp: 0,
    refused: 0,
    giveUpCodes: {},
    attempts: [],
    lag: [],
    heard: [],
    acknowledged: new Set(),
    failed: new Set(),
    cost: [],
    clientMs: [],
  };
  const unfollow = await Promise.all(
    [...desks.map((d) => d.s), ...recs].map((x) => follow(x.client, clinicId, stats)),
  );
  // BENCH_PG_STATS=1: the server's pg_stat_statements start from here (the day's seeding left out; bench.ts)
  if (process.env.BENCH_PG_STATS === '1' && s.pid) await resetPgStats(s.pid);
  const cpu0 = { client: process.cpuUsage(), server: s.pid ? await treeCpuMs(s.pid) : null };
  const load0 = loadavg()[0] ?? NaN;
  heldTurns.length = 0;
  const t0 = performance.now();
  await Promise.all([
    ...desks.map((d) => desk(d.s, clinicId, d.practitionerId, stats, sc.thinkMs ?? 0)),
    ...recs.map((r, i) => reception(r, clinicId, stats, String(i), sc.thinkMs ?? 0)),
  ]);
  const secs = (performance.now() - t0) / 1000;
  const cpuClient = process.cpuUsage(cpu0.client);
  const server1 = s.pid ? await treeCpuMs(s.pid) : null;
  const load1 = loadavg()[0] ?? NaN;
  // Realtime settles: wait (bounded) until every subscriber heard the last version.
  const expected = stats.ok;
  const until = Date.now() + 5000;
  while (stats.lag.length < expected * unfollow.length && Date.now() < until)
    await new Promise((r) => setTimeout(r, 50));
  for (const u of unfollow) await u();

  const total = stats.ok + stats.gaveUp + stats.refused;
  const all = Object.values(stats.lat).flat();
  console.log(
    `  ${sc.name}: ${desks.length + recs.length} clients, ${total} commands in ${secs.toFixed(1)} s (${(total / Math.max(secs, 1e-9)).toFixed(1)} commands/s) on a ${DAY}-entry day (${ACTIVE} waiting, ${DAY - ACTIVE} visits over)`,
  );
  console.log(
    `    gave up ${stats.gaveUp} (${((100 * stats.gaveUp) / Math.max(1, total)).toFixed(2)} %)${Object.keys(stats.giveUpCodes).length ? ' ' + JSON.stringify(stats.giveUpCodes) : ''} · refused by the domain ${stats.refused} (another session got there first) · ok ${stats.ok}   [target: ${sc.target}]`,
  );
  console.log(`    command p50 ${ms(pct(all, 50))} p95 ${ms(pct(all, 95))}`);
  // a desk's chance to lose k times in a row: with n desks colliding at random (no turn order) it is about
  // ((n-1)/n)^k, so a few commands of a thousand reach any fixed attempt budget — the give-ups' cause
  const tail = (k: number) => stats.attempts.filter((a) => a >= k).length;
  console.log(
    `    save attempts per saved command: p50 ${pct(stats.attempts, 50)} p95 ${pct(stats.attempts, 95)} max ${Math.max(0, ...stats.attempts)} · ≥ 5: ${tail(5)} · ≥ 10: ${tail(10)} · ≥ 15: ${tail(15)}`,
  );
  for (const [name, xs] of Object.entries(stats.lat))
    console.log(`      ${name.padEnd(18)} p50 ${ms(pct(xs, 50))}  p95 ${ms(pct(xs, 95))}  (n=${xs.length})`);
  printCost(
    stats,
    total,
    {
      clientCpuMs: (cpuClient.user + cpuClient.system) / 1000,
      serverCpuMs: server1 !== null && cpu0.server !== null ? server1 - cpu0.server : null,
      load: [load0, load1],
    },
    secs * 1000,
  );
  console.log(
    `    realtime commit → subscriber p50 ${ms(pct(stats.lag, 50))} p95 ${ms(pct(stats.lag, 95))} (${stats.lag.length} deliveries)`,
  );

  const check = await checkStormInvariants(read, queueId, mark, stats);
  const v1 = check.version;
  console.log(
    `    invariants (from the database, service role): ${check.violations.length === 0 ? '0 violations' : `${check.violations.length} VIOLATIONS: ${check.violations.slice(0, 5).join('; ')}`} — version ${v0} → ${v1} = ${check.appliedCommands} applied commands (${stats.acknowledged.size} acknowledged) + ${check.automaticSteps} automatic grace expiries, ${check.entries} entries, ${check.events} events (clinic ${clinicId.slice(0, 8)})`,
  );
  // Every subscriber must hear v0+1 … v1, each once, in order.
  let skipped = 0;
  let disordered = 0;
  for (const heard of stats.heard) {
    let last = v0;
    for (const v of heard) {
      if (v <= last) disordered++;
      else {
        skipped += v - last - 1;
        last = v;
      }
    }
    skipped += Math.max(0, v1 - last);
  }
  console.log(
    `    realtime order: ${stats.heard.length} subscribers × versions ${v0 + 1}…${v1}: ${skipped} skipped, ${disordered} out of order or repeated`,
  );
  for (const x of [owner, ...desks.map((d) => d.s), ...recs]) await x.client.removeAllChannels();
  return { p50: pct(all, 50), p95: pct(all, 95), perSecond: total / Math.max(secs, 1e-9) };
}

async function stormOn(kind: 'pglite' | 'postgres'): Promise<void> {
  const spawned = await spawnBenchServer(kind);
  const child = spawned.child;
  const served: Served = { ...spawned.served, ...(child.pid ? { pid: child.pid } : {}) };
  try {
    console.log(
      `\n${kind === 'pglite' ? 'PGlite (embedded, persisted to a temp folder)' : 'PostgreSQL (temporary server, pool of 20)'} — stack in its own process`,
    );
    if (SCALE.length > 0) {
      const rows: { day: number; p50: number; p95: number }[] = [];
      for (const day of SCALE) {
        rows.push({
          day,
          ...(await storm(served, {
            name: `scale ${day}`,
            practitioners: [1],
            receptionists: 1,
            target: '0 give up',
            day,
            active: activeOf(day, true),
          })),
        });
      }
      console.log(
        `  command cost against the day's length (1 desk + 1 receptionist; ${ACTIVE_ENV === 'all' ? 'every entry waiting' : `${ACTIVE_ENV ?? 30} waiting, the rest of the day over`}):`,
      );
      for (const r of rows)
        console.log(`    ${String(r.day).padStart(5)} entries: p50 ${ms(r.p50)}  p95 ${ms(r.p95)}`);
      const first = rows[0];
      const last = rows[rows.length - 1];
      if (first && last)
        console.log(
          `    p95 ratio ${last.day} / ${first.day} entries: ${(last.p95 / first.p95).toFixed(2)}× (target ≤ 2×)`,
        );
      return;
    }
    if (SCENARIOS.includes('10')) {
      const closed = await storm(served, {
        name: '8 desks + 2 receptionists, closed loop (each sends its next command the instant the last is answered)',
        practitioners: [1, 1, 1, 1, 1, 1, 1, 1],
        receptionists: 2,
        target: '0 give up',
        active: activeOf(DEFAULT_DAY, false),
      });
      const paced = PACED
        ? await storm(served, {
            name: `8 desks + 2 receptionists, paced (think time exponential, mean ${THINK_MS} ms per client)`,
            practitioners: [1, 1, 1, 1, 1, 1, 1, 1],
            receptionists: 2,
            target: '0 give up',
            active: activeOf(DEFAULT_DAY, false),
            thinkMs: THINK_MS,
          })
        : null;
      // The 100 ms target is judged on the paced run: commands that arrive as people send them (Poisson, one
      // client's next command after a think time), at a rate still far above any clinic's. The closed loop is a
      // throughput figure: ten clients back to back keep the queue day saturated, so each command waits about
      // 10 × the queue's cycle whatever one command costs (Little's law; on these 2 cores the ten clients' own
      // CPU is in the cycle too) — printed, not judged (session 26, docs/operations.md "Judging the 100 ms").
      const verdict = (p95: number) => (p95 < 100 ? 'meets' : 'does NOT meet');
      const clinicPeak = 0.12; // commands/s: 8 doctors × ~4 visits an hour × ~4 commands, × 3 for reception
      console.log(
        `  command p95 against the 100 ms target (load average ${(loadavg()[0] ?? NaN).toFixed(1)} now): ${
          paced
            ? `paced, mean think ${THINK_MS} ms (${paced.perSecond.toFixed(1)} commands/s on one queue day, ≈ ${Math.round(paced.perSecond / clinicPeak)}× a busy clinic's peak): ${ms(paced.p95)} — ${verdict(paced.p95)} it · `
            : 'paced run off (STORM_PACED=off): not judged · '
        }closed loop (saturation throughput, not judged: ${closed.perSecond.toFixed(1)} commands/s, p95 ${ms(closed.p95)})`,
      );
    }
    if (SCENARIOS.includes('22')) {
      await storm(served, {
        name: '22 clients (6 practitioners × 2 sessions, 2 desks, 8 receptionists)',
        practitioners: [2, 2, 2, 2, 2, 2, 1, 1],
        receptionists: 8,
        target: '< 1 % give up',
        active: activeOf(DEFAULT_DAY, false),
      });
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.end();
    await exited;
  }
}

export async function runStorm(): Promise<void> {
  const which = process.env.BENCH_DB ?? 'both';
  console.log(
    `QueueMed storm bench — node ${process.version}, ${COMMANDS} commands per client, ${SCALE.length ? SCALE.join('/') : DEFAULT_DAY}-entry day (QueueService over SupabaseQueueRepository), retry fairness ${FAIRNESS ? 'on (version watch over Realtime)' : 'off (before issue 12: 10 attempts, blind pauses)'}, turns ${ONE_TRIP_TURNS ? 'claimed and loaded in one call (claim_turn_and_load)' : 'claimed and loaded with two calls (STORM_ONE_TRIP=off)'}`,
  );
  if (which === 'both' || which === 'postgres') await stormOn('postgres');
  if (which === 'both' || which === 'pglite') await stormOn('pglite');
  console.log('\nTargets on an idle machine: command p95 < 100 ms on PostgreSQL, realtime p95 < 150 ms.');
}
