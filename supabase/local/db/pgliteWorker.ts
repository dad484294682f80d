/**
 * PGlite off the event loop (issue 12 item 5). PGlite is PostgreSQL compiled to WebAssembly: every
 * statement runs synchronously on the thread that owns it, so in-thread a 300 ms queue save stalls every
 * other request of the stack — even `/health` and static files. Here the database lives in a worker thread
 * (pgliteThread.ts, the ordinary in-thread driver) and this side implements the same `Db` port over a small
 * message protocol (pgliteWire.ts): the stack's loop only posts messages and receives rows.
 *
 * Semantics are those of pglite.ts: one connection, statements and whole transactions in FIFO order (the
 * worker's mutex), errors with SQLSTATE and PostgreSQL's fields (DbStatementError), LISTEN callbacks.
 * If the thread dies, every pending call fails with the connection-failure code (HTTP 503) and `health()`
 * reports the database down.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { installedClockOffset } from '../fakeClock';
import { connectionError, DbStatementError } from './errors';
import type { PgliteOptions } from './pglite';
import type { FromWorker, OpenInThread, ToWorker, WireError } from './pgliteWire';
import type { Db, DbHealth, DbTx, QueryResult } from './types';

const THREAD = new URL('./pgliteThread.mjs', import.meta.url);

const toError = (w: WireError): DbStatementError => {
  const { message, ...fields } = w;
  return new DbStatementError(message, fields);
};

type Pending = { resolve(v: unknown): void; reject(e: unknown): void };
type Request = ToWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

/**
 * PGlite's WebAssembly compiled once per process and handed to every thread (issue 14, CI time): a new worker
 * thread is a new realm, where PGlite compiled its 9 MB module again — ≈ 1.3 of the ≈ 2.3 CPU-s each stack test
 * file paid to open its database (`npm run bench:test-setup`). One open (`npm start`) costs the same either way.
 * Undefined if it cannot be compiled here: the thread then compiles its own, as before.
 */
let compiled: Promise<WebAssembly.Module | undefined> | undefined;
const pgliteWasm = (): Promise<WebAssembly.Module | undefined> =>
  (compiled ??= Promise.resolve()
    .then(() => readFile(createRequire(import.meta.url).resolve('@electric-sql/pglite/pglite.wasm')))
    .then((bytes) => WebAssembly.compile(bytes))
    // not found, not read, not compiled (mreview27 L4): every thread compiles its own, as before
    .catch(() => undefined));

/**
 * Threads whose database was closed, kept for the next open in this process (issue 14, CI time): a new worker thread
 * is a new V8 realm that loads the thread's modules and PGlite's JavaScript again before it opens anything — what a
 * stack test file paid to open its database in a thread rather than in-thread (eight opens of the migrated template
 * in a row, bundled thread, two rounds: 0.95 / 0.81 CPU-s per open with a new thread each, 0.52 / 0.53 in a parked
 * one, 0.51 / 0.51 in-thread). A parked thread opens the next
 * database itself ('open' message, pgliteThread.ts `serve`), with that open's options and clock offset; nothing of
 * the previous database is left in it but loaded modules. A parked thread does not keep the process alive, and ends
 * after `idleMs` unused. Only the test stacks use one (test/fixtures/localStack.ts); `npm start` opens once.
 */
export interface ThreadPool {
  /** A parked thread of this entry, no longer parked; undefined if none. */
  take(thread: URL): Worker | undefined;
  /** Keeps a thread whose database was closed (and that listens for 'open'). */
  park(thread: URL, worker: Worker): void;
}

export const threadPool = (idleMs = 30_000): ThreadPool => {
  const parked = new Map<Worker, { entry: string; unpark(): void }>();
  return {
    take(thread) {
      for (const [worker, p] of parked)
        if (p.entry === thread.href) {
          p.unpark();
          return worker;
        }
      return undefined;
    },
    park(thread, worker) {
      const gone = () => {
        unpark();
        void worker.terminate();
      };
      const timer = setTimeout(gone, idleMs);
      timer.unref();
      const unpark = () => {
        clearTimeout(timer);
        parked.delete(worker);
        worker.off('error', gone);
        worker.off('exit', gone);
        worker.ref();
      };
      // a parked thread that fails or exits is dropped (an 'error' without a listener would be thrown here)
      worker.on('error', gone);
      worker.on('exit', gone);
      worker.unref();
      parked.set(worker, { entry: thread.href, unpark });
    },
  };
};

/**
 * `thread`: the worker's entry; default the TypeScript thread loaded through tsx (pgliteThread.mjs).
 * `npm start` passes the prebuilt bundle of the same file (scripts/serverBundle.mjs), which skips tsx.
 * `pool`: take a parked thread of that entry if there is one, and park this one after close() instead of ending it.
 */
export const openPgliteWorker = async (
  options: PgliteOptions = {},
  thread: URL = THREAD,
  pool?: ThreadPool,
): Promise<Db> => {
  const wasmModule = options.wasmModule ?? (await pgliteWasm());
  const clockOffsetMs = installedClockOffset();
  const threadOptions: PgliteOptions = { ...options, wasmModule };
  let reused = pool?.take(thread);
  if (reused) {
    const open: OpenInThread = { t: 'open', options: threadOptions, clockOffsetMs };
    try {
      reused.postMessage(open);
    } catch {
      // an option that cannot cross threads: end the taken thread, and let a new one report it as before
      void reused.terminate();
      reused = undefined;
    }
  }
  const worker = reused ?? new Worker(thread, { workerData: { options: threadOptions, clockOffsetMs } });
  const pending = new Map<number, Pending>();
  const listeners = new Map<number, (payload: string) => void>();
  let nextId = 1;
  let nextListen = 1;
  let health: DbHealth = { up: true, since: new Date().toISOString() };
  let dead: Error | null = null;
  let closed = false;

  const die = (why: Error) => {
    if (dead) return;
    dead = why;
    if (!closed) health = { up: false, since: new Date().toISOString() };
    for (const p of pending.values()) p.reject(connectionError(why));
    pending.clear();
  };

  await new Promise<void>((ready, failed) => {
    const early = (e: unknown) => failed(e instanceof Error ? e : new Error(String(e)));
    worker.once('error', early);
    worker.once('exit', (code) => early(new Error(`PGlite thread exited with ${code} before it was ready`)));
    worker.on('message', function first(m: FromWorker) {
      if (m.t !== 'ready' && m.t !== 'fail') return;
      worker.off('message', first);
      worker.off('error', early);
      worker.removeAllListeners('exit');
      if (m.t === 'fail') {
        void worker.terminate();
        failed(toError(m.error));
      } else ready();
    });
  });

  const onMessage = (m: FromWorker) => {
    if (m.t === 'r') {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(toError(m.error));
    } else if (m.t === 'n') {
      listeners.get(m.lid)?.(m.payload);
    }
  };
  const onError = (e: Error) => die(e);
  const onExit = (code: number) => die(new Error(`PGlite thread exited with ${code}`));
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);

  const call = <T>(m: Request): Promise<T> => {
    if (dead) return Promise.reject(connectionError(dead));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        worker.postMessage({ ...m, id } as ToWorker);
      } catch (e) {
        // a parameter that cannot cross threads (a function, a symbol): the caller's bug
        pending.delete(id);
        reject(new DbStatementError(e instanceof Error ? e.message : String(e), {}, e));
      }
    });
  };

  const on = (tx?: number): DbTx => ({
    query: <T>(sql: string, params?: unknown[]) =>
      call<QueryResult<T>>({
        t: 'q',
        sql,
        ...(params !== undefined ? { params } : {}),
        ...(tx !== undefined ? { tx } : {}),
      }),
    exec: (sql: string) => call<void>({ t: 'x', sql, ...(tx !== undefined ? { tx } : {}) }),
  });
  const direct = on();
  // Callers holding or queued for the thread's one connection: a whole transaction counts once, from BEGIN
  // to its end; a statement outside one until it is answered (/metrics' db_pool_in_use and db_pool_waiting).
  let active = 0;
  const counted = async <T>(work: () => Promise<T>): Promise<T> => {
    active++;
    try {
      return await work();
    } finally {
      active--;
    }
  };

  return {
    kind: 'pglite',
    health: () => health,
    pool: () => ({ inUse: Math.min(active, 1), waiting: Math.max(active - 1, 0) }),
    query: <T>(sql: string, params?: unknown[]) => counted(() => direct.query<T>(sql, params)),
    exec: (sql: string) => counted(() => direct.exec(sql)),
    transaction: <T>(fn: (tx: DbTx) => Promise<T>): Promise<T> =>
      counted(async () => {
        const tx = await call<number>({ t: 'begin' });
        let result: T;
        try {
          result = await fn(on(tx));
        } catch (e) {
          await call({ t: 'end', tx, commit: false }).catch(() => {});
          throw e;
        }
        await call({ t: 'end', tx, commit: true });
        return result;
      }),
    async listen(channel, onPayload) {
      const lid = nextListen++;
      listeners.set(lid, onPayload);
      try {
        await call({ t: 'listen', lid, channel });
      } catch (e) {
        listeners.delete(lid);
        throw e;
      }
      return async () => {
        listeners.delete(lid);
        if (!closed && !dead) await call({ t: 'unlisten', lid });
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      if (dead) return;
      try {
        await call({ t: 'close' }); // the data folder is closed and flushed
      } catch (e) {
        await worker.terminate();
        throw e;
      }
      if (!pool) return void (await worker.terminate());
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      // this Db is done with the thread: a call made during or after close() is refused here, as one to an ended
      // thread is, instead of waiting for a reply that never comes or reaching the next database the thread opens
      die(new Error('PGlite database closed'));
      pool.park(thread, worker);
    },
  };
};
