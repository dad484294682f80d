/**
 * Issue 12, session 17: a queue day's turn line is fair to a slow desk and tells a clinic nothing about others.
 *   * "a lapsed claim keeps its place" (20261216500001): a claim whose lease ran out is swept (it stops holding
 *     the queue, the line behind it wakes), but when the same command of the same staff member claims again it
 *     gets its old place back — ahead of every claim that arrived after it — instead of the back of the line.
 *   * "the line names claims by tokens of the queue day" (20261216500002): the line a release carries and the
 *     caller's `turn_seq` are per-claim tokens, not the arrival numbers of one sequence shared by every clinic:
 *     what a clinic's staff read is the same whether or not other clinics issued commands in between.
 * The database clock is pinned (private.pinned_clock); no wall clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DbError } from '../local/db/types';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { asActor, rpcSql, type Actor } from './helpers/sql';
import { ACTORS, ID, createWorld } from './helpers/world';

const cmd = (n: number) => `c7100000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

interface TurnAnswer {
  turn_ahead: number;
  turn_seq?: number;
  turn_releases?: number;
  turn_lease_ms?: number;
}

describe.each(DB_KINDS)('queue turn places on %s', (kind) => {
  let t: TestDb;
  let n = 0;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  }, 400_000); // PGlite's setup takes minutes on a busy machine
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(async () => {
    await t.db.exec(
      'delete from private.queue_turns; delete from private.queue_turn_lapses; delete from public.queue_turn_releases; delete from private.pinned_clock; update private.queue_turn_settings set lease_ms = 10000;',
    );
  });

  const call = async (actor: Actor, fn: string, args: Record<string, unknown>): Promise<unknown> => {
    try {
      return await asActor(t.db, actor, async (tx) => {
        const { sql, params } = rpcSql(fn, args);
        return (await tx.query<{ r: unknown }>(sql, params)).rows[0]?.r;
      });
    } catch (e) {
      const d = e as DbError;
      return `${d.code ?? ''} ${d.message}`;
    }
  };
  const claimLoad = async (command: string, actor: Actor = ACTORS.recepA): Promise<TurnAnswer> => {
    const r = await call(actor, 'claim_turn_and_load', {
      p_queue_id: ID.queueA,
      p_command_id: command,
      p_scope: 'active',
    });
    if (typeof r === 'string') throw new Error(r);
    return r as TurnAnswer;
  };
  const release = (command: string, actor: Actor = ACTORS.recepA, queueId: string = ID.queueA) =>
    call(actor, 'release_queue_turn', { p_queue_id: queueId, p_command_id: command });
  /** 09:00 UTC of queue A's day + `seconds` (get_queue serves days near the clinic's today). */
  const pinOnQueueDay = async (seconds = 0) => {
    await t.db.exec('delete from private.pinned_clock');
    await t.db.query(
      `insert into private.pinned_clock (at)
       select (q.day + time '09:00') at time zone 'UTC' + $2 * interval '1 second' from public.queues q where q.id = $1`,
      [ID.queueA, seconds],
    );
  };
  const claims = async () =>
    (
      await t.db.query<{ c: string }>(
        'select command_id as c from private.queue_turns where queue_id = $1 order by seq',
        [ID.queueA],
      )
    ).rows.map((r) => r.c);
  const line = async () =>
    (
      await t.db.query<{ line: (number | string)[] }>(
        'select line from public.queue_turn_releases where queue_id = $1',
        [ID.queueA],
      )
    ).rows.map((r) => r.line.map(Number))[0];

  it('a lapsed claim keeps its place: a slow desk swept after its lease claims again ahead of the claims that came after it', async () => {
    await pinOnQueueDay();
    const [head, slow, late] = [cmd(++n), cmd(++n), cmd(++n)];
    expect((await claimLoad(head, ACTORS.ownerA)).turn_ahead).toBe(0);
    await pinOnQueueDay(1);
    expect((await claimLoad(slow)).turn_ahead).toBe(1);
    await pinOnQueueDay(6);
    expect((await claimLoad(head, ACTORS.ownerA)).turn_ahead).toBe(0); // the head refreshes (lease to 16 s)
    expect((await claimLoad(late, ACTORS.ownerA)).turn_ahead).toBe(2); // behind the head and the slow desk
    // 11.5 s: the slow desk's lease (1 s + 10 s) ran out; the next check sweeps it and the line moves on
    await pinOnQueueDay(11.5);
    const swept = await claimLoad(late, ACTORS.ownerA);
    expect([swept.turn_ahead, swept.turn_releases]).toEqual([1, 1]);
    expect(await claims()).toEqual([head, late]);
    // the slow desk is alive and checks again: its old place, ahead of the later claim
    await pinOnQueueDay(12);
    expect((await claimLoad(slow)).turn_ahead).toBe(1);
    expect(await claims()).toEqual([head, slow, late]);
    expect((await claimLoad(late, ACTORS.ownerA)).turn_ahead).toBe(2);
    // the head ends without a save: the slow desk's turn, then the later claim's
    expect(await release(head, ACTORS.ownerA)).toBe('');
    expect((await claimLoad(slow)).turn_ahead).toBe(0);
    expect(await release(slow)).toBe('');
    expect((await claimLoad(late, ACTORS.ownerA)).turn_ahead).toBe(0);
  });

  it('a lapsed claim keeps its place only for its own claimant: another staff member sending its command id queues at the back', async () => {
    await pinOnQueueDay();
    const [slow, other] = [cmd(++n), cmd(++n)];
    expect((await claimLoad(slow)).turn_ahead).toBe(0);
    await pinOnQueueDay(5);
    expect((await claimLoad(other, ACTORS.ownerA)).turn_ahead).toBe(1);
    await pinOnQueueDay(10); // slow's lease ran out; other's did not
    expect((await claimLoad(other, ACTORS.ownerA)).turn_ahead).toBe(0);
    // the owner replays the slow desk's command id: a new claim at the back, not the remembered place
    expect((await claimLoad(slow, ACTORS.ownerA)).turn_ahead).toBe(1);
    expect(await claims()).toEqual([other, slow]);
  });

  it('a lapsed claim keeps its place for one more lease only: a command back later than that queues at the back', async () => {
    await pinOnQueueDay();
    const [gone, other] = [cmd(++n), cmd(++n)];
    expect((await claimLoad(gone)).turn_ahead).toBe(0);
    await pinOnQueueDay(5);
    expect((await claimLoad(other, ACTORS.ownerA)).turn_ahead).toBe(1);
    await pinOnQueueDay(10); // gone's lease ended: swept by other's check
    expect((await claimLoad(other, ACTORS.ownerA)).turn_ahead).toBe(0);
    await pinOnQueueDay(15);
    expect((await claimLoad(other, ACTORS.ownerA)).turn_ahead).toBe(0);
    await pinOnQueueDay(20.5); // one lease after gone's lease ended: its place is forgotten
    expect((await claimLoad(gone)).turn_ahead).toBe(1);
    expect(await claims()).toEqual([other, gone]);
  });

  it("the line names claims by tokens of the queue day: another clinic's traffic changes nothing a clinic's staff can read", async () => {
    const [first, second] = [cmd(++n), cmd(++n)];
    /** What clinic A's desk reads of its own line: its answers' turn_seq and the release's line. */
    const aSees = async () => {
      await pinOnQueueDay();
      const a = await claimLoad(first);
      const b = await claimLoad(second);
      expect([a.turn_ahead, b.turn_ahead]).toEqual([0, 1]);
      expect(await release(first)).toBe('');
      const seen = { first: a.turn_seq, second: b.turn_seq, line: await line() };
      expect(await release(second)).toBe('');
      await t.db.exec('delete from private.queue_turns; delete from public.queue_turn_releases;');
      return seen;
    };
    const before = await aSees();
    expect(before.line).toEqual([before.second]);
    expect(Number.isSafeInteger(before.first)).toBe(true);
    // clinic B's desk issues commands that claim turns (and end) in between
    for (let i = 0; i < 25; i++) {
      const c = cmd(++n);
      expect(await call(ACTORS.ownerB, 'claim_queue_turn', { p_queue_id: ID.queueB, p_command_id: c })).toBe(
        0,
      );
      expect(await release(c, ACTORS.ownerB, ID.queueB)).toBe('');
    }
    expect(await aSees()).toEqual(before);
  });

  it('a lapsed claim that comes back changes the line, and the change is broadcast like a release (session 18)', async () => {
    await pinOnQueueDay();
    const [head, slow, late] = [cmd(++n), cmd(++n), cmd(++n)];
    const seqOf = new Map<string, number>();
    const note = (c: string, a: TurnAnswer) => seqOf.set(c, Number(a.turn_seq));
    note(head, await claimLoad(head, ACTORS.ownerA));
    await pinOnQueueDay(1);
    note(slow, await claimLoad(slow));
    await pinOnQueueDay(6);
    expect((await claimLoad(head, ACTORS.ownerA)).turn_ahead).toBe(0);
    note(late, await claimLoad(late, ACTORS.ownerA));
    // 11.5 s: the slow desk's claim is swept — a release, whose line leaves it out
    await pinOnQueueDay(11.5);
    expect((await claimLoad(late, ACTORS.ownerA)).turn_ahead).toBe(1);
    const releasesRow = async () =>
      (
        await t.db.query<{ releases: number; line: (number | string)[]; line_version: number }>(
          'select releases, line, line_version from public.queue_turn_releases where queue_id = $1',
          [ID.queueA],
        )
      ).rows[0];
    const swept = await releasesRow();
    expect([swept?.releases, swept?.line.map(Number)]).toEqual([1, [seqOf.get(head), seqOf.get(late)]]);
    // 12 s: it is back at its place — one more change of the line, which now names it between the two
    await pinOnQueueDay(12);
    const back = await claimLoad(slow);
    expect([back.turn_ahead, back.turn_releases]).toEqual([1, 1]); // the count it saw, before its own return
    const after = await releasesRow();
    expect([after?.releases, after?.line.map(Number), after?.line_version]).toEqual([
      2,
      [seqOf.get(head), seqOf.get(slow), seqOf.get(late)],
      swept?.line_version,
    ]);
    // a plain refresh of a live claim (no lapse) changes nothing
    expect((await claimLoad(slow)).turn_ahead).toBe(1);
    expect((await releasesRow())?.releases).toBe(2);
    // the legacy claim (claim_queue_turn alone) broadcasts a return too
    await pinOnQueueDay(24); // every lease ran out: the next check sweeps all three (a release of 3)
    const fresh = cmd(++n);
    const freshAnswer = await claimLoad(fresh, ACTORS.ownerA);
    note(fresh, freshAnswer);
    expect(freshAnswer.turn_ahead).toBe(0);
    expect((await releasesRow())?.releases).toBe(5);
    expect(await call(ACTORS.recepA, 'claim_queue_turn', { p_queue_id: ID.queueA, p_command_id: slow })).toBe(
      0,
    );
    expect((await releasesRow())?.line.map(Number)).toEqual([seqOf.get(slow), seqOf.get(fresh)]);
    expect((await releasesRow())?.releases).toBe(6);
  });

  it("the lease is the database's: a turn check answers it, and a changed lease is the claims' lifetime (session 18)", async () => {
    await pinOnQueueDay();
    const [first, second] = [cmd(++n), cmd(++n)];
    const a = await claimLoad(first);
    expect([a.turn_ahead, a.turn_lease_ms]).toEqual([0, 10000]);
    expect(await release(first)).toBe('');
    // an operator shortens the lease: every answer says so, and claims live that long
    await t.db.exec('update private.queue_turn_settings set lease_ms = 4000');
    const b = await claimLoad(first);
    expect([b.turn_ahead, b.turn_lease_ms]).toEqual([0, 4000]);
    const c = await claimLoad(second, ACTORS.ownerA);
    expect([c.turn_ahead, c.turn_lease_ms]).toEqual([1, 4000]);
    await pinOnQueueDay(3.5);
    expect((await claimLoad(second, ACTORS.ownerA)).turn_ahead).toBe(1); // first's lease (4 s) still runs
    await pinOnQueueDay(4.5);
    expect((await claimLoad(second, ACTORS.ownerA)).turn_ahead).toBe(0); // swept at 4 s, not at 10 s
    // its place is kept for one more (4 s) lease only: back at 8.5 s it queues behind the later claim
    await pinOnQueueDay(7);
    expect((await claimLoad(second, ACTORS.ownerA)).turn_ahead).toBe(0);
    await pinOnQueueDay(8.5);
    expect((await claimLoad(first)).turn_ahead).toBe(1);
    // a lease outside 2–120 s is refused by the table
    await expect(t.db.exec('update private.queue_turn_settings set lease_ms = 500')).rejects.toThrow();
    await expect(
      t.db.exec('insert into private.queue_turn_settings (singleton, lease_ms) values (false, 9000)'),
    ).rejects.toThrow();
  });
});
