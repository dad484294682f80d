/**
 * PostgreSQL driver: a node-postgres pool from a connection URL. Each transaction gets its own pooled
 * connection, so concurrent transactions really run concurrently (what the concurrency tests need).
 */
import pg from 'pg';
import { toDbError } from './errors';
import { OID, keepText, parseInt8 } from './parsers';
import type { Db, DbTx, QueryResult } from './types';

export interface PostgresOptions {
  url: string;
  /** Pool size; default 10. */
  max?: number;
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

const wrap = (client: Queryable): DbTx => ({
  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    try {
      const r = await client.query(sql, params);
      const rows = r.rows as T[];
      return r.rowCount === null ? { rows } : { rows, affectedRows: r.rowCount };
    } catch (e) {
      throw toDbError(e);
    }
  },
  async exec(sql: string): Promise<void> {
    try {
      await client.query(sql);
    } catch (e) {
      throw toDbError(e);
    }
  },
});

export const openPostgres = async (options: PostgresOptions): Promise<Db> => {
  const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10, types });
  // Idle clients can error when the server goes away (tests stop it); keep the process alive.
  pool.on('error', () => {});
  const direct = wrap(pool);
  // Fail fast on a bad URL.
  await direct.query('select 1');
  const listeners = new Set<pg.PoolClient>();

  return {
    kind: 'postgres',
    query: (sql, params) => direct.query(sql, params),
    exec: (sql) => direct.exec(sql),
    async transaction<T>(fn: (tx: DbTx) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw toDbError(e);
      }
      const tx = wrap(client);
      let broken = false;
      try {
        await tx.exec('begin');
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
    },
    async listen(channel, onPayload) {
      const client = await pool.connect();
      listeners.add(client);
      const handler = (msg: pg.Notification) => {
        if (msg.channel === channel) onPayload(msg.payload ?? '');
      };
      client.on('notification', handler);
      const ident = '"' + channel.replace(/"/g, '""') + '"';
      try {
        await client.query(`listen ${ident}`);
      } catch (e) {
        listeners.delete(client);
        client.release(true);
        throw toDbError(e);
      }
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        client.off('notification', handler);
        listeners.delete(client);
        try {
          await client.query(`unlisten ${ident}`);
          client.release();
        } catch {
          client.release(true);
        }
      };
    },
    async close() {
      for (const c of listeners) c.release(true);
      listeners.clear();
      await pool.end();
    },
  };
};
