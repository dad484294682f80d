/**
 * Issue 12, review of session 14 (20261213900003_claim_turn_lock_order.sql): a desk's turn claim and another
 * desk's save must not deadlock over a closed tab's expired claim.
 *
 * save_queue_step locks the queue row FOR UPDATE first and sweeps expired claims at its end; claim_turn_and_load
 * swept the same expired claims first and took the queue row (FOR SHARE) after. The interleaving is forced, not
 * hoped for: a transaction standing in for the save holds the queue row; the claim is started and seen waiting
 * for a lock; then the "save" sweeps the expired claim and commits. With the old order the claim already held
 * the expired claim's row: each waited for the other and PostgreSQL aborted one (40P01). Now the claim waits on
 * the queue row before touching any claim, the save goes through, and the claim then answers.
 * PostgreSQL only: PGlite runs one transaction at a time, so no two of them can wait on each other there.
 * The database clock is pinned (10:00 of the world's day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError } from '../local/db/types';
import { type TestDb } from './helpers/testDb';
import { becomeActor } from './helpers/sql';
import { ACTORS, ID, U } from './helpers/world';
import { openPinnedWorld } from './helpers/pinnedWorld';

describe('a turn claim beside a save, with a closed tab’s expired claim, on postgres', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld('postgres', '10:00', { poolSize: 4 });
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

  it('claim_turn_and_load takes the queue row before it sweeps expired claims: no deadlock with a save that sweeps them', async () => {
    // a closed tab's claim, a minute past its lease
    await t.db.query(
      `insert into private.queue_turns (queue_id, command_id, actor_id, seen_version, expires_at)
       select q.id, gen_random_uuid(), $2, q.version, private.now() - interval '1 minute'
         from public.queues q where q.id = $1`,
      [ID.queueA, U.recepA],
    );
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    // the save: queue row first, then (once the claim waits) the sweep of expired claims, then commit
    const save = t.db
      .transaction(async (tx) => {
        await tx.query('select 1 from public.queues where id = $1 for update', [ID.queueA]);
        held();
        await gate;
        const swept = await tx.query<{ n: number }>(
          `with d as (delete from private.queue_turns t
                       where t.queue_id = $1 and t.expires_at <= private.now() returning 1)
           select count(*)::int as n from d`,
          [ID.queueA],
        );
        return `ok ${swept.rows[0]?.n}`;
      })
      .catch((e: DbError) => `${e.code ?? ''} ${e.message ?? ''}`.trim());
    await holding;
    let claimPid = 0;
    const claim = t.db
      .transaction(async (tx) => {
        claimPid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
        await becomeActor(tx, ACTORS.recepA);
        const r = await tx.query<{ r: { turn_ahead: number } }>(
          'select public.claim_turn_and_load($1::uuid, gen_random_uuid()) as r',
          [ID.queueA],
        );
        return `ok ${r.rows[0]?.r.turn_ahead}`;
      })
      .catch((e: DbError) => `${e.code ?? ''} ${e.message ?? ''}`.trim());
    expect(await waitsForLock(() => claimPid)).toBe(true);
    release();
    // the save swept the closed tab's claim (the claim had not touched it), and the claim then took its turn
    expect(await save).toBe('ok 1');
    expect(await claim).toBe('ok 0');
    const left = await t.db.query<{ n: number }>(
      `select count(*)::int as n from private.queue_turns where queue_id = $1 and expires_at <= private.now()`,
      [ID.queueA],
    );
    expect(left.rows[0]?.n).toBe(0);
  });
});
