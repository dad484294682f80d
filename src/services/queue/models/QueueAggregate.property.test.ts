/**
 * Property-based tests (fast-check) over random sequences of queue commands on random clinic settings.
 * After every command:
 *   - positions of the waiting entries of each pool are exactly 1..n (no gaps, no repeats);
 *   - every entry is in exactly one status, and that status' own facts hold (waiting ⇒ checked in, …);
 *   - at most one called/in_service entry per practitioner (and per room desk calling "any");
 *   - no present entry is overtaken more than `max_skips` times, except by an emergency (counted
 *     independently of the aggregate, from the line before each call);
 *   - a refused command returns a coded error and changes nothing (deep-equal before/after);
 *   - pendingChanges() covers every entry that differs from the loaded snapshot.
 * And the same inputs always give the same order (two runs of one sequence are identical).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../shared/AppError';
import { QueueAggregate, type CommandResult } from './QueueAggregate';
import { ENTRY_STATUSES, type QueueEntry } from './QueueEntry';
import { callerServes, compareEntries, positions, sortInOrder } from './QueueOrder';
import { at, ctx as baseCtx, snapshot } from './testing/queueTestKit';

const POOLS = ['dr-a', 'dr-b', null] as const;
const pool = fc.constantFrom(...POOLS);
const idx = fc.nat({ max: 60 });

const command = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('walkIn' as const), pool, urgent: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('booked' as const), pool, slot: fc.nat({ max: 240 }) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('checkIn' as const), idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('emergency' as const), pool }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('callNext' as const), pool }) },
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('callSpecific' as const), idx, pool, blank: fc.boolean() }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'start' as const,
        'finish' as const,
        'markAbsent' as const,
        'return' as const,
        'cancel' as const,
        'reactivate' as const,
        'late' as const,
      ),
      idx,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      idx,
      to: fc.integer({ min: 0, max: 6 }),
      pool: fc.option(pool, { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('priority' as const),
      idx,
      priority: fc.constantFrom('normal' as const, 'urgent' as const, 'emergency' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknownEntry' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('callNextEmptyDesk' as const) }) },
);
type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

const step = fc.record({ advance: fc.nat({ max: 6 }), command });
const settings = fc.record({
  max_skips: fc.integer({ min: 1, max: 3 }),
  auto_finish_on_next: fc.boolean(),
  grace_period_minutes: fc.integer({ min: 1, max: 15 }),
  late_return_policy: fc.constantFrom('after_next' as const, 'front' as const, 'end' as const),
  late_return_offset: fc.integer({ min: 0, max: 2 }),
  on_time_tolerance_minutes: fc.integer({ min: 0, max: 15 }),
});
const scenario = fc.record({
  settings,
  steps: fc.array(step, { minLength: 20, maxLength: 90 }),
  /** Mostly beyond the sequence (never); sometimes mid-way, after which everything is refused as closed. */
  endDayAt: fc.option(fc.nat({ max: 250 }), { nil: undefined }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const START = new Date(at('08:00')).getTime();

interface Trace {
  results: CommandResult[];
  q: QueueAggregate;
}

/** Runs a scenario, calling `check` before/after each command. */
const play = (
  s: Scenario,
  check: (
    q: QueueAggregate,
    before: string,
    r: CommandResult,
    c: Command | { kind: 'endDay' },
    pre: QueueEntry[],
  ) => void = () => undefined,
): Trace => {
  const q = QueueAggregate.load(snapshot(s.settings));
  const results: CommandResult[] = [];
  let now = START;
  let n = 0;
  s.steps.forEach(({ advance, command: c }, i) => {
    now += advance * 60_000;
    const context = { ...baseCtx('08:00'), now: new Date(now).toISOString(), correlationId: `c${i}` };
    const ids = q
      .entries()
      .map((e) => e.id)
      .sort();
    const pick = (k: number) => ids[k % Math.max(ids.length, 1)] ?? 'none';
    const patient = (p: string | null) => ({
      entryId: `e${++n}`,
      patientId: null,
      patientName: `P${n}`,
      practitionerId: p,
      appointmentTypeId: null,
      expectedDurationMinutes: 10,
    });
    const pre = q.entries();
    const before = JSON.stringify([q.toSnapshot(), q.pendingChanges(), q.pendingEvents()]);
    let r: CommandResult;
    switch (c.kind) {
      case 'walkIn':
        r = q.addWalkIn(context, { ...patient(c.pool), priority: c.urgent ? 'urgent' : 'normal' });
        break;
      case 'booked':
        r = q.addBooked(context, {
          ...patient(c.pool),
          appointmentId: null,
          slotAt: new Date(START + c.slot * 60_000).toISOString(),
        });
        break;
      case 'checkIn':
        r = q.checkIn(context, { entryId: pick(c.idx) });
        break;
      case 'emergency':
        r = q.insertEmergency(context, { ...patient(c.pool), reason: 'acute' });
        break;
      case 'callNext':
        r = q.callNext(context, {
          practitionerId: c.pool,
          room: c.pool === null ? 'desk' : `room-${c.pool}`,
        });
        break;
      case 'callSpecific':
        r = q.callSpecific(context, {
          entryId: pick(c.idx),
          practitionerId: c.pool,
          room: c.pool === null ? 'desk' : `room-${c.pool}`,
          reason: c.blank ? ' ' : 'clinical',
        });
        break;
      case 'start':
        r = q.start(context, { entryId: pick(c.idx) });
        break;
      case 'finish':
        r = q.finish(context, { entryId: pick(c.idx) });
        break;
      case 'markAbsent':
        r = q.markAbsent(context, { entryId: pick(c.idx) });
        break;
      case 'return':
        r = q.returnFromAbsence(context, { entryId: pick(c.idx) });
        break;
      case 'cancel':
        r = q.cancel(context, { entryId: pick(c.idx) });
        break;
      case 'reactivate':
        r = q.reactivateNoShow(context, { entryId: pick(c.idx) });
        break;
      case 'late':
        r = q.runningLate(context, { entryId: pick(c.idx), source: 'sms' });
        break;
      case 'move':
        r = q.move(context, {
          entryId: pick(c.idx),
          toPosition: c.to,
          reason: 'reorder',
          ...(c.pool === undefined ? {} : { practitionerId: c.pool }),
        });
        break;
      case 'priority':
        r = q.setPriority(context, { entryId: pick(c.idx), priority: c.priority, reason: 'triage' });
        break;
      case 'expire':
        r = q.expireGrace(context);
        break;
      case 'callNextEmptyDesk':
        r = q.callNext(context, { practitionerId: null, room: null });
        break;
      case 'unknownEntry':
        r = q.start(context, { entryId: 'no-such-entry' });
        break;
    }
    results.push(r);
    check(q, before, r, c, pre);
    if (s.endDayAt === i) {
      const b = JSON.stringify([q.toSnapshot(), q.pendingChanges(), q.pendingEvents()]);
      const pre2 = q.entries();
      const e = q.endDay({ ...context, correlationId: `end${i}` });
      results.push(e);
      check(q, b, e, { kind: 'endDay' }, pre2);
    }
  });
  return { results, q };
};

const CODES = new Set<string>(Object.values(ErrorCodes));
/** Fewer cases per mutant under Stryker (its workers set STRYKER_MUTATOR_WORKER); the full count otherwise. */
const UNDER_STRYKER = process.env.STRYKER_MUTATOR_WORKER !== undefined;
const RUNS = { numRuns: UNDER_STRYKER ? 60 : 300 };

// Generous timeout: the machine is shared, and a few hundred random days take seconds under load.
describe('QueueAggregate properties (random command sequences)', { timeout: 120_000 }, () => {
  it('positions of the waiting entries of every pool are always 1..n without gaps or repeats', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        play(s, (q) => {
          const pos = positions(q.entries());
          const byPool = new Map<string | null, number[]>();
          for (const e of q.entries().filter((x) => x.status === 'waiting')) {
            byPool.set(e.practitionerId, [...(byPool.get(e.practitionerId) ?? []), pos.get(e.id) ?? -1]);
          }
          for (const ps of byPool.values()) {
            expect([...ps].sort((a, b) => a - b)).toEqual(ps.map((_, i) => i + 1));
          }
          expect(pos.size).toBe(q.entries().filter((x) => x.status === 'waiting').length);
        });
      }),
      RUNS,
    );
  });

  it('an entry is in exactly one status, and the facts of that status hold', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        play(s, (q) => {
          const all = q.entries();
          expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
          const counts = ENTRY_STATUSES.map((st) => all.filter((e) => e.status === st).length);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(all.length);
          for (const e of all) {
            expect(ENTRY_STATUSES).toContain(e.status);
            if (e.status === 'waiting') expect(e.checkedInAt).not.toBeNull();
            if (e.status === 'scheduled') expect(e.checkedInAt).toBeNull();
            if (e.status === 'called' || e.status === 'in_service') expect(e.calledAt).not.toBeNull();
            if (e.status === 'in_service') expect(e.startedAt).not.toBeNull();
            if (e.status === 'absent') expect(e.graceEndsAt).not.toBeNull();
            if (e.status === 'no_show') expect(e.noShowAt).not.toBeNull();
            if (e.status === 'completed') expect(e.finishedAt).not.toBeNull();
            if (e.status === 'cancelled') expect(e.cancelledAt).not.toBeNull();
          }
        });
      }),
      RUNS,
    );
  });

  it('at most one called/in_service entry per practitioner (and per room desk)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        play(s, (q) => {
          const desks = q
            .entries()
            .filter((e) => e.status === 'called' || e.status === 'in_service')
            .map((e) => (e.servedBy !== null ? `p:${e.servedBy}` : `r:${e.room}`));
          expect(new Set(desks).size).toBe(desks.length);
        });
      }),
      RUNS,
    );
  });

  it('no present entry is overtaken more than max_skips times, except by an emergency', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const overtaken = new Map<string, number>();
        play(s, (q, _before, r, _c, pre) => {
          if (!r.ok) return;
          for (const ev of r.value.events) {
            if (ev.type === 'NoShowReactivated') overtaken.delete(ev.entryId ?? '');
            if (ev.type !== 'PatientCalled') continue;
            const called = pre.find((e) => e.id === ev.entryId);
            if (called === undefined || called.priority === 'emergency') continue;
            const caller = ev.payload.practitionerId;
            for (const e of pre) {
              if (e.status === 'waiting' && callerServes(caller, e) && compareEntries(e, called) < 0) {
                overtaken.set(e.id, (overtaken.get(e.id) ?? 0) + 1);
                expect(overtaken.get(e.id)).toBeLessThanOrEqual(s.settings.max_skips);
              }
            }
          }
          void q;
        });
      }),
      RUNS,
    );
  });

  it('every refused command returns a coded error and changes nothing', () => {
    let refusals = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        play(s, (q, before, r) => {
          if (r.ok) return;
          refusals++;
          expect(CODES.has(r.error.code)).toBe(true);
          expect(JSON.stringify([q.toSnapshot(), q.pendingChanges(), q.pendingEvents()])).toBe(before);
        });
      }),
      RUNS,
    );
    expect(refusals).toBeGreaterThan(UNDER_STRYKER ? 20 : 100); // the generator really exercises refusals
  });

  it('the same inputs always give the same order (and the same state, events and results)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const a = play(s);
        const b = play(s);
        expect(a.q.entries().map((e) => e.id)).toEqual(b.q.entries().map((e) => e.id));
        expect(sortInOrder([...a.q.entries()].reverse()).map((e) => e.id)).toEqual(
          a.q.entries().map((e) => e.id),
        );
        expect(JSON.stringify(a.q.pendingEvents())).toBe(JSON.stringify(b.q.pendingEvents()));
        expect(JSON.stringify(a.results)).toBe(JSON.stringify(b.results));
      }),
      { numRuns: UNDER_STRYKER ? 30 : 150 },
    );
  });

  it('pendingChanges() holds every entry that differs from the loaded snapshot, in its current state', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { q } = play(s);
        const pending = new Map(q.pendingChanges().map((e) => [e.id, e]));
        for (const e of q.entries()) expect(pending.get(e.id)).toEqual(e); // loaded empty: all are new
        expect(q.loadedVersion).toBe(7);
        const events = q.pendingEvents();
        expect(events.every((e) => e.aggregateId === 'queue-1' && e.correlationId.length > 0)).toBe(true);
      }),
      { numRuns: UNDER_STRYKER ? 30 : 100 },
    );
  });
});
