/**
 * The setup the RPC rule tests share (waitlist, waitlistOffers, reschedule, remoteJoin, webhooks, the outbox
 * tests): a migrated database with the test world and private.now() pinned to a time of the clinic's today, each
 * case run in a transaction that is always rolled back, calls made as an API caller, and refusals read as
 * `<SQLSTATE> <message>` inside a savepoint so the case's transaction goes on.
 */
import type { Db, DbError, DbKind, DbTx } from '../../local/db/types';
import { openTestDb, type TestDb, type TestDbOptions } from './testDb';
import { becomeActor, resetActor, type Actor } from './sql';
import { ID, createWorld } from './world';

/**
 * SQL that pins the database's clock (private.now()) to `hhmm` on the world's day in the clinic — the day of clinic
 * A's queue row (`createWorld`), not the machine's today, which may have turned since the world was made. For a
 * case's own setup inside a rolled-back transaction: the pin goes with it.
 */
export const pinWorldDaySql = (hhmm: string): string =>
  `delete from private.pinned_clock;
   insert into private.pinned_clock (at)
     select (day + time '${hhmm}') at time zone 'Africa/Casablanca' from public.queues where id = '${ID.queueA}';`;

/**
 * Pins the database's clock to `hhmm` of the world's today in the clinic (pinWorldDaySql): the day of the world's
 * queue A, not the machine's today — the clinic's midnight may pass between createWorld and this call.
 */
export const pinClinicToday = async (db: Db, hhmm: string): Promise<void> => {
  await db.exec(pinWorldDaySql(hhmm));
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from private.pinned_clock');
  if (rows[0]?.n !== 1) throw new Error('pinClinicToday: create the test world first (no queue A)');
};

/** The instant `hhmm` on the world's day in the clinic (see pinWorldDaySql), as an ISO string. */
export const worldDayAt = async (db: Db, hhmm: string): Promise<string> =>
  new Date(
    (
      await db.query<{ at: string }>(
        `select (day + $2::time) at time zone 'Africa/Casablanca' as at from public.queues where id = $1`,
        [ID.queueA, hhmm],
      )
    ).rows[0]!.at,
  ).toISOString();

/** A migrated database of `kind` with the test world, its clock pinned to today `hhmm` in the clinic. */
export const openPinnedWorld = async (
  kind: DbKind,
  hhmm: string,
  options: TestDbOptions = {},
): Promise<TestDb> => {
  const t = await openTestDb(kind, options);
  await createWorld(t.db);
  await pinClinicToday(t.db, hhmm);
  return t;
};

class Rollback extends Error {}

/** Runs fn in one transaction that is always rolled back (fn's own failures still fail the test). */
export const rolledBack = async (db: Db, fn: (tx: DbTx) => Promise<void>): Promise<void> => {
  await db
    .transaction(async (tx) => {
      await fn(tx);
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
};

/** One statement `select … as r` run as `actor`; returns r (the role is reset afterwards). */
export const as = async <T>(tx: DbTx, actor: Actor, sql: string, params: unknown[] = []): Promise<T> => {
  await becomeActor(tx, actor);
  const r = (await tx.query<{ r: T }>(sql, params)).rows[0]!.r;
  await resetActor(tx);
  return r;
};

/**
 * The error of a statement that must be refused, as `<SQLSTATE> <message>`, inside a savepoint so the case's
 * transaction goes on; `actor` null runs it as the test's own (owner) role. Throws if it was not refused.
 */
export const refused = async (
  tx: DbTx,
  actor: Actor | null,
  sql: string,
  params: unknown[] = [],
): Promise<string> => {
  await tx.query('savepoint try_it');
  try {
    if (actor) await as(tx, actor, sql, params);
    else await tx.query(sql, params);
  } catch (e) {
    await tx.query('rollback to savepoint try_it');
    await resetActor(tx);
    const err = e as DbError;
    return `${err.code ?? '?'} ${err.message}`;
  }
  throw new Error('expected a refusal');
};
