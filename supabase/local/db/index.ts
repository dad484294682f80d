/**
 * Opens the local stack's database: PostgreSQL when a URL is given (or DATABASE_URL is set), else PGlite
 * persisted in `dataDir` (in memory when omitted). Use `migrate(db)` afterwards to bring the schema up.
 */
import { openPglite } from './pglite';
import { openPgliteWorker } from './pgliteWorker';
import { openPostgres } from './postgres';
import type { Db } from './types';

export type { Db, DbTx, DbKind, DbError, DbHealth, DbPoolStats, ListenEvents, QueryResult } from './types';
export { DbStatementError, isDbError, toDbError, isConnectionError, CONNECTION_FAILURE } from './errors';
export { migrate, MigrationChangedError, PreBaselineDatabaseError, SUPABASE_DIR } from './migrate';
export type { MigrateOptions, MigrateResult } from './migrate';
export { startTempPostgres } from './tempPostgres';
export type { TempPostgres, TempPostgresOptions } from './tempPostgres';
export { openPglite } from './pglite';
export { openPgliteWorker, threadPool } from './pgliteWorker';
export type { ThreadPool } from './pgliteWorker';
export { openPostgres } from './postgres';

export interface OpenDbOptions {
  /** PGlite data folder; omitted → in memory. Ignored when a URL is used. */
  dataDir?: string;
  /** PostgreSQL URL; defaults to process.env.DATABASE_URL when `useEnv` is not false. */
  url?: string;
  useEnv?: boolean;
  /** PostgreSQL pool size. */
  max?: number;
  /**
   * PGlite in its own worker thread (default true: a long statement never blocks the stack's event loop);
   * false runs it on the caller's thread (QUEUEMED_PGLITE_THREAD=inline does the same for `npm start`).
   */
  worker?: boolean;
}

export const openDb = async (options: OpenDbOptions = {}): Promise<Db> => {
  const envUrl = options.useEnv === false ? undefined : process.env.DATABASE_URL;
  const url = options.url ?? (envUrl !== undefined && envUrl !== '' ? envUrl : undefined);
  if (url !== undefined)
    return openPostgres({ url, ...(options.max !== undefined ? { max: options.max } : {}) });
  const pgliteOptions = options.dataDir !== undefined ? { dataDir: options.dataDir } : {};
  const inline =
    options.worker === false ||
    (options.worker === undefined && process.env.QUEUEMED_PGLITE_THREAD === 'inline');
  return inline ? openPglite(pgliteOptions) : openPgliteWorker(pgliteOptions);
};
