/**
 * The local stack's database port. Two drivers implement it: PGlite (embedded, default) and PostgreSQL
 * (node-postgres pool, when DATABASE_URL is set). The gateway, the migrator and the SQL tests use only
 * this interface, so every test above the unit level can run on both.
 */
export type DbKind = 'pglite' | 'postgres';

export interface QueryResult<T> {
  rows: T[];
  /** Rows affected by INSERT/UPDATE/DELETE, when the driver reports it. */
  affectedRows?: number;
}

/** A connection inside one transaction. */
export interface DbTx {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements without parameters (migrations, SET LOCAL …). */
  exec(sql: string): Promise<void>;
}

export interface Db extends DbTx {
  readonly kind: DbKind;
  /**
   * Runs `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws
   * (the error is re-thrown unchanged, with its SQLSTATE in `code`). On PGlite transactions are
   * serialized; on PostgreSQL each gets its own pooled connection.
   */
  transaction<T>(fn: (tx: DbTx) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel; returns an unsubscribe function. On PostgreSQL the LISTEN connection is
   * re-established with backoff when it drops (pg_terminate_backend, a database restart): `onLost` is
   * called when it drops (notifications may be missed from then on), `onRestored` once LISTEN is back.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    events?: ListenEvents,
  ): Promise<() => Promise<void>>;
  /**
   * Runs `statements` as ONE transaction (BEGIN [READ ONLY] … COMMIT, or ROLLBACK with `rollback`) in as few
   * round trips as the driver can, and returns each statement's rows. PostgreSQL: one simple-query message
   * (parameters inlined as literals, ./inline.ts) — the gateway's role switch, claims and call in one round
   * trip instead of four. Optional: without it (PGlite, in-process) callers use `transaction`. Resolves to
   * null when the statements cannot be sent that way (the caller then uses `transaction`).
   */
  batch?(
    statements: readonly BatchStatement[],
    options?: BatchOptions,
  ): Promise<QueryResult<Record<string, unknown>>[] | null>;
  /** Whether the database is reachable, as the driver last saw it (no query is run). */
  health(): DbHealth;
  /**
   * How busy the connections are right now (the `/metrics` gauges db_pool_in_use and db_pool_waiting).
   * PostgreSQL: pooled connections checked out / callers waiting for one. PGlite (one connection): 1 while a
   * statement or a transaction holds it, and how many more are queued behind it.
   */
  pool(): DbPoolStats;
  close(): Promise<void>;
}

export interface DbPoolStats {
  inUse: number;
  waiting: number;
}

export interface BatchStatement {
  sql: string;
  params?: readonly unknown[];
}

export interface BatchOptions {
  readOnly?: boolean;
  /** End with ROLLBACK instead of COMMIT (PostgREST's `Prefer: tx=rollback`). */
  rollback?: boolean;
}

export interface ListenEvents {
  onLost?(): void;
  onRestored?(): void;
}

export interface DbHealth {
  up: boolean;
  /** When `up` last changed (ISO). */
  since: string;
}

/** Error thrown by a driver for a failed statement: the SQLSTATE and PostgreSQL's error fields. */
export interface DbError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
}
