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
  /** LISTEN on a channel; returns an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Error thrown by a driver for a failed statement: the SQLSTATE and PostgreSQL's error fields. */
export interface DbError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
}
