/**
 * PostgreSQL driver: a node-postgres pool from a connection URL. Each transaction gets its own pooled
 * connection, so concurrent transactions really run concurrently (what the concurrency tests need).
 *
 * It survives its database (issue 12): every connection has an 'error' handler (an unhandled one would
 * kill the process), a failure of the connection itself becomes one coded error (SQLSTATE 08006, which
 * the gateway answers with 503) instead of the server's text, a transaction whose BEGIN found a dead
 * pooled connection is retried on a fresh one (nothing was sent yet), and LISTEN runs on its own
 * connection that is re-established with backoff. `health()` says whether the database is reachable as
 * last seen: down when a connection attempt fails, up again when one succeeds.
 */
import pg from 'pg';
import { connectionError, isConnectionError, toDbError } from './errors';
import { OID, keepText, parseInt8 } from './parsers';
import { inlineParams } from './inline';
import type { BatchOptions, BatchStatement, Db, DbHealth, DbTx, ListenEvents, QueryResult } from './types';
import { installedClockOffset } from '../fakeClock';

export interface PostgresOptions {
  url: string;
  /** Pool size; default 10. */
  max?: number;
  /** Give up connecting after this long (ms); default 5000, so requests in an outage fail fast. */
  connectTimeoutMs?: number;
  /** LISTEN reconnect backoff: first delay and cap (ms); default 50 and 1000. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

const custom: Record<number, (v: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.date]: keepText,
  [OID.interval]: keepText,
};

/** Per-pool type parsers (never touches pg's global parser table). */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    const own = custom[oid];
    if (own !== undefined && format !== 'binary') return own;
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  },
};

type Queryable = Pick<pg.PoolClient, 'query'>;

const dbError = (e: unknown) => (isConnectionError(e) ? connectionError(e) : toDbError(e));

const wrap = (client: Queryable): DbTx => ({
  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    try {
      const r = await client.query(sql, params);
      const rows = r.rows as T[];
      return r.rowCount === null ? { rows } : { rows, affectedRows: r.rowCount };
    } catch (e) {
      throw dbError(e);
    }
  },
  async exec(sql: string): Promise<void> {
    try {
      await client.query(sql);
    } catch (e) {
      throw dbError(e);
    }
  },
});

const ignore = () => {};

/** A failure that proves the statement never ran (see directQuery). */
const ranNowhere = (e: unknown): boolean => {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { code?: unknown; message?: unknown };
  return (
    // SIGTERM's text only: an immediate shutdown (SIGQUIT) shares the code but may strike after a commit.
    (o.code === '57P01' && typeof o.message === 'string' && /administrator command/i.test(o.message)) ||
    (typeof o.message === 'string' &&
      /not queryable|Client has encountered a connection error/i.test(o.message))
  );
};

/** `-c queuemed.clock_offset_ms=N` as a connection startup option when this thread's clock is shifted. */
export const clockOffsetOption = (offsetMs = installedClockOffset()): { options?: string } =>
  offsetMs === 0 ? {} : { options: `-c queuemed.clock_offset_ms=${Math.round(offsetMs)}` };

export const openPostgres = async (options: PostgresOptions): Promise<Db> => {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const reconnectMinMs = options.reconnectMinMs ?? 50;
  const reconnectMaxMs = options.reconnectMaxMs ?? 1000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    types,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    // A stack running at another time (fakeClock.ts, tests only) hands its offset to every connection:
    // private.now() then flows from the same shifted start as PGlite's now() (migration 20261202400001).
    ...clockOffsetOption(),
  });
  // An idle pooled connection that dies (terminated, server restart) emits here; the pool drops it.
  pool.on('error', ignore);
  // A connection that is checked out can also die between two statements: without a listener that
  // 'error' event would be unhandled and end the process. Its statement fails on its own.
  pool.on('connect', (client) => client.on('error', ignore));

  let health: DbHealth = { up: true, since: new Date().toISOString() };
  const setUp = (up: boolean) => {
    if (health.up !== up) health = { up, since: new Date().toISOString() };
  };
  const observe = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      const r = await f();
      setUp(true);
      return r;
    } catch (e) {
      if (isConnectionError(e)) {
        setUp(false);
        throw connectionError(e);
      }
      throw e;
    }
  };

  const direct = wrap(pool);
  // Fail fast on a bad URL.
  await direct.query('select 1');
  const listeners = new Set<{ close(): Promise<void> }>();
  let closed = false;

  const transaction = async <T>(fn: (tx: DbTx) => Promise<T>, attempt = 1): Promise<T> => {
    const client = await observe(() => pool.connect());
    const tx = wrap(client);
    try {
      await tx.exec('begin');
    } catch (e) {
      client.release(true);
      // A pooled connection that died while idle: nothing of this transaction was sent, so a fresh
      // connection may run it (at most once per pooled connection that can be stale).
      if (isConnectionError((e as { cause?: unknown }).cause ?? e) && attempt <= (options.max ?? 10))
        return transaction(fn, attempt + 1);
      throw e;
    }
    let broken = false;
    try {
      const result = await fn(tx);
      await tx.exec('commit');
      return result;
    } catch (e) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      throw e;
    } finally {
      client.release(broken);
    }
  };

  /**
   * BEGIN, the statements and COMMIT in ONE simple-query message (one round trip). PostgreSQL runs them in
   * order and stops at the first error, leaving the transaction aborted: it is rolled back here and the
   * error re-thrown, so nothing of it stays. Not retried on a connection failure (the statements may have
   * run): the caller answers 503 and the client's own at-most-once recovery applies.
   */
  const batch = async (
    statements: readonly BatchStatement[],
    opts: BatchOptions = {},
  ): Promise<QueryResult<Record<string, unknown>>[] | null> => {
    const parts: string[] = [];
    for (const st of statements) {
      const text = inlineParams(st.sql, st.params ?? []);
      if (text === null) return null;
      parts.push(text);
    }
    const client = await observe(() => pool.connect());
    let broken = false;
    try {
      const text = `begin${opts.readOnly ? ' read only' : ''};\n${parts.join(';\n')};\n${opts.rollback ? 'rollback' : 'commit'}`;
      const res = (await client.query(text)) as unknown as pg.QueryResult[];
      setUp(true);
      return res.slice(1, 1 + statements.length).map((r) => {
        const rows = r.rows as Record<string, unknown>[];
        return r.rowCount === null ? { rows } : { rows, affectedRows: r.rowCount };
      });
    } catch (e) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      if (isConnectionError(e)) {
        setUp(false);
        throw connectionError(e);
      }
      throw toDbError(e);
    } finally {
      client.release(broken);
    }
  };

  /**
   * A statement outside a transaction, run again on a fresh connection when its pooled connection turned
   * out dead before the statement ran: the server answered it with admin_shutdown (57P01: the backend had
   * been terminated — pg_terminate_backend, a fast shutdown — and takes that only at an interrupt check, so
   * a committed statement's result would have reached us first) or node-postgres refused to send it on a
   * connection it already knew was broken. A pooled connection can die while idle and still be handed out
   * before its socket reports it; without this the first request after a connection drop failed with 503
   * although the database was up. Network failures mid-statement (reset, timeout) are NOT retried: the
   * statement may have run. At most one attempt per pooled connection that can be stale.
   */
  const directQuery = async <T>(
    sql: string,
    params: unknown[] | undefined,
    attempt = 1,
  ): Promise<QueryResult<T>> => {
    try {
      return await direct.query<T>(sql, params);
    } catch (e) {
      if (ranNowhere((e as { cause?: unknown }).cause ?? e) && attempt <= (options.max ?? 10))
        return directQuery(sql, params, attempt + 1);
      throw e;
    }
  };

  return {
    kind: 'postgres',
    batch,
    query: (sql, params) => observe(() => directQuery(sql, params)),
    exec: (sql) => observe(() => direct.exec(sql)),
    transaction: (fn) => transaction(fn),
    health: () => health,
    // LISTEN connections are separate clients, not counted: only what serves requests.
    pool: () => ({ inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }),
    async listen(channel: string, onPayload: (payload: string) => void, events: ListenEvents = {}) {
      const ident = '"' + channel.replace(/"/g, '""') + '"';
      let client: pg.Client | null = null;
      let done = false;
      let delay = reconnectMinMs;
      let timer: NodeJS.Timeout | null = null;

      const connect = async (): Promise<pg.Client> => {
        const c = new pg.Client({
          connectionString: options.url,
          types,
          connectionTimeoutMillis: connectTimeoutMs,
          keepAlive: true,
        });
        c.on('error', () => lost(c));
        c.on('end', () => lost(c));
        c.on('notification', (msg: pg.Notification) => {
          if (msg.channel === channel && client === c) onPayload(msg.payload ?? '');
        });
        try {
          await c.connect();
          await c.query(`listen ${ident}`);
        } catch (e) {
          c.removeAllListeners('end');
          c.end().catch(ignore);
          throw e;
        }
        return c;
      };

      const reconnect = () => {
        timer = null;
        if (done || closed) return;
        connect().then(
          (c) => {
            if (done || closed) {
              c.end().catch(ignore);
              return;
            }
            client = c;
            delay = reconnectMinMs;
            setUp(true);
            events.onRestored?.();
          },
          () => {
            setUp(false);
            delay = Math.min(delay * 2, reconnectMaxMs);
            timer = setTimeout(reconnect, delay);
          },
        );
      };

      function lost(c: pg.Client) {
        if (client !== c) return; // an older connection, or one being closed on purpose
        client = null;
        c.end().catch(ignore);
        if (done || closed) return;
        events.onLost?.();
        // The first attempt is immediate: a terminated connection usually means the server is up.
        timer = setTimeout(reconnect, 0);
      }

      try {
        client = await connect();
      } catch (e) {
        throw dbError(e);
      }
      const handle = {
        async close() {
          if (done) return;
          done = true;
          listeners.delete(handle);
          if (timer) clearTimeout(timer);
          const c = client;
          client = null;
          if (c) await c.end().catch(ignore);
        },
      };
      listeners.add(handle);
      return () => handle.close();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const l of [...listeners]) await l.close();
      await pool.end();
    },
  };
};
