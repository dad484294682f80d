/**
 * Issue 12: every queue writer locks the queue row before the entry rows, so two writers of one queue day
 * wait for each other instead of deadlocking (40P01). save_queue_step locks the queue, then each entry it
 * touches; check_in and cancel_appointment lock the queue (private.entry_for_actor) before they read and
 * update their entry. The orchestration is explicit, on two PostgreSQL connections: a desk's transaction
 * holds the queue and one entry (a real save_queue_step, still uncommitted), the patient's check-in (or
 * cancel) is started and seen waiting for a lock, then the desk's next step in the same transaction touches
 * the patient's entry. If the check-in had taken its entry before the queue, that last step would wait on
 * it while it waits on the queue: a deadlock. Then the same operations interleaved many times at random.
 * PGlite runs one transaction at a time (no interleaving to test there); the repeated rounds run on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { becomeActor, rpcSql, type Actor } from './helpers/sql';
import { queueEvent } from './helpers/events';
import { ACTORS, ID, createWorld } from './helpers/world';

const entryId = (n: number) => `a5000000-0000-4000-8000-${(0xd00 + n).toString(16).padStart(12, '0')}`;

describe.each(DB_KINDS)('queue lock order on %s', (kind) => {
  let t: TestDb;
  let seq = 0;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 6 });
    await createWorld(t.db);
  }, 400_000); // PGlite's setup takes minutes on a busy machine
  afterAll(async () => {
    await t?.stop();
  });

  /** A scheduled booked visit of today in queue A, its slot now by the database's clock. */
  const scheduled = async (): Promise<string> => {
    const id = entryId(++seq);
    await t.db.query(
      `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number,
                                         order_key, slot_start, slot_end)
       select $1, $2, $3, $4, 'booked', 'scheduled', 100 + $5::int, extract(epoch from private.now()),
              private.now(), private.now() + interval '15 minutes'`,
      [id, ID.queueA, ID.clinicA, ID.patientRecA, seq],
    );
    return id;
  };

  const version = async (tx: DbTx = t.db) =>
    (await tx.query<{ version: number }>('select version from public.queues where id = $1', [ID.queueA]))
      .rows[0]?.version ?? -1;

  const priorityOf = async (tx: DbTx, id: string) =>
    (await tx.query<{ priority: string }>('select priority from public.queue_entries where id = $1', [id]))
      .rows[0]?.priority ?? 'normal';

  /** A desk's step (save_queue_step as the receptionist): toggles the entry's priority, with its event. */
  const deskStep = async (tx: DbTx, id: string, expected: number): Promise<number> => {
    const from = await priorityOf(tx, id);
    const to = from === 'normal' ? 'urgent' : 'normal';
    await becomeActor(tx, ACTORS.recepA);
    const { sql, params } = rpcSql('save_queue_step', {
      p_queue_id: ID.queueA,
      p_expected_version: expected,
      p_entries: JSON.stringify([{ id, priority: to, priority_reason: to === 'urgent' ? 'pain' : null }]),
      p_events: JSON.stringify([queueEvent('PriorityChanged', id, { from, to, reason: 'pain' })]),
    });
    const r = (await tx.query<{ r: number }>(sql, params)).rows[0]?.r ?? -1;
    await tx.exec('reset role');
    return r;
  };

  /** The patient's check-in or a cancel, in its own transaction; resolves to 'ok' or the error's SQLSTATE. */
  const patientCall = (
    fn: 'check_in' | 'cancel_appointment',
    id: string,
    actor: Actor,
    started?: (pid: number) => void,
  ): Promise<string> =>
    t.db
      .transaction(async (tx) => {
        const pid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
        started?.(pid);
        await becomeActor(tx, actor);
        const { sql, params } = rpcSql(fn, { p_entry_id: id });
        await tx.query(sql, params);
        return 'ok';
      })
      .catch((e: { code?: string; message?: string }) => `${e.code ?? ''} ${e.message ?? ''}`.trim());

  /** Polls pg_stat_activity until backend `pid` waits for a lock (bounded; no fixed sleep decides anything). */
  const waitsForLock = async (pid: number): Promise<boolean> => {
    for (let i = 0; i < 2_000; i++) {
      const { rows } = await t.db.query<{ w: string | null }>(
        'select wait_event_type as w from pg_stat_activity where pid = $1',
        [pid],
      );
      if (rows[0]?.w === 'Lock') return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  };

  if (kind === 'postgres')
    for (const [fn, actor] of [
      ['check_in', ACTORS.patientA],
      ['cancel_appointment', ACTORS.recepA],
    ] as const)
      it(`${fn} waits for the queue before it takes its entry: a desk holding the queue can still write that entry`, async () => {
        const mine = await scheduled();
        const other = await scheduled();
        let pid = 0;
        let patient: Promise<string> = Promise.resolve('not started');
        const desk = await t.db.transaction(async (tx) => {
          // the desk's first step: queue row + `other` locked, not committed
          const v1 = await deskStep(tx, other, await version(tx));
          patient = patientCall(fn, mine, actor, (p) => (pid = p));
          // the patient's call is now blocked on a lock the desk holds (the queue row)
          expect(
            await waitsForLock(
              await new Promise<number>((r) => {
                const poll = () => (pid ? r(pid) : setImmediate(poll));
                poll();
              }),
            ),
          ).toBe(true);
          // the desk's next step in the same transaction touches the patient's entry: with the queue taken
          // first by the patient's call, nothing of `mine` is locked by it and this goes through
          return deskStep(tx, mine, v1);
        });
        expect(await patient).toBe('ok'); // never 40P01 deadlock_detected
        expect(desk).toBeGreaterThan(0);
        const { rows } = await t.db.query<{ status: string; priority: string }>(
          'select status, priority from public.queue_entries where id = $1',
          [mine],
        );
        // both changes landed: the desk's priority, then the patient's check-in / the cancel
        expect(rows[0]).toEqual({
          status: fn === 'check_in' ? 'waiting' : 'cancelled',
          priority: 'urgent',
        });
      });

  it('check-ins, cancels and desk steps interleaved many times: no deadlock, every call applied or coded', async () => {
    const outcomes: string[] = [];
    const startVersion = await version();
    let applied = 0;
    for (let round = 0; round < 25; round++) {
      const a = await scheduled();
      const b = await scheduled();
      const desk = t.db
        .transaction(async (tx) => {
          // one transaction, two steps touching both entries (queue → a → b), as a desk's retry would
          const v1 = await deskStep(tx, a, await version(tx));
          return deskStep(tx, b, v1);
        })
        .then(() => ((applied += 2), 'ok'))
        .catch((e: { code?: string; message?: string }) => `${e.code ?? ''} ${e.message ?? ''}`.trim());
      const calls = [
        patientCall('check_in', b, ACTORS.patientA),
        patientCall('cancel_appointment', a, ACTORS.recepA),
      ];
      // the order of arrival alternates: sometimes the patient's calls are first in line for the queue
      const all = round % 2 ? [desk, ...calls] : [...calls, desk];
      outcomes.push(...(await Promise.all(all)));
      applied += (await Promise.all(calls)).filter((o) => o === 'ok').length;
    }
    expect(outcomes.filter((o) => o.startsWith('40P01'))).toEqual([]);
    // each call either applied or refused with a coded error (a check-in of a visit already cancelled…)
    for (const o of outcomes) expect(o).toMatch(/^(ok|PT\d{3} [A-Z_]+\.[A-Z_]+)$/);
    // every applied change bumped the version once: nothing was half-applied
    expect(await version()).toBe(startVersion + applied);
  });
});
