/** The messages between the stack and PGlite's worker thread (pgliteWorker.ts ⇄ pgliteThread.ts). */
import type { PgliteOptions } from './pglite';

export type ToWorker =
  | { t: 'q'; id: number; sql: string; params?: unknown[]; tx?: number }
  | { t: 'x'; id: number; sql: string; tx?: number }
  | { t: 'begin'; id: number }
  | { t: 'end'; id: number; tx: number; commit: boolean }
  | { t: 'listen'; id: number; lid: number; channel: string }
  | { t: 'unlisten'; id: number; lid: number }
  | { t: 'close'; id: number };

/**
 * To a parked thread (pgliteWorker.ts `ThreadPool`): open another database in this thread, as its workerData did
 * for the first one; answered with 'ready' or 'fail' like the first open.
 */
export interface OpenInThread {
  t: 'open';
  options: PgliteOptions;
  clockOffsetMs: number;
}

export interface WireError {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
  where?: string;
}

export type FromWorker =
  | { t: 'ready' }
  | { t: 'fail'; error: WireError }
  | { t: 'r'; id: number; ok: true; value: unknown }
  | { t: 'r'; id: number; ok: false; error: WireError }
  | { t: 'n'; lid: number; payload: string };
