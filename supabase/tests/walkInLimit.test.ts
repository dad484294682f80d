/**
 * Issue 12: the walk-in limit (max_walk_ins_per_day) reads the day's kept count (private.queue_day_counts)
 * instead of counting the whole day on every insert, and still holds exactly: one step, one statement of
 * several rows, emergencies, cancelled places, and (PostgreSQL) two transactions racing for the last place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbTx } from '../local/db/types';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { becomeActor, rpcSql } from './helpers/sql';
import { queueEvent } from './helpers/events';
import { ACTORS, ID, createWorld } from './helpers/world';

describe.each(DB_KINDS)('the walk-in limit on %s', (kind) => {
  let t: TestDb;
  let seq = 0;
  beforeAll(async () => {
    t = await openTestDb(kind, { poolSize: 4 });
    await createWorld(t.db);
  }, 400_000); // PGlite's setup takes minutes on a busy machine
  afterAll(async () => {
    await t?.stop();
  });

  const uuid = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const walkIns = async () =>
    (
      await t.db.query<{ n: number }>(
        `select count(*)::int as n from public.queue_entries
          where queue_id = $1 and kind = 'walk_in' and status <> 'cancelled' and priority <> 'emergency'`,
        [ID.queueA],
      )
    ).rows[0]?.n ?? -1;
  const setLimit = (n: number | null) =>
    t.db.query(
      `update public.clinics set settings = case when $2::int is null then settings - 'max_walk_ins_per_day'
         else settings || jsonb_build_object('max_walk_ins_per_day', $2::int) end where id = $1`,
      [ID.clinicA, n],
    );
  /** New patients of clinic A and the VALUES rows of walk-ins for them (ticket numbers above any in use). */
  const rows = async (n: number, priority = 'normal') => {
    const out: { sql: string; id: string; patient: string }[] = [];
    for (let i = 0; i < n; i++) {
      const k = ++seq;
      const patient = uuid('a3000000', 0x700 + k);
      await t.db.query(`insert into public.patients (id, clinic_id, full_name) values ($1, $2, $3)`, [
        patient,
        ID.clinicA,
        `Walk-in ${k}`,
      ]);
      const id = uuid('a5000000', 0x700 + k);
      out.push({
        id,
        patient,
        sql: `('${id}', '${ID.queueA}', '${ID.clinicA}', '${patient}', 'walk_in', 'waiting', '${priority}', ${500 + k}, ${k})`,
      });
    }
    return out;
  };
  /** Inserts walk-ins in ONE statement; 'ok' or the error's code and message. */
  const insert = async (values: { sql: string }[], tx: DbTx = t.db) =>
    tx
      .query(
        `insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, priority, ticket_number, order_key)
         values ${values.map((v) => v.sql).join(', ')}`,
      )
      .then(() => 'ok')
      .catch((e: { code?: string; message?: string }) => `${e.code} ${e.message}`);

  it('reads the day’s kept count, not a recount of the day (a desk’s step)', async () => {
    const before = await walkIns();
    await setLimit(before + 3);
    const [row] = await rows(1);
    const { id, patient } = row ?? { id: '', patient: '' };
    const step = async () =>
      t.db
        .transaction(async (tx) => {
          const v = (
            await tx.query<{ version: number }>('select version from public.queues where id = $1', [
              ID.queueA,
            ])
          ).rows[0]?.version;
          await becomeActor(tx, ACTORS.recepA);
          const { sql, params } = rpcSql('save_queue_step', {
            p_queue_id: ID.queueA,
            p_expected_version: v,
            p_entries: JSON.stringify([{ id, patient_id: patient, kind: 'walk_in', status: 'waiting' }]),
            p_events: JSON.stringify([queueEvent('WalkInAdded', id)]),
          });
          await tx.query(sql, params);
          return 'ok';
        })
        .catch((e: { code?: string; message?: string }) => `${e.code} ${e.message}`);
    // the kept figure says the day is full (the rows say 3 places are left): the kept figure decides
    await t.db.query('update private.queue_day_counts set walk_ins = walk_ins + 3 where queue_id = $1', [
      ID.queueA,
    ]);
    try {
      expect(await step()).toBe('PT409 QUEUE.WALK_IN_LIMIT_REACHED');
    } finally {
      await t.db.query('update private.queue_day_counts set walk_ins = walk_ins - 3 where queue_id = $1', [
        ID.queueA,
      ]);
    }
    expect(await step()).toBe('ok');
    expect(await walkIns()).toBe(before + 1);
  });

  it('holds exactly: the last place taken, one over refused, several in one statement, emergencies, a freed place', async () => {
    const before = await walkIns();
    await setLimit(before + 2);
    expect(await insert(await rows(1))).toBe('ok');
    // two more in one statement, one place left: the whole statement is refused, nothing written
    expect(await insert(await rows(2))).toBe('PT409 QUEUE.WALK_IN_LIMIT_REACHED');
    expect(await walkIns()).toBe(before + 1);
    const last = await rows(1);
    expect(await insert(last)).toBe('ok');
    expect(await walkIns()).toBe(before + 2);
    expect(await insert(await rows(1))).toBe('PT409 QUEUE.WALK_IN_LIMIT_REACHED');
    expect(await insert(await rows(1, 'urgent'))).toBe('PT409 QUEUE.WALK_IN_LIMIT_REACHED');
    // emergencies are never refused and use no place
    expect(await insert(await rows(1, 'emergency'))).toBe('ok');
    // a cancelled walk-in frees its place
    await t.db.query(`update public.queue_entries set status = 'cancelled' where id = $1`, [last[0]?.id]);
    expect(await insert(await rows(1))).toBe('ok');
    expect(await insert(await rows(1))).toBe('PT409 QUEUE.WALK_IN_LIMIT_REACHED');
    expect(await walkIns()).toBe(before + 2);
    await setLimit(null);
    expect(await insert(await rows(1))).toBe('ok');
  });

  // PGlite runs one transaction at a time: only PostgreSQL can race two writers for the last place
  if (kind === 'postgres')
    it('two transactions racing for the last place: exactly one gets it', async () => {
      const before = await walkIns();
      await setLimit(before + 1);
      const [a] = await rows(1);
      const [b] = await rows(1);
      let second: Promise<string> = Promise.resolve('not started');
      const first = await t.db.transaction(async (tx) => {
        const r = await insert(a ? [a] : [], tx);
        // the other desk's insert starts while this one is uncommitted; it must wait for it
        second = insert(b ? [b] : []);
        const pidWaiting = async () => {
          for (let i = 0; i < 2_000; i++) {
            const { rows: w } = await t.db.query<{ n: number }>(
              `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
            );
            if ((w[0]?.n ?? 0) > 0) return true;
            await new Promise((res) => setTimeout(res, 10));
          }
          return false;
        };
        expect(await pidWaiting()).toBe(true);
        return r;
      });
      expect([first, await second]).toEqual(['ok', 'PT409 QUEUE.WALK_IN_LIMIT_REACHED']);
      expect(await walkIns()).toBe(before + 1);
      await setLimit(null);
    });
});
