/**
 * Issue 12, storm21 (20261221200001_claim_answers_once.sql): a contended command's turn check asks each of its
 * checks once. claim_turn_and_load used to check the caller, then claim through public.claim_queue_turn (which
 * checked again) and load through public.get_queue (which checked a third time, re-parsed the day, upserted the
 * existing queue row and swept grace again) — all while holding the queue row that the next save waits for.
 * Counted, not timed: the calls of private.require_staff in one claim (pg_stat_xact_user_functions). What the
 * claim answers is get_queue's active answer, whole and as a delta (the two share one builder now); a malformed
 * scope is refused before anything is claimed, also behind another desk's claim (it used to claim there).
 * The two builders of the load's entries are PL/pgSQL (as `language sql` with a pinned search_path they were
 * planned again on every call).
 * The database clock is pinned (10:00 of the world's day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, type TestDb } from './helpers/testDb';
import { ACTORS, ID, U } from './helpers/world';
import { as, openPinnedWorld, refused, rolledBack } from './helpers/pinnedWorld';

type Answer = Record<string, unknown>;
const TURN_KEYS = [
  'turn_ahead',
  'seen_version',
  'turn_releases',
  'turn_seq',
  'turn_head_ms',
  'turn_lease_ms',
];
const withoutTurn = (a: Answer): Answer =>
  Object.fromEntries(Object.entries(a).filter(([k]) => !TURN_KEYS.includes(k)));

describe.each(DB_KINDS)('a turn check asks each check once, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openPinnedWorld(kind, '10:00');
  }, 600_000);
  afterAll(async () => {
    await t?.stop();
  });

  const day = async (tx: DbTx): Promise<string> =>
    (
      await tx.query<{ d: string }>(
        `select to_char(day, 'YYYY-MM-DD') as d from public.queues where id = $1`,
        [ID.queueA],
      )
    ).rows[0]!.d;

  it('one claim that finds its turn calls private.require_staff once (three times before)', async () => {
    await rolledBack(t.db, async (tx) => {
      await tx.query(`set local track_functions = 'all'`);
      const r = await as<Answer>(
        tx,
        ACTORS.recepA,
        'select public.claim_turn_and_load($1::uuid, gen_random_uuid()) as r',
        [ID.queueA],
      );
      expect(r.turn_ahead).toBe(0);
      expect(Array.isArray(r.entries)).toBe(true);
      const { rows } = await tx.query<{ calls: number }>(
        `select coalesce(sum(calls), 0)::int as calls from pg_catalog.pg_stat_xact_user_functions
          where schemaname = 'private' and funcname = 'require_staff'`,
      );
      expect(rows[0]?.calls).toBe(1);
    });
  });

  it('answers what get_queue answers for the active scope, in full and as a delta since a version', async () => {
    await rolledBack(t.db, async (tx) => {
      const d = await day(tx);
      const version = (
        await tx.query<{ v: number }>('select version as v from public.queues where id = $1', [ID.queueA])
      ).rows[0]!.v;
      for (const since of [
        [null, null],
        [ID.queueA, Math.max(0, version - 1)],
      ] as const) {
        const claimed = await as<Answer>(
          tx,
          ACTORS.recepA,
          `select public.claim_turn_and_load($1::uuid, gen_random_uuid(), 'active', null, $2::uuid, $3::integer) as r`,
          [ID.queueA, since[0], since[1]],
        );
        const read = await as<Answer>(
          tx,
          ACTORS.recepA,
          `select public.get_queue($1::uuid, $2, null, 'active', null, $3::uuid, $4::integer) as r`,
          [ID.clinicA, d, since[0], since[1]],
        );
        expect(claimed.turn_ahead).toBe(0);
        expect(withoutTurn(claimed)).toEqual(read);
        // the claim is this command's (it is the turn now): end it, as a save would, for the next case
        await tx.query('delete from private.queue_turns where queue_id = $1', [ID.queueA]);
      }
    });
  });

  it('the load builders are PL/pgSQL (prepared once per connection; as SQL with a pinned search_path each call planned its body)', async () => {
    const { rows } = await t.db.query<{ fn: string; lang: string }>(
      `select f as fn, l.lanname as lang
         from unnest($1::text[]) f
         join pg_catalog.pg_proc p on p.oid = f::regprocedure
         join pg_catalog.pg_language l on l.oid = p.prolang
        order by 1`,
      [
        [
          'private.queue_active_entries(uuid,text,uuid[])',
          'private.queue_changed_entries(uuid,integer,uuid[])',
        ],
      ],
    );
    expect(rows.map((r) => `${r.fn}: ${r.lang}`)).toEqual([
      'private.queue_active_entries(uuid,text,uuid[]): plpgsql',
      'private.queue_changed_entries(uuid,integer,uuid[]): plpgsql',
    ]);
  });

  it('a malformed scope is refused before the claim, also behind another desk’s claim: nothing is claimed', async () => {
    await rolledBack(t.db, async (tx) => {
      // another desk's live claim: the turn is not this caller's
      await tx.query(
        `insert into private.queue_turns (queue_id, command_id, actor_id, seen_version, expires_at)
         select q.id, gen_random_uuid(), $2, q.version, private.now() + interval '5 seconds'
           from public.queues q where q.id = $1`,
        [ID.queueA, U.ownerA],
      );
      const mine = '5c0de000-0000-4000-8000-000000000021';
      for (const [scope, ids] of [
        ['everything', null],
        ['active', `{${Array.from({ length: 101 }, () => ID.queueA).join(',')}}`],
      ] as const) {
        const why = await refused(
          tx,
          ACTORS.recepA,
          'select public.claim_turn_and_load($1::uuid, $2::uuid, $3, $4::uuid[]) as r',
          [ID.queueA, mine, scope, ids],
        );
        expect(why).toMatch(/VALIDATION\.FAILED|p_scope|p_entry_ids/);
      }
      const { rows } = await tx.query<{ n: number }>(
        'select count(*)::int as n from private.queue_turns where queue_id = $1 and command_id = $2',
        [ID.queueA, mine],
      );
      expect(rows[0]?.n).toBe(0);
    });
  });
});
