/**
 * Issue 12, review of session 15 (20261214100002_release_turn_lock_order.sql): a claim and a release of the SAME
 * command at once must not deadlock.
 *
 * claim_turn_and_load sweeps expired claims, counts them (locks the release counter) and then refreshes the
 * caller's own claim; release_queue_turn deleted that claim and locked the counter after. The interleaving is
 * forced: a stand-in transaction holds the counter row; the claim (which has a closed tab's expired claim to
 * sweep) is started and seen waiting for it; the release is started and seen waiting; then the stand-in commits.
 * With the old release the claim got the counter and waited for the claim row the release had deleted while the
 * release waited for the counter: PostgreSQL aborted one (40P01). Now the release waits on the queue row (the
 * claim holds it FOR SHARE) before touching the claim: the claim answers, then the release ends its claim.
 * PostgreSQL only: PGlite runs one transaction at a time. The database clock is pinned (10:00 of the world's day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbError } from '../local/db/types';
import { type TestDb } from './helpers/testDb';
import { becomeActor } from './helpers/sql';
import { ACTORS, ID, U } from './helpers/world';
import { openPinnedWorld } from './helpers/pinnedWorld';

const COMMAND = 'c7000000-0000-4000-8000-0000000000c1';

describe('a turn claim and the release of the same command at once, on postgres', () => {
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

  it('release_queue_turn takes the queue row before the claim: no deadlock with a claim of the same command that counts a sweep', async () => {
    // the receptionist's live claim of COMMAND, a closed tab's claim a minute past its lease, the counter row
    await t.db.query(
      `insert into private.queue_turns (queue_id, command_id, actor_id, seen_version, expires_at)
       select q.id, $2, $3, q.version, private.now() + interval '5 seconds' from public.queues q where q.id = $1`,
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
    const releasesBefore = (
      await t.db.query<{ n: number }>(
        'select releases as n from public.queue_turn_releases where queue_id = $1',
        [ID.queueA],
      )
    ).rows[0]!.n;

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

    // the claim: sweeps the expired claim, then waits for the counter (before it refreshes COMMAND's claim)
    let claimPid = 0;
    const claim = t.db
      .transaction(async (tx) => {
        claimPid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
        await becomeActor(tx, ACTORS.recepA);
        const r = await tx.query<{ r: { turn_ahead: number } }>(
          'select public.claim_turn_and_load($1::uuid, $2::uuid) as r',
          [ID.queueA, COMMAND],
        );
        return `ok ${r.rows[0]?.r.turn_ahead}`;
      })
      .catch(outcome);
    expect(await waitsForLock(() => claimPid)).toBe(true);

    // the release of the same command: old function — deletes the claim, waits for the counter
    let releasePid = 0;
    const release = t.db
      .transaction(async (tx) => {
        releasePid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
        await becomeActor(tx, ACTORS.recepA);
        await tx.query('select public.release_queue_turn($1::uuid, $2::uuid)', [ID.queueA, COMMAND]);
        return 'ok';
      })
      .catch(outcome);
    expect(await waitsForLock(() => releasePid)).toBe(true);

    open();
    await standIn;
    // the claim took its turn (the closed tab's claim swept, nobody ahead), then the release ended the claim
    expect(await claim).toBe('ok 0');
    expect(await release).toBe('ok');
    const left = await t.db.query<{ n: number }>(
      'select count(*)::int as n from private.queue_turns where queue_id = $1',
      [ID.queueA],
    );
    expect(left.rows[0]?.n).toBe(0);
    // counted twice: the swept claim (by the claim) and the released one (by the release)
    const after = await t.db.query<{ n: number }>(
      'select releases as n from public.queue_turn_releases where queue_id = $1',
      [ID.queueA],
    );
    expect(after.rows[0]?.n).toBe(releasesBefore + 2);
  });
});
