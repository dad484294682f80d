// Issue 12, session 18 (client side of 20261217400001):
//  * the turn claims' lease has one source, the database: a turn check answers it and the waits between a
//    waiter's checks (which refresh its claim) derive from it — change the lease and the waits change with it;
//  * a lapsed claim that comes back at its old place is a change of the line, broadcast as a release is: the
//    waiters behind it re-aim at the version their turn now comes at instead of checking for a turn that is
//    not theirs.
// The clock is a ManualClock and the watch's timers are recorded, never run by time: no wall clock.
import { describe, expect, it } from 'vitest';
import { CLINIC, DR_A, queueFixture } from '../../../test/fixtures/queueFixture';
import { InMemoryQueueChangeFeed } from './repositories/InMemoryQueueChangeFeed';
import { FeedVersionWatch } from './repositories/QueueVersionWatch';
import { QueueService } from './QueueService';
import { ok } from '../shared/Result';
import { turnWaits } from './turnWaits';

/** Lets the in-memory services run: n turns of the event loop (a deadline counted in events, not in ms). */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

/** A queue with one walk-in, turns on, a version watch whose bounded waits are recorded and fired by hand. */
async function lineWorld(leaseMs?: number) {
  const { repo, bus, clock } = queueFixture();
  repo.enableTurns();
  if (leaseMs !== undefined) repo.turnLeaseMs = leaseMs; // what an operator's update of the row does
  const other = new QueueService({ repo, bus, clock });
  expect((await other.addWalkIn(CLINIC, { patientName: 'One' })).ok).toBe(true);
  const st = await other.status(CLINIC);
  if (!st.ok) throw new Error(st.error.code);
  const pending: { f: () => void; ms: number }[] = [];
  const bounds: number[] = [];
  const timers = {
    set: (f: () => void, ms: number) => {
      if (ms <= 0) queueMicrotask(f);
      else {
        pending.push({ f, ms });
        bounds.push(ms);
      }
      return null;
    },
    clear: (h: unknown) => {
      void h;
    },
  };
  const watch = new FeedVersionWatch(new InMemoryQueueChangeFeed(repo), timers);
  const log: string[] = [];
  const forward = repo.onTurnReleased;
  repo.onTurnReleased = (c) => {
    log.push(`released ${c.releases}`);
    forward?.(c);
  };
  const check = repo.claimTurnAndLoad!.bind(repo);
  repo.claimTurnAndLoad = async (...args) => {
    const r = await check(...args);
    log.push(r.ok ? `check ${args[1].slice(-2)} ${r.value.ahead} ahead` : `check ${r.error.code}`);
    return r;
  };
  /** Moves the clock by `ms` and ends the oldest bounded wait (as its timer would). */
  const fire = async (ms: number) => {
    clock.set(new Date(clock.now().getTime() + ms));
    pending.shift()?.f();
    await turns(50);
  };
  const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));
  return { repo, bus, clock, other, queueId: st.value.queue.id, watch, log, bounds, fire, later };
}

const cmd = (n: string) => `0b5e0000-0000-4000-8000-0000000000${n}`;

describe("QueueService: the turn waits derive from the database's lease (issue 12, session 18)", () => {
  it('waits between checks are half the lease the turn check answered: 10 s → 5 s, and 4 s → 2 s', async () => {
    const boundsFor = async (leaseMs: number | undefined) => {
      const w = await lineWorld(leaseMs);
      // a desk's command holds the turn and its tab died; a second claim is in line behind it
      expect(await w.repo.claimTurn!(w.queueId, cmd('e0'))).toEqual(ok(0));
      expect(await w.repo.claimTurn!(w.queueId, cmd('e1'))).toEqual(ok(1));
      const service = new QueueService({
        repo: w.repo,
        bus: w.bus,
        clock: w.clock,
        versions: w.watch,
        retryDelayMs: () => 0,
      });
      const calling = service.addWalkIn(CLINIC, { patientName: 'Two' }, { commandId: cmd('e2') });
      await turns(50);
      expect(w.log).toEqual(['check e2 2 ahead']);
      const first = w.bounds.at(-1);
      // the claims ahead end without saving: the waiter's turn comes and its command answers
      for (const c of [cmd('e0'), cmd('e1')]) expect((await w.repo.releaseTurn!(w.queueId, c)).ok).toBe(true);
      await turns(50);
      expect((await calling).ok).toBe(true);
      w.watch.dispose();
      return first;
    };
    expect(await boundsFor(undefined)).toBe(5_000);
    expect(await boundsFor(10_000)).toBe(5_000);
    expect(await boundsFor(4_000)).toBe(2_000);
    expect(await boundsFor(30_000)).toBe(15_000);
  });

  it("a waiter keeps its claim alive under a shorter lease: each wait's check comes before the lease runs out", async () => {
    const w = await lineWorld(4_000);
    // the holder keeps refreshing; the waiter must never lapse (it would be swept and lose its claim)
    expect(await w.repo.claimTurn!(w.queueId, cmd('f0'))).toEqual(ok(0));
    const service = new QueueService({
      repo: w.repo,
      bus: w.bus,
      clock: w.clock,
      versions: w.watch,
      retryDelayMs: () => 0,
    });
    const calling = service.addWalkIn(CLINIC, { patientName: 'Two' }, { commandId: cmd('f1') });
    await turns(50);
    for (let i = 0; i < 3; i++) {
      expect(await w.repo.claimTurn!(w.queueId, cmd('f0'))).toEqual(ok(0)); // the holder is alive
      await w.fire(w.bounds.at(-1) ?? 0);
    }
    // every check found it still in line behind the holder, never swept (no release counted)
    expect(w.log).toEqual(Array.from({ length: 4 }, () => 'check f1 1 ahead'));
    expect(w.bounds.every((b) => b <= 2_000)).toBe(true);
    expect((await w.repo.releaseTurn!(w.queueId, cmd('f0'))).ok).toBe(true);
    await turns(50);
    expect((await calling).ok).toBe(true);
    w.watch.dispose();
  });

  it('turnWaits: half the lease between checks of a lined waiter, a fifth for a poll; an older database (no lease) keeps 10 s', () => {
    expect(turnWaits(10_000)).toEqual({ lined: 5_000, poll: 2_000 });
    expect(turnWaits(4_000)).toEqual({ lined: 2_000, poll: 800 });
    expect(turnWaits(undefined)).toEqual({ lined: 5_000, poll: 2_000 });
    expect(turnWaits(0)).toEqual({ lined: 5_000, poll: 2_000 });
  });
});

describe('QueueService: a lapsed claim that comes back is broadcast like a release (issue 12, session 18)', () => {
  it('the waiter behind a returning claim re-aims on the broadcast and checks once, when its turn has come', async () => {
    const w = await lineWorld();
    const [holder, slow, waiter] = [cmd('a0'), cmd('a1'), cmd('a2')];
    // t 0: a desk holds the turn, a slow desk claims behind it
    expect(await w.repo.claimTurn!(w.queueId, holder)).toEqual(ok(0));
    expect(await w.repo.claimTurn!(w.queueId, slow)).toEqual(ok(1));
    const service = new QueueService({
      repo: w.repo,
      bus: w.bus,
      clock: w.clock,
      versions: w.watch,
      retryDelayMs: () => 0,
    });
    const calling = service.callNext(CLINIC, { practitionerId: DR_A, room: null }, { commandId: waiter });
    await turns(50);
    expect(w.log).toEqual(['check a2 2 ahead']);
    // t 5: the waiter's bounded check (its refresh); t 6: the holder refreshes; the slow desk does not (its
    // lease ends at 10 s)
    await w.fire(5_000);
    expect(w.log.slice(1)).toEqual(['check a2 2 ahead']);
    w.later(1_000);
    expect(await w.repo.claimTurn!(w.queueId, holder)).toEqual(ok(0));
    // t 10.5: the waiter's next check sweeps the slow desk's lapsed claim (a release): 1 ahead now
    await w.fire(4_500);
    expect(w.log.slice(2)).toEqual(['released 1', 'check a2 1 ahead']);
    // t 11: the slow desk is alive and checks again: back at its place, between the holder and the waiter —
    // the line changed, and the waiter hears it (its turn now comes after two saves, not one)
    w.later(500);
    const back = await w.repo.claimTurnAndLoad!(w.queueId, slow, CLINIC, null, {
      kind: 'active',
      entryIds: [],
    });
    expect(back.ok && back.value.ahead).toBe(1);
    await turns(50);
    expect(w.log.slice(4)).toEqual(['released 2', 'check a1 1 ahead']);
    // the holder saves, then the slow desk: the waiter checks only after both, once, and calls its patient
    const desk = new QueueService({ repo: w.repo, bus: w.bus, clock: w.clock });
    expect((await desk.addWalkIn(CLINIC, { patientName: 'Held' }, { commandId: holder })).ok).toBe(true);
    await turns(50);
    expect(w.log.slice(6)).toEqual([]); // no check for a turn that is not the waiter's yet
    expect((await desk.addWalkIn(CLINIC, { patientName: 'Slow' }, { commandId: slow })).ok).toBe(true);
    const settled = await Promise.race([calling, turns(100).then(() => 'still asleep' as const)]);
    expect(w.log.slice(6)).toEqual(['check a2 0 ahead']);
    if (settled === 'still asleep') throw new Error(`the waiter was left asleep: ${w.log.join(' | ')}`);
    expect(settled.ok && settled.value.events.map((e) => e.type)).toContain('PatientCalled');
    w.watch.dispose();
  });
});
