/**
 * turn25 (issue 12, the client's CPU per command): a command's load parses the snapshot's parts (queue row,
 * settings, prefix, day counts) once while only the version moves, and a delta's merged entries become the next
 * base as they are. These tests pin what must not change with it: a new version, new settings, a new zone or
 * prefix are read from the answer, a malformed one is still refused, and deltas keep merging right.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueueSnapshotSchema } from '../api';
import { SupabaseQueueRepository } from './SupabaseQueueRepository';

const CLINIC = '11111111-1111-4111-8111-111111111111';
const QUEUE = '22222222-2222-4222-8222-222222222222';
const id = (n: number) => `33333333-3333-4333-8333-${String(n).padStart(12, '0')}`;

const row = (n: number, status: string, version: number) => ({
  id: id(n),
  patient_id: id(100 + n),
  practitioner_id: null,
  appointment_type_id: null,
  kind: 'walk_in',
  status,
  priority: 'normal',
  ticket_number: n,
  order_key: String(1_764_000_000 + n),
  order_tiebreak: n,
  skip_count: 0,
  slot_start: null,
  running_late_at: null,
  running_late_minutes: null,
  late_turn_at: null,
  checked_in_at: '2026-12-03T08:00:00+00:00',
  called_at: status === 'waiting' ? null : '2026-12-03T09:00:00+00:00',
  started_at: null,
  finished_at: status === 'completed' ? '2026-12-03T09:10:00+00:00' : null,
  absent_at: null,
  grace_ends_at: null,
  no_show_at: null,
  cancelled_at: status === 'cancelled' ? '2026-12-03T09:00:00+00:00' : null,
  called_room: null,
  served_by: null,
  reactivations: 0,
  expected_duration_minutes: 15,
  appointment_id: null,
  queue_version: version,
  patient: { full_name: `مريض ${n} 🙂` },
});

interface Answer {
  version: number;
  entries: ReturnType<typeof row>[];
  delta_since?: number | null;
  active_count: number;
  settings?: Record<string, unknown>;
  time_zone?: string;
  ticket_prefix?: string;
  walk_ins?: number;
}

const answer = (a: Answer) => ({
  queue: {
    id: QUEUE,
    clinic_id: CLINIC,
    day: '2026-12-03',
    version: a.version,
    status: 'open',
    closed_at: null,
    summary: null,
    paused_practitioner_ids: [],
    intake_closed_at: null,
  },
  clinic: {
    id: CLINIC,
    name: 'Clinique',
    slug: 'clinique',
    time_zone: a.time_zone ?? 'Africa/Casablanca',
    default_language: 'fr',
    ticket_prefix: a.ticket_prefix ?? 'A',
  },
  settings: a.settings ?? { grace_period_minutes: 5 },
  entries: a.entries,
  members: [],
  appointment_types: [],
  applied_command: null,
  delta_since: a.delta_since ?? null,
  active_count: a.active_count,
  day_counts: { walk_ins: a.walk_ins ?? 3, last_ticket: Math.max(3, a.walk_ins ?? 3) },
});

/** A supabase-js client whose get_queue answers the next of `answers`, recording the arguments it was sent. */
const fakeClient = (answers: ReturnType<typeof answer>[]) => {
  const sent: Record<string, unknown>[] = [];
  const client = {
    rpc: (_name: string, args: Record<string, unknown>) => {
      sent.push(args);
      const data = answers.shift();
      const builder = {
        setHeader: () => builder,
        then: (resolve: (v: unknown) => unknown, reject: (e: unknown) => unknown) =>
          Promise.resolve({ data, error: null, status: 200 }).then(resolve, reject),
      };
      return builder;
    },
  };
  return { client: client as unknown as SupabaseClient, sent };
};

const active = { kind: 'active', entryIds: [] } as const;

afterEach(() => vi.restoreAllMocks());

describe('a command load parses the snapshot parts once while only the version moves (turn25)', () => {
  it('parses the parts once for three loads that differ only by version, and answers each version', async () => {
    const { client } = fakeClient([
      answer({ version: 7, entries: [row(1, 'waiting', 5)], active_count: 1 }),
      answer({ version: 8, entries: [], active_count: 1, delta_since: 7 }),
      answer({ version: 9, entries: [], active_count: 1, delta_since: 8 }),
    ]);
    const spy = vi.spyOn(QueueSnapshotSchema, 'safeParse');
    const repo = new SupabaseQueueRepository(client);
    const versions: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await repo.load(CLINIC, null, null, active);
      expect(r.ok).toBe(true);
      if (r.ok) versions.push(r.value.snapshot.queue.version);
    }
    expect(versions).toEqual([7, 8, 9]);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('parses them once while another desk’s walk-ins move the day’s counts, and reads each count', async () => {
    const { client } = fakeClient([
      answer({ version: 7, entries: [row(1, 'waiting', 5)], active_count: 1 }),
      answer({ version: 9, entries: [], active_count: 1, delta_since: 7, walk_ins: 4 }),
      answer({ version: 12, entries: [], active_count: 1, delta_since: 9, walk_ins: 6 }),
      answer({ version: 13, entries: [], active_count: 1, delta_since: 12, walk_ins: -1 }),
    ]);
    const spy = vi.spyOn(QueueSnapshotSchema, 'safeParse');
    const repo = new SupabaseQueueRepository(client);
    const counts: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await repo.load(CLINIC, null, null, active);
      if (!r.ok) throw new Error(r.error.message);
      counts.push(r.value.snapshot.dayCounts);
    }
    expect(counts).toEqual([
      { walkIns: 3, lastTicket: 3 },
      { walkIns: 4, lastTicket: 4 },
      { walkIns: 6, lastTicket: 6 },
    ]);
    expect(spy).toHaveBeenCalledTimes(1);
    // a count the schema refuses is still refused
    expect((await repo.load(CLINIC, null, null, active)).ok).toBe(false);
  });

  it('reads new settings, a new zone and a new prefix from the answer (never the parse it kept)', async () => {
    const { client } = fakeClient([
      answer({ version: 7, entries: [row(1, 'waiting', 5)], active_count: 1 }),
      answer({
        version: 8,
        entries: [],
        active_count: 1,
        delta_since: 7,
        settings: { grace_period_minutes: 9 },
      }),
      answer({
        version: 9,
        entries: [],
        active_count: 1,
        delta_since: 8,
        settings: { grace_period_minutes: 9 },
        time_zone: 'Europe/Paris',
      }),
      answer({
        version: 10,
        entries: [],
        active_count: 1,
        delta_since: 9,
        settings: { grace_period_minutes: 9 },
        time_zone: 'Europe/Paris',
        ticket_prefix: 'B',
      }),
    ]);
    const repo = new SupabaseQueueRepository(client);
    const seen: [number, string, string | undefined][] = [];
    for (let i = 0; i < 4; i++) {
      const r = await repo.load(CLINIC, null, null, active);
      if (!r.ok) throw new Error(r.error.message);
      const s = r.value.snapshot;
      seen.push([s.settings.grace_period_minutes, s.queue.timeZone, s.ticketPrefix]);
    }
    expect(seen).toEqual([
      [5, 'Africa/Casablanca', 'A'],
      [9, 'Africa/Casablanca', 'A'],
      [9, 'Europe/Paris', 'A'],
      [9, 'Europe/Paris', 'B'],
    ]);
  });

  it('still refuses a malformed version, zone or prefix after a good load of the same parts', async () => {
    const good = answer({ version: 7, entries: [row(1, 'waiting', 5)], active_count: 1 });
    const badVersion = answer({ version: -1, entries: [row(1, 'waiting', 5)], active_count: 1 });
    const badZone = answer({
      version: 8,
      entries: [row(1, 'waiting', 5)],
      active_count: 1,
      time_zone: 'Nowhere/City',
    });
    const badPrefix = answer({
      version: 8,
      entries: [row(1, 'waiting', 5)],
      active_count: 1,
      ticket_prefix: "A'; drop",
    });
    for (const bad of [badVersion, badZone, badPrefix]) {
      const { client } = fakeClient([good, bad]);
      const repo = new SupabaseQueueRepository(client);
      expect((await repo.load(CLINIC, null, null, { kind: 'day' })).ok).toBe(true);
      const r = await repo.load(CLINIC, null, null, { kind: 'day' });
      expect(r.ok).toBe(false);
    }
  });
});

describe('delta loads merge into the last load (turn25: the merged map is the next base)', () => {
  it('adds, updates and drops finished entries across consecutive deltas, asking since the last version', async () => {
    const { client, sent } = fakeClient([
      answer({ version: 7, entries: [row(1, 'waiting', 5), row(2, 'waiting', 6)], active_count: 2 }),
      // 8: entry 1 called, entry 3 added
      answer({
        version: 8,
        entries: [row(1, 'called', 8), row(3, 'waiting', 8)],
        active_count: 3,
        delta_since: 7,
      }),
      // 9: entry 1 finished (final: leaves the active set), entry 2 cancelled
      answer({
        version: 9,
        entries: [row(1, 'completed', 9), row(2, 'cancelled', 9)],
        active_count: 1,
        delta_since: 8,
      }),
      // 10: nothing changed
      answer({ version: 10, entries: [], active_count: 1, delta_since: 9 }),
    ]);
    const repo = new SupabaseQueueRepository(client);
    const states: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const r = await repo.load(CLINIC, null, null, active);
      if (!r.ok) throw new Error(r.error.message);
      states.push(r.value.snapshot.entries.map((e) => `${e.ticketNumber}:${e.status}`));
    }
    expect(states).toEqual([
      ['1:waiting', '2:waiting'],
      ['1:called', '2:waiting', '3:waiting'],
      ['3:waiting'],
      ['3:waiting'],
    ]);
    expect(sent.map((a) => a.p_since_version ?? null)).toEqual([null, 7, 8, 9]);
  });

  it('a delta whose count does not fit its base is loaded in full', async () => {
    const { client, sent } = fakeClient([
      answer({ version: 7, entries: [row(1, 'waiting', 5)], active_count: 1 }),
      // the database counts 2 active entries, the merge gives 1: not trusted
      answer({ version: 8, entries: [], active_count: 2, delta_since: 7 }),
      answer({ version: 8, entries: [row(1, 'waiting', 5), row(2, 'waiting', 8)], active_count: 2 }),
    ]);
    const repo = new SupabaseQueueRepository(client);
    expect((await repo.load(CLINIC, null, null, active)).ok).toBe(true);
    const r = await repo.load(CLINIC, null, null, active);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.snapshot.entries.map((e) => e.ticketNumber)).toEqual([1, 2]);
    expect(sent.map((a) => a.p_since_version ?? null)).toEqual([null, 7, null]);
  });
});
