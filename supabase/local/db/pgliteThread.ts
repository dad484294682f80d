/**
 * PGlite's worker thread (issue 12 item 5): the embedded database runs here, not on the stack's event loop,
 * so a long statement never delays `/health`, static files or a WebSocket heartbeat. This side opens the
 * ordinary in-thread driver (pglite.ts, with its FIFO mutex, fsync and zone fixes) and serves the small
 * message protocol of pgliteWorker.ts: one request → one reply, transactions held open by id until the
 * main thread ends them, notifications pushed as they come.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { installClockOffset } from '../fakeClock';
import { openPglite, type PgliteOptions } from './pglite';
import type { DbTx } from './types';
import type { ToWorker, FromWorker, OpenInThread, WireError } from './pgliteWire';

if (!parentPort) throw new Error('pgliteThread runs as a worker thread only');
const port = parentPort;

const data = workerData as { options: PgliteOptions; clockOffsetMs: number };

/** Thrown inside a held transaction to end it with ROLLBACK. */
const ROLLBACK = Symbol('rollback');

const post = (m: FromWorker) => port.postMessage(m);

const wireError = (e: unknown): WireError => {
  const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  const text = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  return {
    message: text('message') ?? String(e),
    ...(text('code') !== undefined ? { code: text('code') } : {}),
    ...(text('detail') !== undefined ? { detail: text('detail') } : {}),
    ...(text('hint') !== undefined ? { hint: text('hint') } : {}),
    ...(text('constraint') !== undefined ? { constraint: text('constraint') } : {}),
    ...(text('where') !== undefined ? { where: text('where') } : {}),
  };
};

/**
 * Opens one database in this thread and serves it until its 'close'. A thread parked after a close (pgliteWorker.ts
 * `ThreadPool`) is asked to open the next one with an 'open' message: each database gets its own PGlite, handler,
 * transactions, LISTENs and clock offset; nothing of the previous one is left but the loaded modules.
 */
async function serve(options: PgliteOptions, clockOffsetMs: number): Promise<void> {
  const restoreClock = installClockOffset(clockOffsetMs);
  try {
    const db = await openPglite(options);
    /** Open transactions: id → the transaction's connection and how to end it. */
    const txs = new Map<number, { tx: DbTx; end(commit: boolean): void; ended: Promise<void> }>();
    const listens = new Map<number, () => Promise<void>>();
    let nextTx = 1;

    const reply = (id: number, f: () => Promise<unknown>) => {
      f().then(
        (value) => {
          try {
            post({ t: 'r', id, ok: true, value });
          } catch (e) {
            post({ t: 'r', id, ok: false, error: wireError(e) }); // a value that cannot cross threads
          }
        },
        (e: unknown) => post({ t: 'r', id, ok: false, error: wireError(e) }),
      );
    };

    const runner = (tx: number | undefined): DbTx => {
      if (tx === undefined) return db;
      const open = txs.get(tx);
      if (!open) throw new Error(`no open transaction ${tx}`);
      return open.tx;
    };

    const begin = (): Promise<number> =>
      new Promise<number>((started, failedToStart) => {
        const txId = nextTx++;
        let end!: (commit: boolean) => void;
        const decided = new Promise<boolean>((r) => (end = r));
        let began = false;
        const ended = db
          .transaction(async (tx) => {
            began = true;
            txs.set(txId, { tx, end, ended });
            started(txId);
            if (!(await decided)) throw ROLLBACK;
          })
          .catch((e: unknown) => {
            if (!began) failedToStart(e);
            if (e !== ROLLBACK) throw e;
          })
          .finally(() => txs.delete(txId));
        // `ended` is awaited by the 'end' request; keep an unobserved failure from being unhandled.
        ended.catch(() => {});
      });

    const handle = (m: ToWorker) => {
      switch (m.t) {
        case 'q':
          return reply(m.id, async () => runner(m.tx).query(m.sql, m.params));
        case 'x':
          return reply(m.id, async () => runner(m.tx).exec(m.sql));
        case 'begin':
          return reply(m.id, begin);
        case 'end':
          return reply(m.id, async () => {
            const open = txs.get(m.tx);
            if (!open) throw new Error(`no open transaction ${m.tx}`);
            open.end(m.commit);
            await open.ended;
          });
        case 'listen':
          return reply(m.id, async () => {
            const lid = m.lid;
            listens.set(lid, await db.listen(m.channel, (payload) => post({ t: 'n', lid, payload })));
            return lid;
          });
        case 'unlisten':
          return reply(m.id, async () => {
            const stop = listens.get(m.lid);
            listens.delete(m.lid);
            if (stop) await stop();
          });
        case 'close':
          // the data folder is closed and flushed; the main thread then ends this thread or parks it for the next open
          return reply(m.id, async () => {
            await db.close();
            port.off('message', handle);
            restoreClock();
          });
      }
    };
    port.on('message', handle);
    post({ t: 'ready' });
  } catch (e) {
    restoreClock();
    post({ t: 'fail', error: wireError(e) });
  }
}

port.on('message', (m: ToWorker | OpenInThread) => {
  if (m.t === 'open') void serve(m.options, m.clockOffsetMs);
});
await serve(data.options, data.clockOffsetMs);
