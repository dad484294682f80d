/**
 * Run SQL as a given API caller, the way PostgREST (and the local gateway) does: inside one transaction,
 * `set_config('role', …, true)` (= SET LOCAL ROLE) and `request.jwt.claims` set locally.
 */
import type { Db, DbError, DbTx } from '../../local/db/types';

export type Role = 'anon' | 'authenticated' | 'service_role';

export interface Actor {
  name: string;
  role: Role;
  /** auth.uid() */
  sub?: string;
  email?: string;
  phone?: string;
}

export const claimsOf = (a: Actor): Record<string, unknown> => ({
  role: a.role,
  aud: a.role === 'anon' ? undefined : 'authenticated',
  ...(a.sub !== undefined ? { sub: a.sub } : {}),
  ...(a.email !== undefined ? { email: a.email } : {}),
  ...(a.phone !== undefined ? { phone: a.phone } : {}),
});

/** Switch the current transaction to `actor` (undone at COMMIT/ROLLBACK or ROLLBACK TO SAVEPOINT). */
export const becomeActor = async (tx: DbTx, actor: Actor): Promise<void> => {
  await tx.query(`select set_config('request.jwt.claims', $1, true), set_config('role', $2, true)`, [
    JSON.stringify(claimsOf(actor)),
    actor.role,
  ]);
};

export const resetActor = async (tx: DbTx): Promise<void> => {
  await tx.exec(`reset role; select set_config('request.jwt.claims', '', true);`);
};

/** Runs fn as actor in a transaction that commits. */
export const asActor = <T>(db: Db, actor: Actor, fn: (tx: DbTx) => Promise<T>): Promise<T> =>
  db.transaction(async (tx) => {
    await becomeActor(tx, actor);
    return fn(tx);
  });

export type Outcome<T> =
  { ok: true; value: T } | { ok: false; code: string; message: string; detail?: string };

class Rollback<T> extends Error {
  constructor(readonly outcome: Outcome<T>) {
    super('rollback');
  }
}

/** Runs fn as actor in a transaction that is always rolled back; returns value or the error's code. */
export const tryAsActor = async <T>(
  db: Db,
  actor: Actor,
  fn: (tx: DbTx) => Promise<T>,
  setup?: (tx: DbTx) => Promise<void>,
): Promise<Outcome<T>> => {
  try {
    await db.transaction(async (tx) => {
      if (setup) await setup(tx);
      let outcome: Outcome<T>;
      try {
        await becomeActor(tx, actor);
        outcome = { ok: true, value: await fn(tx) };
      } catch (e) {
        const err = e as DbError;
        outcome = {
          ok: false,
          code: err.code ?? 'NO_CODE',
          message: err.message,
          ...(err.detail !== undefined ? { detail: err.detail } : {}),
        };
      }
      throw new Rollback(outcome);
    });
  } catch (e) {
    if (e instanceof Rollback) return e.outcome as Outcome<T>;
    throw e;
  }
  throw new Error('unreachable');
};

/** Calls an RPC as actor and commits; throws the DbError on failure. */
export const rpc = async <T = unknown>(
  db: Db,
  actor: Actor,
  fn: string,
  args: Record<string, unknown>,
): Promise<T> =>
  asActor(db, actor, async (tx) => {
    const names = Object.keys(args);
    const sql = `select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as r`;
    const { rows } = await tx.query<{ r: T }>(
      sql,
      names.map((n) => args[n]),
    );
    return rows[0]?.r as T;
  });

/** Builds the SQL of an RPC call with named arguments. */
export const rpcSql = (fn: string, args: Record<string, unknown>): { sql: string; params: unknown[] } => {
  const names = Object.keys(args);
  return {
    sql: `select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as r`,
    params: names.map((n) => args[n]),
  };
};

/** The error of a promise that must fail. */
export const failure = async (p: Promise<unknown>): Promise<DbError> => {
  try {
    await p;
  } catch (e) {
    return e as DbError;
  }
  throw new Error('expected a failure');
};
