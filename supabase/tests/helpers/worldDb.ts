/**
 * The shared set-up of the RPC suites that run on the test world (helpers/world.ts): one fresh database per
 * DB kind with the world in it, opened before the block and stopped after it, and one way to call an RPC as
 * an actor — after an optional superuser set-up, with optional request headers, then an optional superuser
 * read — in a transaction that is always rolled back. Used by patientSearchNotes, notifications, queueParity.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Db, DbKind } from '../../local/db/types';
import { openTestDb } from './testDb';
import type { TestDb } from './testDb';
import { rpcSql, tryAsActor } from './sql';
import type { Actor, Outcome } from './sql';
import { createWorld } from './world';

/** Opens a `kind` database with the world before the enclosing block's tests and stops it after them. */
export function useWorldDb(kind: DbKind): { readonly db: Db } {
  let t: TestDb | undefined;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await createWorld(t.db);
  }, 600_000); // migrating PGlite on a busy machine
  afterAll(async () => {
    await t?.stop();
  });
  return {
    get db(): Db {
      if (!t) throw new Error('the world database is not open yet');
      return t.db;
    },
  };
}

export interface RpcAsOptions {
  /** SQL run as superuser before the call (rolled back with it). */
  readonly setup?: string;
  /** SQL read as superuser after the call; its rows are returned as `after`. */
  readonly after?: string;
  /** request.headers of the call (the origin an audit row records). */
  readonly headers?: Readonly<Record<string, string>>;
}

export type RpcOutcome<T> = Outcome<{ r: T; after: Record<string, unknown>[] }>;

/** One RPC as `actor` (named arguments), rolled back: its result, or the error's code and message. */
export const rpcAs = <T = Record<string, unknown>>(
  db: Db,
  actor: Actor,
  fn: string,
  args: Record<string, unknown>,
  opts: RpcAsOptions = {},
): Promise<RpcOutcome<T>> =>
  tryAsActor(
    db,
    actor,
    async (tx) => {
      if (opts.headers)
        await tx.query(`select set_config('request.headers', $1, true)`, [JSON.stringify(opts.headers)]);
      const { sql, params } = rpcSql(fn, args);
      const r = (await tx.query<{ r: T }>(sql, params)).rows[0]?.r as T;
      await tx.exec('reset role');
      return { r, after: opts.after === undefined ? [] : (await tx.query(opts.after)).rows };
    },
    opts.setup === undefined ? undefined : async (tx) => void (await tx.exec(opts.setup as string)),
  );

/** `ok`, or the error as `<sqlstate> <message>` (a coded error: `PT404 NOT_FOUND`; no grant: `42501 …`). */
export const outcomeCode = (o: Outcome<unknown>): string => (o.ok ? 'ok' : `${o.code} ${o.message}`);

/** The value of a call that must succeed. */
export const mustSucceed = <T>(o: Outcome<T>): T => {
  if (!o.ok) throw new Error(`expected success, got ${o.code} ${o.message} (${o.detail ?? ''})`);
  return o.value;
};
