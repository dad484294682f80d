/**
 * PGlite driver: PostgreSQL in WebAssembly, persisted in a data folder (or in memory). PGlite is a single
 * connection, so every statement and every transaction goes through one FIFO mutex: a transaction runs
 * alone from BEGIN to COMMIT/ROLLBACK, and nothing else slips in between.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import { toDbError } from './errors';
import { refreshPgliteTimeZones, type EmscriptenFs } from './pgliteTimeZones';
import { checkTemplateDataDir, TemplateMemoryFS } from './pgliteTemplateFs';
import { Mutex } from './mutex';
import { OID, keepText, parseInt8 } from './parsers';
import type { Db, DbTx, QueryResult } from './types';

export interface PgliteOptions {
  /** Folder to persist in; omitted → in memory. */
  dataDir?: string;
  /**
   * PostgreSQL's fsync for a persisted folder (default on; PGlite itself starts with `-F`, fsync off).
   * Measured with scripts/bench-fsync.mjs: with PGlite 0.5 on Node the setting costs nothing because its
   * WASM file system does not pass fsync to the disk (commit p50 0.27 ms, a real fsync here 6.3 ms), so
   * kill -9 is safe (every commit is written to the OS) but a power cut is not: self-host on PostgreSQL.
   */
  fsync?: boolean;
  /**
   * Start from a copy of another database's data folder (a tarball from PGlite's `dumpDataDir`), in memory:
   * the db tests clone one migrated template per run instead of migrating in every file. In memory (TemplateMemoryFS),
   * bytes on an ordinary ArrayBuffer are taken over by the database — hand each open its own copy; bytes on a
   * SharedArrayBuffer are never written, and may serve every open (each file is copied before its first write).
   */
  loadDataDir?: Blob | Uint8Array;
  /**
   * PGlite's WebAssembly already compiled (a `WebAssembly.Module` crosses into worker threads): a process that
   * opens many PGlites in worker threads (the stack tests) compiles it once instead of once per thread.
   */
  wasmModule?: WebAssembly.Module;
}

/**
 * An in-memory copy of a template (the tests' databases) keeps PostgreSQL's shared buffers small (issue 14, CI
 * time). Its "disk" is the same process's memory, so 128 MB of buffers (PostgreSQL's default) only cached memory in
 * memory — and setting them up was ≈ 0.45 of the ≈ 1.0 CPU-s every db and stack test file paid to open one
 * (`npm run bench:test-setup`). A persisted data folder (`npm start`) keeps the default.
 */
export const TEMPLATE_SHARED_BUFFERS = '8MB';

const parsers = {
  [OID.int8]: parseInt8,
  [OID.date]: keepText,
  [OID.interval]: keepText,
};

type Runner = Pick<PGlite, 'query' | 'exec'> | Transaction;

const wrap = (runner: Runner): DbTx => ({
  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    try {
      const r = await runner.query<T>(sql, params);
      return r.affectedRows === undefined ? { rows: r.rows } : { rows: r.rows, affectedRows: r.affectedRows };
    } catch (e) {
      throw toDbError(e);
    }
  },
  async exec(sql: string): Promise<void> {
    try {
      await runner.exec(sql);
    } catch (e) {
      throw toDbError(e);
    }
  },
});

/** The in-thread driver also dumps its data folder (a tarball `loadDataDir` accepts). */
export type PgliteDb = Db & { dumpDataDir(): Promise<Blob> };

export const openPglite = async (options: PgliteOptions = {}): Promise<PgliteDb> => {
  const fsync = options.dataDir !== undefined && (options.fsync ?? true);
  // In memory from a tarball (the tests' templates): our own loader, a fraction of PGlite's CPU (pgliteTemplateFs.ts)
  const fromTemplate = options.loadDataDir !== undefined && options.dataDir === undefined;
  const pg = await PGlite.create({
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir !== undefined
      ? fromTemplate
        ? { fs: new TemplateMemoryFS(options.loadDataDir) }
        : {
            loadDataDir:
              options.loadDataDir instanceof Uint8Array
                ? new Blob([options.loadDataDir as Uint8Array<ArrayBuffer>])
                : options.loadDataDir,
          }
      : {}),
    ...(fsync ? { startParams: PGlite.defaultStartParams.filter((p) => p !== '-F') } : {}),
    ...(fromTemplate
      ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${TEMPLATE_SHARED_BUFFERS}`] }
      : {}),
    ...(options.wasmModule !== undefined ? { pgliteWasmModule: options.wasmModule } : {}),
    // No extension bundle: nothing in the shim or the migrations creates one (link secrets and hashes use core
    // sha256 and gen_random_uuid), and PGlite unpacks and loads every bundle it is given at each open — pgcrypto's
    // was 0.3-0.5 of the ≈ 1.1 CPU-s an open costs, paid by every db and stack test file (issue 14, CI time). A
    // migration that needs one fails on PGlite when the run's templates are built (`create extension`), not later.
    parsers,
  });
  // Before any query can load a zone: PGlite's own zone data is wrong for Morocco (see pgliteTimeZones.ts).
  refreshPgliteTimeZones((pg as unknown as { mod: { FS: EmscriptenFs } }).mod.FS);
  if (fromTemplate) await checkTemplateDataDir(pg);
  const lock = new Mutex();
  // Callers holding or queued for the one connection (/metrics' db_pool_in_use and db_pool_waiting).
  let active = 0;
  const mutex = {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      active++;
      try {
        return await lock.run(fn);
      } finally {
        active--;
      }
    },
  };
  const direct = wrap(pg);
  let closed = false;
  const since = new Date().toISOString();

  return {
    kind: 'pglite',
    // Embedded: the database is this process; it is up as long as the stack is.
    health: () => ({ up: true, since }),
    pool: () => ({ inUse: Math.min(active, 1), waiting: Math.max(active - 1, 0) }),
    query: <T>(sql: string, params?: unknown[]) => mutex.run(() => direct.query<T>(sql, params)),
    exec: (sql: string) => mutex.run(() => direct.exec(sql)),
    transaction: <T>(fn: (tx: DbTx) => Promise<T>) =>
      mutex.run(async () => {
        // BEGIN/COMMIT by hand (not pg.transaction) so the caller's error is re-thrown unchanged.
        await direct.exec('begin');
        let result: T;
        try {
          result = await fn(direct);
        } catch (e) {
          try {
            await pg.exec('rollback');
          } catch {
            // the connection already ended the transaction
          }
          throw e;
        }
        await direct.exec('commit');
        return result;
      }),
    async listen(channel, onPayload) {
      const unsubscribe = await mutex.run(() => pg.listen(channel, onPayload));
      return async () => {
        if (!closed) await mutex.run(() => unsubscribe());
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await mutex.run(() => pg.close());
    },
    dumpDataDir: () => mutex.run(() => pg.dumpDataDir('none')),
  };
};
