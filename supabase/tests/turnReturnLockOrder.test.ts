/**
 * Issue 12, session 18 (20261217400001): a lapsed claim's return writes the release counter, so it must take the
 * counter in the same order as every check that writes it — queue row → release counter → claims / lapses.
 *
 * The interleaving is forced: a stand-in transaction holds the counter row; a check of COMMAND that has a closed
 * tab's expired claim to sweep (claim_turn_and_load) is started and seen waiting for it; a second claim of the
 * same COMMAND (claim_queue_turn: a retry whose answer was lost), which has COMMAND's lapse to take back, is
 * started and seen waiting; then the stand-in commits. Had the return deleted the lapse first and locked the
 * counter after, the check (holding the counter after its sweep) would wait for that lapse row while the return
 * waited for the counter: PostgreSQL would abort one (40P01). Now both wait for the counter before touching a
 * lapse: the check takes the place back, the retry then refreshes the same claim.
 * PostgreSQL only: PGlite runs one transaction at a time. The database clock is pinned (10:00 of the world's day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError } from '../local/db/types';
import { type TestDb } from './helpers/testDb';
import { becomeActor } from './helpers/sql';
import { ACTORS, ID, U } from './helpers/world';
import { openPinnedWorld } from './helpers/pinnedWorld';

const COMMAND = 'c7000000-0000-4000-8000-0000000000d1';

describe('a lapsed claim coming back while a check of the same command sweeps, on postgres', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld('postgres', '10:00', { poolSize: 5 });
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  /** Polls pg_stat_activity until backend `pid` waits for a lock (bounded; no fixed sleep decides anything). */
  const waitsForLock = async (pid: () => number): Promise<boolean> => {
    for (let i = 0; i < 3_000; i++) {
      const p = pid();
      if (p) {
        const { rows } = await t.db.query<{ w: string | null }>(
          'select wait_event_type as w from pg_stat_activity where pid = $1',
          [p],
        );
        if (rows[0]?.w === 'Lock') return true;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  };
  const outcome = (e: DbError) => `${e.code ?? ''} ${e.message ?? ''}`.trim();

  it('the return takes the release counter before the lapse: no deadlock with a check of the same command that counts a sweep', async () => {
    // COMMAND's claim lapsed 2 s ago (its place remembered), a closed tab's claim is a minute past its lease
    await t.db.query(
      `insert into private.queue_turn_lapses (queue_id, command_id, actor_id, seq, expired_at)
       values ($1, $2, $3, 1, private.now() - interval '2 seconds')`,
      [ID.queueA, COMMAND, U.recepA],
    );
    await t.db.query(
      `insert into private.queue_turns (queue_id, command_id, actor_id, seen_version, expires_at)
       select q.id, gen_random_uuid(), $2, q.version, private.now() - interval '1 minute'
         from public.queues q where q.id = $1`,
      [ID.queueA, U.practA],
    );
    await t.db.query(
      `insert into public.queue_turn_releases (queue_id, clinic_id, releases)
       select q.id, q.clinic_id, 0 from public.queues q where q.id = $1 on conflict (queue_id) do nothing`,
      [ID.queueA],
    );
    const count = async () =>
      (
        await t.db.query<{ n: number }>(
          'select releases as n from public.queue_turn_releases where queue_id = $1',
          [ID.queueA],
        )
      ).rows[0]!.n;
    const before = await count();

    // the stand-in: holds the release counter until both calls wait
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const standIn = t.db.transaction(async (tx) => {
      await tx.query('select 1 from public.queue_turn_releases where queue_id = $1 for update', [ID.queueA]);
      held();
      await gate;
    });
    await holding;

    const start = (sql: string, pid: (p: number) => void) =>
      t.db
        .transaction(async (tx) => {
          pid((await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0);
          await becomeActor(tx, ACTORS.recepA);
          const r = await tx.query<{ r: unknown }>(sql, [ID.queueA, COMMAND]);
          const v = r.rows[0]?.r;
          return `ok ${typeof v === 'number' ? v : (v as { turn_ahead: number }).turn_ahead}`;
        })
        .catch(outcome);
    // the check: has the closed tab's claim to sweep, so it waits for the counter
    let checkPid = 0;
    const check = start('select public.claim_turn_and_load($1::uuid, $2::uuid) as r', (p) => (checkPid = p));
    expect(await waitsForLock(() => checkPid)).toBe(true);
    // the same command's retry: has its lapse to take back, so it waits for the counter too
    let retryPid = 0;
    const retry = start('select public.claim_queue_turn($1::uuid, $2::uuid) as r', (p) => (retryPid = p));
    expect(await waitsForLock(() => retryPid)).toBe(true);

    open();
    await standIn;
    // both answer: the check swept the closed tab's claim and took COMMAND's place back (nobody ahead); the retry
    // refreshed that same claim
    expect([await check, await retry]).toEqual(['ok 0', 'ok 0']);
    const claims = await t.db.query<{ c: string; seq: string }>(
      'select command_id as c, seq::text as seq from private.queue_turns where queue_id = $1',
      [ID.queueA],
    );
    expect(claims.rows).toEqual([{ c: COMMAND, seq: '1' }]);
    // counted twice: the swept claim and the return
    expect(await count()).toBe(before + 2);
  });
});
