// A turn claim that ends without a save wakes the commands waiting behind it, over real Realtime (issue 12,
// session 14, 20261212100001). Real supabase-js → local stack → the real migrations, on PGlite and PostgreSQL.
// Before: release_queue_turn only deleted the claim; a waiter slept until it heard version v + k, which never
// came, so it woke only when its bounded wait ran out (≤ 2 s: the storm's p95 tail).
// Ordering, not time: the outsider's "heard nothing" is read after a later change it can see has arrived
// (Realtime delivers in commit order), and every wait is effectively unbounded (the test's own timeout).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupabaseQueueRepository } from '../../src/services/queue/repositories/SupabaseQueueRepository';
import { SupabaseQueueChangeFeed } from '../../src/services/queue/repositories/SupabaseQueueChangeFeed';
import { FeedVersionWatch } from '../../src/services/queue/repositories/QueueVersionWatch';
import type { LoadScope } from '../../src/services/queue/repositories/QueueRepository';
import type {
  QueueChangeFeed,
  TurnReleaseChange,
} from '../../src/services/queue/repositories/QueueChangeFeed';
import { saveWalkIn } from '../fixtures/stackWalkIns';
import { startAppStack, type AppStack, type Kind } from './appStack';
import { middayZone } from './queueStackKit';

const ACTIVE: LoadScope = { kind: 'active', entryIds: [] };
const FOREVER = 2 ** 31 - 1;

/** A feed whose every subscription reports when its channel is joined (changes before that are not heard). */
const joinedFeed = (inner: QueueChangeFeed, joins: Promise<void>[]): QueueChangeFeed => ({
  subscribe: (clinicId, handlers) => {
    let joined!: () => void;
    joins.push(new Promise<void>((r) => (joined = r)));
    return inner.subscribe(clinicId, {
      ...handlers,
      onStatus: (status) => {
        if (status === 'subscribed') joined();
        handlers.onStatus?.(status);
      },
    });
  },
});

describe.each(['pglite', 'postgres'] as Kind[])('a released turn claim over Realtime on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('the waiter behind hears the release above the count its check answered; another clinic’s staff hear nothing', async () => {
    const owner = await app.newClinic('turnrel');
    const outsider = await app.newClinic('turnrel-other');
    const zone = middayZone(); // about noon in the clinics' zone: their day cannot roll over mid-test
    for (const c of [owner, outsider])
      await app.db.query('update public.clinics set time_zone = $2 where id = $1', [c.clinicId, zone]);
    const [amina, youssef] = await app.addPatients(owner.clinicId, ['Amina Bennani', 'Youssef Kabbaj']);
    const [other1, other2, other3] = await app.addPatients(outsider.clinicId, [
      'Salma Idrissi',
      'Omar Tazi',
      'Nadia Alami',
    ]);
    if (!amina || !youssef || !other1 || !other2 || !other3) throw new Error('fixture patients');
    const desk = new SupabaseQueueRepository(owner.client);
    const outsiderDesk = new SupabaseQueueRepository(outsider.client);
    await saveWalkIn(desk, owner.clinicId, owner.userId, amina);
    await saveWalkIn(outsiderDesk, outsider.clinicId, outsider.userId, other1);
    const held = await desk.load(owner.clinicId, null, null, ACTIVE);
    if (!held.ok) throw new Error(held.error.code);
    const queueId = held.value.snapshot.queue.id;
    const outsiderLoad = await outsiderDesk.load(outsider.clinicId, null, null, ACTIVE);
    if (!outsiderLoad.ok) throw new Error(outsiderLoad.error.code);
    const outsiderQueue = outsiderLoad.value.snapshot.queue.id;

    // the waiter's watch (as the app composes it), and an outsider listening to both clinics
    const joins: Promise<void>[] = [];
    const watch = new FeedVersionWatch(joinedFeed(new SupabaseQueueChangeFeed(owner.client), joins));
    watch.follow(owner.clinicId);
    const overheard: TurnReleaseChange[] = [];
    const outsiderFeed = joinedFeed(new SupabaseQueueChangeFeed(outsider.client), joins);
    const outsiderWatch = new FeedVersionWatch(outsiderFeed);
    outsiderWatch.follow(outsider.clinicId);
    const stopSpy = outsiderFeed.subscribe(owner.clinicId, {
      onChange: () => {},
      onTurnReleased: (c) => overheard.push(c),
    });
    // every channel joined (a change made before its join would never be heard), then each hears its own clinic
    await Promise.all(joins);
    expect(joins).toHaveLength(3);
    const v0 = held.value.snapshot.queue.version;
    const heard = watch.next(queueId, v0, FOREVER);
    const outsiderV0 = outsiderLoad.value.snapshot.queue.version;
    const outsiderHeard = outsiderWatch.next(outsiderQueue, outsiderV0, FOREVER);
    await saveWalkIn(desk, owner.clinicId, owner.userId, youssef);
    await saveWalkIn(outsiderDesk, outsider.clinicId, outsider.userId, other2);
    expect(await heard).toBe(v0 + 1);
    expect(await outsiderHeard).toBe(outsiderV0 + 1);

    // one desk's command holds the turn; the waiter's check finds it ahead and the count of releases so far
    const [head, behind] = [globalThis.crypto.randomUUID(), globalThis.crypto.randomUUID()];
    const mine = await desk.claimTurnAndLoad(queueId, head, owner.clinicId, null, ACTIVE);
    expect(mine.ok && mine.value.ahead).toBe(0);
    const check = await desk.claimTurnAndLoad(queueId, behind, owner.clinicId, null, ACTIVE);
    if (!check.ok) throw new Error(check.error.code);
    expect([check.value.ahead, check.value.releases]).toEqual([1, 0]);
    const woke = watch.nextTurnSignal(queueId, check.value.seenVersion, check.value.releases!, FOREVER);

    // the head's command ends without saving (refused by the rules): its release wakes the waiter, and no
    // version ever moved (before, that is what the waiter slept on)
    const released = await desk.releaseTurn(queueId, head);
    expect(released.ok).toBe(true);
    expect(await woke).toEqual({ kind: 'released', releases: 1 });
    expect(watch.latest(queueId)).toBe(v0 + 1);
    const next = await desk.claimTurnAndLoad(queueId, behind, owner.clinicId, null, ACTIVE);
    expect(next.ok && [next.value.ahead, next.value.releases]).toEqual([0, 1]);
    expect((await desk.releaseTurn(queueId, behind)).ok).toBe(true);

    // the outsider: a later change of its own clinic has arrived, so the releases before it would have too
    const outsiderNext = outsiderWatch.next(outsiderQueue, outsiderV0 + 1, FOREVER);
    await saveWalkIn(outsiderDesk, outsider.clinicId, outsider.userId, other3);
    expect(await outsiderNext).toBe(outsiderV0 + 2);
    expect(overheard).toEqual([]);
    stopSpy();
    watch.dispose();
    outsiderWatch.dispose();
  });

  it('with 3 waiters behind the turn, one release wakes one (the next in line); the others re-aim at the version their turn comes at (session 15)', async () => {
    const owner = await app.newClinic('turnline');
    await app.db.query('update public.clinics set time_zone = $2 where id = $1', [
      owner.clinicId,
      middayZone(),
    ]);
    const [amina] = await app.addPatients(owner.clinicId, ['Amina Bennani']);
    if (!amina) throw new Error('fixture patient');
    const desk = new SupabaseQueueRepository(owner.client);
    await saveWalkIn(desk, owner.clinicId, owner.userId, amina);
    const held = await desk.load(owner.clinicId, null, null, ACTIVE);
    if (!held.ok) throw new Error(held.error.code);
    const queueId = held.value.snapshot.queue.id;
    const joins: Promise<void>[] = [];
    const watch = new FeedVersionWatch(joinedFeed(new SupabaseQueueChangeFeed(owner.client), joins));
    watch.follow(owner.clinicId);
    await Promise.all(joins);

    const [head, ...waiters] = Array.from({ length: 4 }, () => globalThis.crypto.randomUUID());
    expect((await desk.claimTurnAndLoad(queueId, head!, owner.clinicId, null, ACTIVE)).ok).toBe(true);
    const checks = [];
    for (const w of waiters) {
      const c = await desk.claimTurnAndLoad(queueId, w, owner.clinicId, null, ACTIVE);
      if (!c.ok) throw new Error(c.error.code);
      checks.push(c.value);
    }
    expect(checks.map((c) => c.ahead)).toEqual([1, 2, 3]);
    expect(checks.every((c) => typeof c.seq === 'number')).toBe(true);
    const v = checks[0]!.seenVersion;
    const signals = checks.map((c) =>
      watch.nextTurnSignal(queueId, c.seenVersion, c.releases!, FOREVER, c.seq),
    );
    expect((await desk.releaseTurn(queueId, head!)).ok).toBe(true);
    // exactly one waiter is woken to check (the next in line); the others learn when their turn comes
    expect(await Promise.all(signals)).toEqual([
      { kind: 'released', releases: 1 },
      { kind: 'moved', releases: 1, target: v + 1 },
      { kind: 'moved', releases: 1, target: v + 2 },
    ]);
    // the named one's check is its turn; no version moved
    const first = await desk.claimTurnAndLoad(queueId, waiters[0]!, owner.clinicId, null, ACTIVE);
    expect(first.ok && first.value.ahead).toBe(0);
    expect(first.ok && first.value.seenVersion).toBe(v);
    for (const w of waiters) expect((await desk.releaseTurn(queueId, w)).ok).toBe(true);
    watch.dispose();
  });

  it('a lapsed claim that comes back is heard like a release: the waiter behind re-aims at the version its turn now comes at (session 18)', async () => {
    const owner = await app.newClinic('turnback');
    await app.db.query('update public.clinics set time_zone = $2 where id = $1', [
      owner.clinicId,
      middayZone(),
    ]);
    const [amina] = await app.addPatients(owner.clinicId, ['Amina Bennani']);
    if (!amina) throw new Error('fixture patient');
    const desk = new SupabaseQueueRepository(owner.client);
    await saveWalkIn(desk, owner.clinicId, owner.userId, amina);
    const held = await desk.load(owner.clinicId, null, null, ACTIVE);
    if (!held.ok) throw new Error(held.error.code);
    const queueId = held.value.snapshot.queue.id;
    const joins: Promise<void>[] = [];
    const watch = new FeedVersionWatch(joinedFeed(new SupabaseQueueChangeFeed(owner.client), joins));
    watch.follow(owner.clinicId);
    await Promise.all(joins);
    // private.now() pinned `seconds` ahead of the real clock: leases are judged by it
    const shift = async (seconds: number) => {
      await app.db.query('delete from private.pinned_clock');
      if (seconds !== 0)
        await app.db.query(
          `insert into private.pinned_clock (at) values (now() + $1 * interval '1 second')`,
          [seconds],
        );
    };
    const uuid = (): string => globalThis.crypto.randomUUID();
    const [head, slow, late] = [uuid(), uuid(), uuid()];
    const check = async (command: string) => {
      const c = await desk.claimTurnAndLoad(queueId, command, owner.clinicId, null, ACTIVE);
      if (!c.ok) throw new Error(c.error.code);
      return c.value;
    };
    try {
      expect((await check(head)).ahead).toBe(0);
      expect((await check(slow)).ahead).toBe(1);
      await shift(6);
      expect((await check(head)).ahead).toBe(0);
      expect((await check(late)).ahead).toBe(2);
      // the slow desk's lease ran out: the head's check sweeps it (release 1, a line without it)
      await shift(11);
      expect((await check(head)).ahead).toBe(0);
      const waiting = await check(late);
      expect([waiting.ahead, waiting.releases]).toEqual([1, 1]);
      const v = waiting.seenVersion;
      const signal = watch.nextTurnSignal(queueId, v, waiting.releases!, FOREVER, waiting.seq);
      // the slow desk is alive and checks again: back between the head and the waiter, and the line says so
      await shift(12);
      expect((await check(slow)).ahead).toBe(1);
      // the head's command then ends without saving (a later release: the waiter would hear that one at the latest)
      expect((await desk.releaseTurn(queueId, head)).ok).toBe(true);
      expect(await signal).toEqual({ kind: 'moved', releases: 2, target: v + 2 });
    } finally {
      await shift(0);
      for (const c of [head, slow, late]) await desk.releaseTurn(queueId, c);
      watch.dispose();
    }
  });
});
