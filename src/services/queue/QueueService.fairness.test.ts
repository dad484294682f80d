// Issue 12 (no give-ups, client side): after a version conflict QueueService spreads its retry over the
// desks that compete (heard over Realtime), and from the second conflict on it waits for the queue's next
// version instead of sleeping blindly. The in-memory feed reports every save, as Realtime does.
import { describe, expect, it } from 'vitest';
import { CLINIC, DR_A, DR_B, queueFixture } from '../../../test/fixtures/queueFixture';
import { InMemoryQueueChangeFeed } from './repositories/InMemoryQueueChangeFeed';
import { FeedVersionWatch } from './repositories/QueueVersionWatch';
import { QueueService } from './QueueService';
import { ok } from '../shared/Result';
import type { LoadScope } from './repositories/QueueRepository';

describe('QueueService retries: fairness across desks', () => {
  it('tells the pause how many saves beat it (versions heard past the one it loaded)', async () => {
    const { repo, bus, clock } = queueFixture();
    const versions = new FeedVersionWatch(new InMemoryQueueChangeFeed(repo));
    const seen: (number | null)[] = [];
    const service = new QueueService({
      repo,
      bus,
      clock,
      versions,
      retryDelayMs: (_attempt, _rtt, contenders) => {
        seen.push(contenders);
        return 0;
      },
    });
    const other = new QueueService({ repo, bus, clock });
    expect((await service.addWalkIn(CLINIC, { patientName: 'First' })).ok).toBe(true);
    // Three other saves land between our load and our save (three desks were faster).
    repo.beforeSave = async () => {
      repo.beforeSave = null;
      for (const n of ['X', 'Y', 'Z'])
        expect((await other.addWalkIn(CLINIC, { patientName: n })).ok).toBe(true);
    };
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: null });
    expect(r.ok && r.value.attempts).toBe(2);
    expect(seen).toEqual([3]);
    versions.dispose();
  });

  it('from the second conflict on, waits for the next queue version instead of its (here endless) pause', async () => {
    const { repo, bus, clock } = queueFixture();
    const feed = new InMemoryQueueChangeFeed(repo);
    const watch = new FeedVersionWatch(feed);
    let waits = 0;
    let release: (() => Promise<void>) | null = null;
    const versions = {
      follow: (c: string) => watch.follow(c),
      latest: (q: string) => watch.latest(q),
      dispose: () => watch.dispose(),
      next: (q: string, above: number, timeoutMs: number) => {
        waits++;
        const p = watch.next(q, above, timeoutMs);
        void release?.(); // another desk saves while we wait: the queue's next version
        return p;
      },
    };
    const service = new QueueService({
      repo,
      bus,
      clock,
      versions,
      // attempt 1 retries at once; any later blind pause would never end (the test would time out)
      retryDelayMs: (attempt) => (attempt === 1 ? 0 : 2 ** 31 - 1),
    });
    const other = new QueueService({ repo, bus, clock });
    expect((await service.addWalkIn(CLINIC, { patientName: 'First' })).ok).toBe(true);
    let interfere = 2; // two saves of ours lose
    repo.beforeSave = async () => {
      if (interfere === 0) return;
      interfere--;
      const hook = repo.beforeSave;
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: `Faster ${interfere}` })).ok).toBe(true);
      repo.beforeSave = hook;
    };
    release = async () => {
      release = null;
      const hook = repo.beforeSave;
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: 'While we wait' })).ok).toBe(true);
      repo.beforeSave = hook;
    };
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: null });
    expect(r.ok && r.value.attempts).toBe(3);
    expect(waits).toBe(1);
    watch.dispose();
  });
});

describe('QueueService retries: the turn order (issue 12, private.queue_turns)', () => {
  /** The repository's turn RPCs, scripted: each claim answers the next number of claims ahead (then 0). */
  const scriptTurns = (repo: object, ahead: number[]) => {
    const claims: string[] = [];
    const released: string[] = [];
    Object.assign(repo, {
      claimTurn: (_q: string, c: string) => {
        claims.push(c);
        return Promise.resolve(ok(ahead.shift() ?? 0));
      },
      releaseTurn: (_q: string, c: string) => {
        released.push(c);
        return Promise.resolve(ok(undefined));
      },
    });
    return { claims, released };
  };

  it('the first attempt and the first retry never claim: a command that loses once saves on its retry, no turn taken', async () => {
    const { repo, bus, clock } = queueFixture();
    const other = new QueueService({ repo, bus, clock });
    expect((await other.addWalkIn(CLINIC, { patientName: 'First' })).ok).toBe(true);
    const { claims, released } = scriptTurns(repo, []);
    repo.beforeSave = async () => {
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: 'Faster' })).ok).toBe(true);
    };
    const service = new QueueService({ repo, bus, clock, retryDelayMs: () => 0 });
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: null });
    expect(r.ok && r.value.attempts).toBe(2);
    expect(claims).toEqual([]);
    expect(released).toEqual([]);
  });

  it('after a second lost race it claims a turn and waits while claims are ahead, without spending save attempts', async () => {
    const { repo, bus, clock } = queueFixture();
    const other = new QueueService({ repo, bus, clock });
    expect((await other.addWalkIn(CLINIC, { patientName: 'First' })).ok).toBe(true);
    const { claims, released } = scriptTurns(repo, [2, 1, 0]);
    let lose = 2; // our first two saves lose to another desk
    repo.beforeSave = async () => {
      if (lose-- <= 0) return;
      const hook = repo.beforeSave;
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: `Faster ${lose}` })).ok).toBe(true);
      repo.beforeSave = hook;
    };
    // three attempts only: the three turn checks (2 ahead, 1 ahead, our turn) must not count as attempts
    const service = new QueueService({ repo, bus, clock, retryDelayMs: () => 0, maxAttempts: 3 });
    const id = '0b5e0000-0000-4000-8000-000000000001';
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: null }, { commandId: id });
    expect(r.ok && r.value.attempts).toBe(3);
    expect(claims).toEqual([id, id, id]);
    expect(released).toEqual([]); // served: the save ended the claim in the database
  });

  it('a command that ends without saving after claiming releases its claim (a refusal must not block the queue)', async () => {
    const { repo, bus, clock } = queueFixture();
    const other = new QueueService({ repo, bus, clock });
    const waiting: string[] = [];
    for (const name of ['One', 'Two']) {
      const added = await other.addWalkIn(CLINIC, { patientName: name });
      if (!added.ok) throw new Error(added.error.code);
      waiting.push(added.value.events.find((e) => e.type === 'WalkInAdded')?.entryId ?? '');
    }
    const { claims, released } = scriptTurns(repo, [0]);
    repo.beforeSave = async () => {
      // before each of our first two saves the other desk cancels one waiting patient: our third try
      // (our turn) finds nobody to call and is refused by the rules
      const entryId = waiting.shift();
      if (entryId === undefined) return;
      const hook = repo.beforeSave;
      repo.beforeSave = null;
      expect((await other.cancel(CLINIC, { entryId, reason: 'left' })).ok).toBe(true);
      repo.beforeSave = hook;
    };
    const service = new QueueService({ repo, bus, clock, retryDelayMs: () => 0 });
    const id = '0b5e0000-0000-4000-8000-000000000002';
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: null }, { commandId: id });
    expect(r.ok).toBe(false);
    expect(claims).toEqual([id]);
    expect(released).toEqual([id]);
  });

  it('serialize early: a command that starts just after its service lost a race on the queue claims its turn before its first attempt, and saves once', async () => {
    const { repo, bus, clock } = queueFixture();
    const other = new QueueService({ repo, bus, clock });
    for (const name of ['One', 'Two'])
      expect((await other.addWalkIn(CLINIC, { patientName: name })).ok).toBe(true);
    const { claims, released } = scriptTurns(repo, []);
    const service = new QueueService({ repo, bus, clock, retryDelayMs: () => 0 });
    repo.beforeSave = async () => {
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: 'Faster' })).ok).toBe(true);
    };
    const lost = await service.callNext(CLINIC, { practitionerId: DR_A, room: null });
    expect(lost.ok && lost.value.attempts).toBe(2); // one lost race, no claim (as before)
    expect(claims).toEqual([]);

    // the next command, at once: its claim comes before its first save (which a turn protects)
    const order: string[] = [];
    repo.beforeSave = () => {
      order.push(`save after ${claims.length} claim(s)`);
      return Promise.resolve();
    };
    const id = '0b5e0000-0000-4000-8000-000000000003';
    const next = await service.callNext(CLINIC, { practitionerId: DR_B, room: null }, { commandId: id });
    expect(next.ok && next.value.attempts).toBe(1);
    expect(claims).toEqual([id]);
    expect(order).toEqual(['save after 1 claim(s)']);
    expect(released).toEqual([]); // served

    // a minute later the queue is calm again: no claim, one load and one save
    clock.advanceMinutes(1);
    const calm = await service.addWalkIn(CLINIC, { patientName: 'Later' });
    expect(calm.ok && calm.value.attempts).toBe(1);
    expect(claims).toEqual([id]);
  });
});

describe('QueueService turns in one round trip (issue 12, lat12: claim_turn_and_load)', () => {
  /**
   * claimTurnAndLoad on the in-memory queue: the turn comes once the queue has reached `turnAt` (the saves of
   * the claims ahead); before that it answers how many versions are missing, and loads nothing.
   */
  const scriptOneTrip = (repo: ReturnType<typeof queueFixture>['repo'], turnAt: () => number) => {
    const checks: { ahead: number; loaded: boolean }[] = [];
    const load = repo.load.bind(repo);
    Object.assign(repo, {
      claimTurnAndLoad: async (
        _q: string,
        c: string,
        clinicId: string,
        day: string | null | undefined,
        scope: LoadScope,
      ) => {
        const r = await load(clinicId, day, c, scope);
        if (!r.ok) return r;
        const v = r.value.snapshot.queue.version;
        const ahead = Math.max(0, turnAt() - v);
        checks.push({ ahead, loaded: ahead === 0 });
        return ok({ ahead, seenVersion: v, loaded: ahead === 0 ? r.value : null });
      },
      releaseTurn: () => Promise.resolve(ok(undefined)),
    });
    return { checks };
  };

  it('with k claims ahead it checks once, sleeps until it hears the k saves ahead (not a poll per version), and its next check is its load', async () => {
    const { repo, bus, clock } = queueFixture();
    const other = new QueueService({ repo, bus, clock });
    expect((await other.addWalkIn(CLINIC, { patientName: 'First' })).ok).toBe(true);
    const watch = new FeedVersionWatch(new InMemoryQueueChangeFeed(repo));
    let ahead = 2; // two desks are ahead in line: each saves while we wait
    const versions = {
      follow: (c: string) => watch.follow(c),
      latest: (q: string) => watch.latest(q),
      dispose: () => watch.dispose(),
      next: (q: string, above: number, timeoutMs: number) => {
        const p = watch.next(q, above, timeoutMs);
        if (ahead > 0) {
          ahead--;
          const hook = repo.beforeSave;
          repo.beforeSave = null;
          void other.addWalkIn(CLINIC, { patientName: `Ahead ${ahead}` }).then((r) => {
            expect(r.ok).toBe(true);
            repo.beforeSave = hook;
          });
        }
        return p;
      },
    };
    let turnAt = Number.POSITIVE_INFINITY;
    const { checks } = scriptOneTrip(repo, () => turnAt);
    let lose = 2; // our first two saves lose a race: the third try takes a turn
    repo.beforeSave = async () => {
      if (lose-- <= 0) return;
      const hook = repo.beforeSave;
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: `Faster ${lose}` })).ok).toBe(true);
      repo.beforeSave = hook;
      if (lose === 0) {
        turnAt = (await currentVersion(repo)) + 2; // our claim will find two ahead
      }
    };
    // a blind pause would be endless (bounded only by the 2 s poll cap): the hand-off must wake it
    const service = new QueueService({
      repo,
      bus,
      clock,
      versions,
      retryDelayMs: (attempt) => (attempt === 1 ? 0 : 2 ** 31 - 1),
      maxAttempts: 3,
    });
    const id = '0b5e0000-0000-4000-8000-0000000000a1';
    const r = await service.callNext(CLINIC, { practitionerId: DR_A, room: null }, { commandId: id });
    expect(r.ok && r.value.attempts).toBe(3);
    // one check with two ahead (nothing loaded), then — after the two saves ahead were heard — the load
    expect(checks).toEqual([
      { ahead: 2, loaded: false },
      { ahead: 0, loaded: true },
    ]);
    watch.dispose();
  });

  it('a double call-next with one command id through the one-trip path calls one patient', async () => {
    const { repo, bus, clock } = queueFixture();
    const other = new QueueService({ repo, bus, clock });
    for (const name of ['One', 'Two'])
      expect((await other.addWalkIn(CLINIC, { patientName: name })).ok).toBe(true);
    const { checks } = scriptOneTrip(repo, () => 0);
    const service = new QueueService({ repo, bus, clock, retryDelayMs: () => 0 });
    // a lost race just before: the next commands serialize early (their first step is the one-trip check)
    repo.beforeSave = async () => {
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: 'Faster' })).ok).toBe(true);
    };
    expect((await service.addWalkIn(CLINIC, { patientName: 'Mine' })).ok).toBe(true);
    const id = '0b5e0000-0000-4000-8000-0000000000a2';
    const [a, b] = await Promise.all([
      service.callNext(CLINIC, { practitionerId: DR_A, room: null }, { commandId: id }),
      service.callNext(CLINIC, { practitionerId: DR_A, room: null }, { commandId: id }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect(checks.length).toBeGreaterThanOrEqual(2); // both went through claim_turn_and_load
    const st = await other.status(CLINIC);
    if (!st.ok) throw new Error(st.error.code);
    expect(st.value.entries.filter((e) => e.status === 'called')).toHaveLength(1);
  });
});

describe('QueueService: waiting behind claims keeps a queue contended (issue 12, lat12)', () => {
  it('a command that waited in line makes the next one line up at once, even when its lost race is older than the early-turn window', async () => {
    const { repo, bus, clock } = queueFixture();
    const other = new QueueService({ repo, bus, clock });
    for (const name of ['One', 'Two', 'Three'])
      expect((await other.addWalkIn(CLINIC, { patientName: name })).ok).toBe(true);
    const checks: number[] = [];
    let ahead = 1; // the first check finds one claim ahead; it is served while this one waits
    Object.assign(repo, {
      claimTurnAndLoad: async (
        _q: string,
        c: string,
        clinicId: string,
        day: string | null | undefined,
        scope: LoadScope,
      ) => {
        const r = await repo.load(clinicId, day, c, scope);
        if (!r.ok) return r;
        checks.push(ahead);
        const v = r.value.snapshot.queue.version;
        if (ahead > 0) {
          ahead--;
          clock.set(new Date(clock.now().getTime() + 5_000)); // a slow line: 5 s behind the claim ahead
          return ok({ ahead: 1, seenVersion: v, loaded: null });
        }
        return ok({ ahead: 0, seenVersion: v, loaded: r.value });
      },
      releaseTurn: () => Promise.resolve(ok(undefined)),
    });
    const service = new QueueService({ repo, bus, clock, retryDelayMs: () => 0 });
    let lose = 2; // two lost races: the command takes a turn
    repo.beforeSave = async () => {
      if (lose-- <= 0) return;
      const hook = repo.beforeSave;
      repo.beforeSave = null;
      expect((await other.addWalkIn(CLINIC, { patientName: `Faster ${lose}` })).ok).toBe(true);
      repo.beforeSave = hook;
    };
    const first = await service.callNext(CLINIC, { practitionerId: DR_A, room: null });
    expect(first.ok).toBe(true);
    expect(checks).toEqual([1, 0]);
    // the lost races were 5 s ago (> the 3 s early-turn window), but the command waited in line just now:
    // the next command's first step is a turn check, not a racing load
    const saves = repo.saves;
    const next = await service.callNext(CLINIC, { practitionerId: DR_B, room: null });
    expect(next.ok && next.value.attempts).toBe(1);
    expect(checks).toEqual([1, 0, 0]);
    expect(repo.saves).toBe(saves + 1);
  });
});

async function currentVersion(repo: ReturnType<typeof queueFixture>['repo']): Promise<number> {
  const r = await repo.load(CLINIC);
  if (!r.ok) throw new Error(r.error.code);
  return r.value.snapshot.queue.version;
}

describe('QueueService: a claim that ends without a save wakes the line (issue 12, session 14)', () => {
  /** Lets the in-memory services run: n turns of the event loop (a deadline counted in events, not in ms). */
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
  };

  it('the desk waiting behind a claim that is released checks again on the release, not when its bounded wait runs out', async () => {
    const { repo, bus, clock } = queueFixture();
    repo.enableTurns();
    const other = new QueueService({ repo, bus, clock });
    expect((await other.addWalkIn(CLINIC, { patientName: 'One' })).ok).toBe(true);
    const st = await other.status(CLINIC);
    if (!st.ok) throw new Error(st.error.code);
    const queueId = st.value.queue.id;
    const log: string[] = [];
    // the waiter's watch: a 0 ms pause runs, a longer wait (the bounded hand-off wait) never ends by itself
    const longWaits: number[] = [];
    const timers = {
      set: (f: () => void, ms: number) => {
        if (ms <= 0) queueMicrotask(f);
        else longWaits.push(ms);
        return null;
      },
      clear: () => {},
    };
    const watch = new FeedVersionWatch(new InMemoryQueueChangeFeed(repo), timers);
    const forward = repo.onTurnReleased;
    repo.onTurnReleased = (c) => {
      log.push(`released ${c.releases}`);
      forward?.(c);
    };
    const check = repo.claimTurnAndLoad!.bind(repo);
    repo.claimTurnAndLoad = async (...args) => {
      const r = await check(...args);
      log.push(r.ok ? `check ${r.value.ahead} ahead` : `check ${r.error.code}`);
      return r;
    };
    // another desk's command holds the turn at the current version (it has claimed and is deciding)
    const holder = '0b5e0000-0000-4000-8000-0000000000b1';
    expect(await repo.claimTurn!(queueId, holder)).toEqual(ok(0));
    const service = new QueueService({ repo, bus, clock, versions: watch, retryDelayMs: () => 0 });
    const waiter = '0b5e0000-0000-4000-8000-0000000000b2';
    const calling = service.callNext(CLINIC, { practitionerId: DR_A, room: null }, { commandId: waiter });
    // its two saves are refused (the turn is the holder's): it lines up and waits with one claim ahead
    await turns(50);
    expect(log).toEqual(['check 1 ahead']);
    expect(longWaits.length).toBeGreaterThan(0); // asleep on the bounded wait, which never fires here
    // the holder's command ends without saving (refused by the rules, or already applied): its claim is released
    expect((await repo.releaseTurn!(queueId, holder)).ok).toBe(true);
    const settled = await Promise.race([calling, turns(50).then(() => 'still asleep' as const)]);
    expect(log).toEqual(['check 1 ahead', 'released 1', 'check 0 ahead']);
    if (settled === 'still asleep') throw new Error('the release did not wake the waiter');
    expect(settled.ok && settled.value.events.map((e) => e.type)).toContain('PatientCalled');
    watch.dispose();
  });

  it('a release of someone else’s claim, or a second release, wakes nobody (only a claim that existed counts)', async () => {
    const { repo, bus, clock } = queueFixture();
    repo.enableTurns();
    const other = new QueueService({ repo, bus, clock });
    expect((await other.addWalkIn(CLINIC, { patientName: 'One' })).ok).toBe(true);
    const st = await other.status(CLINIC);
    if (!st.ok) throw new Error(st.error.code);
    const queueId = st.value.queue.id;
    const heard: number[] = [];
    repo.onTurnReleased = (c) => heard.push(c.releases);
    const mine = '0b5e0000-0000-4000-8000-0000000000b3';
    expect(await repo.claimTurn!(queueId, mine)).toEqual(ok(0));
    repo.actorId = 'user-b';
    expect((await repo.releaseTurn!(queueId, mine)).ok).toBe(true); // not user-b's claim: kept
    repo.actorId = 'user-a';
    expect((await repo.releaseTurn!(queueId, mine)).ok).toBe(true);
    expect((await repo.releaseTurn!(queueId, mine)).ok).toBe(true); // already gone
    expect(heard).toEqual([1]);
  });
});

describe('QueueService: a release wakes only the next in line (issue 12, session 15)', () => {
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
  };

  it('with 3 desks waiting behind a held turn, one release wakes one claimant; the others check only when their turn has come', async () => {
    const { repo, bus, clock } = queueFixture();
    repo.enableTurns();
    const other = new QueueService({ repo, bus, clock });
    expect((await other.addWalkIn(CLINIC, { patientName: 'One' })).ok).toBe(true);
    const st = await other.status(CLINIC);
    if (!st.ok) throw new Error(st.error.code);
    const queueId = st.value.queue.id;
    const log: string[] = [];
    // 0 ms pauses run; the bounded turn wait (the last resort) never ends by itself here
    const longWaits: number[] = [];
    const timers = {
      set: (f: () => void, ms: number) => {
        if (ms <= 0) queueMicrotask(f);
        else longWaits.push(ms);
        return null;
      },
      clear: () => {},
    };
    const watch = new FeedVersionWatch(new InMemoryQueueChangeFeed(repo), timers);
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
    // another desk's command holds the turn at the current version
    const holder = '0b5e0000-0000-4000-8000-0000000000c0';
    expect(await repo.claimTurn!(queueId, holder)).toEqual(ok(0));
    const desks = ['c1', 'c2', 'c3'].map((n) => ({
      id: `0b5e0000-0000-4000-8000-0000000000${n}`,
      service: new QueueService({ repo, bus, clock, versions: watch, retryDelayMs: () => 0 }),
    }));
    const running: Promise<unknown>[] = [];
    for (const [i, d] of desks.entries()) {
      running.push(d.service.addWalkIn(CLINIC, { patientName: `Walk-in ${i}` }, { commandId: d.id }));
      await turns(50); // each lines up behind the ones before it
    }
    expect(log).toEqual(['check c1 1 ahead', 'check c2 2 ahead', 'check c3 3 ahead']);
    // the holder's command ends without saving: its release names c1 as the next holder
    expect((await repo.releaseTurn!(queueId, holder)).ok).toBe(true);
    const settled = await Promise.race([
      Promise.all(running),
      turns(200).then(() => 'still asleep' as const),
    ]);
    if (settled === 'still asleep') throw new Error(`a desk was left asleep: ${log.join(' | ')}`);
    // one claimant per wake: c1 on the release; c2 on c1's save; c3 on c2's save — no "still waiting" answers
    expect(log.slice(3)).toEqual(['released 1', 'check c1 0 ahead', 'check c2 0 ahead', 'check c3 0 ahead']);
    for (const r of settled) expect((r as { ok: boolean }).ok).toBe(true);
    expect(await currentVersion(repo)).toBe(st.value.queue.version + 3);
    watch.dispose();
  });
});

describe("QueueService: a dead tab's turn ends at its lease, not at the next check that happens along (issue 12, session 15)", () => {
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
  };

  it('the waiter right behind a claim whose tab died waits until that lease ends (half-lifetime bounds in between) and its check there sweeps it and takes the turn', async () => {
    const { repo, bus, clock } = queueFixture();
    repo.enableTurns();
    const other = new QueueService({ repo, bus, clock });
    expect((await other.addWalkIn(CLINIC, { patientName: 'One' })).ok).toBe(true);
    const st = await other.status(CLINIC);
    if (!st.ok) throw new Error(st.error.code);
    const queueId = st.value.queue.id;
    // the bounded waits are recorded and ended by hand, after the manual clock has moved
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
      clear: () => {},
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
      log.push(r.ok ? `check ${r.value.ahead} ahead` : `check ${r.error.code}`);
      return r;
    };
    // a desk claims the turn and its tab dies: it never saves, never releases
    expect(await repo.claimTurn!(queueId, '0b5e0000-0000-4000-8000-0000000000d0')).toEqual(ok(0));
    const service = new QueueService({ repo, bus, clock, versions: watch, retryDelayMs: () => 0 });
    const calling = service.addWalkIn(
      CLINIC,
      { patientName: 'Two' },
      { commandId: '0b5e0000-0000-4000-8000-0000000000d1' },
    );
    await turns(50);
    expect(log).toEqual(['check 1 ahead']);
    // the dead lease has 10 s left: the waiter's bound is the half-lifetime last resort (5 s)
    expect(bounds.at(-1)).toBe(5_000);
    const fire = async (ms: number) => {
      clock.set(new Date(clock.now().getTime() + ms));
      pending.shift()?.f();
      await turns(50);
    };
    await fire(7_000); // a busy machine wakes it late
    expect(log).toEqual(['check 1 ahead', 'check 1 ahead']);
    // 3 s left on the dead lease: the next wait ends when it does (+ the margin), not at the 5 s bound
    expect(bounds.at(-1)).toBe(3_050);
    await fire(3_050);
    // that check sweeps the dead claim (counted: the line moves on) and is the waiter's turn
    expect(log).toEqual(['check 1 ahead', 'check 1 ahead', 'released 1', 'check 0 ahead']);
    const done = await calling;
    expect(done.ok).toBe(true);
    watch.dispose();
  });
});
