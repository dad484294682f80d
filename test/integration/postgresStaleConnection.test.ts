// Issue 12 ("the stack survives its database"): a pooled PostgreSQL connection that was terminated while
// idle can still be handed out before its socket reports the termination. A statement sent on it is answered
// with admin_shutdown (57P01) — it never ran — so the driver runs it again on a fresh connection instead of
// failing the request with 503 while the database is up. (A clean-clone CI run failed exactly so: the first
// statement after pg_terminate_backend got "database unavailable".) Exactly once: every insert lands once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPostgres, startTempPostgres, type Db, type TempPostgres } from '../../supabase/local/db';

const POOL = 4;
const ROUNDS = 12;

describe('a statement on a pooled connection terminated while idle', () => {
  let server: TempPostgres;
  let db: Db;
  let admin: pg.Client;

  beforeAll(async () => {
    server = await startTempPostgres({ ignoreEnv: true });
    db = await openPostgres({ url: server.url, max: POOL });
    await db.exec('create table stale_probe (round int not null, n int not null)');
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await db?.close();
    await server?.stop();
  });

  it('runs again on a fresh connection, exactly once, and the database stays up', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Fill the pool: POOL connections, all idle afterwards.
      await Promise.all(Array.from({ length: POOL }, () => db.query('select pg_sleep(0.02)')));
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      // At once, before the terminated sockets are read: each statement takes a (probably dead) idle one.
      await Promise.all(
        Array.from({ length: POOL }, (_, n) =>
          db.query('insert into stale_probe (round, n) values ($1, $2)', [round, n]),
        ),
      );
    }
    const { rows } = await db.query<{ c: number; d: number }>(
      'select count(*)::int as c, count(distinct (round, n))::int as d from stale_probe',
    );
    expect(rows[0]).toEqual({ c: POOL * ROUNDS, d: POOL * ROUNDS });
    expect(db.health().up).toBe(true);
  });
});
