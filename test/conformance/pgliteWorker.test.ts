// Issue 12 item 5: PGlite off the event loop. The stack's PGlite runs in a worker thread, so a statement
// that holds the database (here pg_sleep, which blocks the thread it runs on) does not hold the stack:
// /health is answered while it runs. The order of the two answers is asserted, not a duration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installClockOffset } from '../../supabase/local/fakeClock';
import { openPgliteWorker, threadPool, type Db, type ThreadPool } from '../../supabase/local/db';
import { pgliteTemplateBytes, pgliteThread } from '../fixtures/dbTemplate';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Stack } from '../../supabase/local/stack';
import { openTestDb, startFixtureStack } from '../fixtures/localStack';

describe('PGlite in its worker thread', () => {
  let db: Db;
  let close: () => Promise<void>;
  let stack: Stack;
  beforeAll(async () => {
    ({ db, close } = await openTestDb('pglite', 1));
    stack = await startFixtureStack(db);
  }, 300_000); // opening PGlite takes half a minute or more on a busy 2-core machine
  afterAll(async () => {
    await stack?.stop();
    await close?.();
  });

  it('answers /health while a statement holds the database', async () => {
    const order: string[] = [];
    const slow = db.query('select pg_sleep(3)').then(() => order.push('statement'));
    const health = fetch(`${stack.url}/health`).then(async (r) => {
      expect(r.status).toBe(200);
      await r.text();
      order.push('health');
    });
    await Promise.all([slow, health]);
    expect(order).toEqual(['health', 'statement']);
  });

  it("moves SQL now() with the stack's clock offset (QUEUEMED_FAKE_NOW), as PGlite on the stack's thread did", async () => {
    const restore = installClockOffset(Date.parse('2030-01-02T03:04:05Z') - Date.now());
    try {
      // the thread openDb starts for npm start, on a copy of the run's empty template (not an initdb, issue 14)
      const moved = await openPgliteWorker({ loadDataDir: pgliteTemplateBytes('empty') });
      try {
        const { rows } = await moved.query<{ h: string }>(
          `select to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24') as h`,
        );
        expect(rows[0]?.h).toBe('2030-01-02 03');
      } finally {
        await moved.close();
      }
    } finally {
      restore();
    }
  }, 300_000);

  it('a parked thread opens the next database: a fresh copy with its own clock, nothing of the one before', async () => {
    const base = threadPool();
    const taken: (Worker | undefined)[] = [];
    const pool: ThreadPool = {
      take: (t) => (taken.push(base.take(t)), taken.at(-1)),
      park: (t, w) => base.park(t, w),
    };
    const thread = pgliteThread();
    const hourUtc = `select to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24') as h`;
    const restore = installClockOffset(Date.parse('2030-01-02T03:04:05Z') - Date.now());
    let first: Db;
    try {
      first = await openPgliteWorker({ loadDataDir: pgliteTemplateBytes('empty') }, thread, pool);
    } finally {
      restore();
    }
    await first.exec(`create table left_behind (x int); insert into left_behind values (1)`);
    await first.exec(`set timezone = 'Asia/Tokyo'`);
    expect((await first.query<{ h: string }>(hourUtc)).rows[0]?.h).toBe('2030-01-02 03');
    const closing = first.close();
    const duringClose = first.query('select 1'); // sent after the close: refused, never left waiting
    await closing;
    expect(taken).toEqual([undefined]); // the first open made its thread, and close() parked it
    await expect(duringClose).rejects.toThrow();

    const second = await openPgliteWorker({ loadDataDir: pgliteTemplateBytes('empty') }, thread, pool);
    try {
      expect(taken[1]).toBeDefined(); // the parked thread, not a new one
      // the closed Db refuses calls; none reaches the database its thread serves now
      await expect(first.exec('create table from_closed (x int)')).rejects.toMatchObject({ code: '08006' });
      expect(
        (await second.query<{ t: string | null }>(`select to_regclass('from_closed')::text as t`)).rows[0]?.t,
      ).toBeNull();
      const { rows } = await second.query<{ t: string | null }>(
        `select to_regclass('left_behind')::text as t`,
      );
      expect(rows[0]?.t).toBeNull();
      expect((await second.query<{ tz: string }>('show timezone')).rows[0]?.tz).not.toBe('Asia/Tokyo');
      // no offset installed for this open: the real clock, not the first open's 2030 (within an hour: a loaded
      // machine is slow, not that slow)
      const at = (await second.query<{ s: number }>(`select extract(epoch from now())::float8 as s`)).rows[0]
        ?.s;
      expect(Math.abs(at! * 1000 - Date.now())).toBeLessThan(3_600_000);
      // it works as a first open does: a transaction and a LISTEN
      await second.transaction(async (tx) => {
        await tx.exec('create table t (x int)');
        await tx.query('insert into t values ($1)', [7]);
      });
      const heard = new Promise<string>((resolve) => void second.listen('ch', resolve));
      await second.query(`select pg_notify('ch', 'hello')`);
      expect(await heard).toBe('hello');
      expect(second.health().up).toBe(true);
    } finally {
      await second.close();
    }
    // a parked thread keeps no process alive: a process that parks one ends by itself
    const dir = mkdtempSync(join(tmpdir(), 'qm-parked-'));
    try {
      writeFileSync(join(dir, 'empty.tar'), pgliteTemplateBytes('empty'));
      writeFileSync(
        join(dir, 'park.mjs'),
        `import { readFileSync } from 'node:fs';
         import { openPgliteWorker, threadPool } from ${JSON.stringify(new URL('../../supabase/local/db/pgliteWorker.ts', import.meta.url).href)};
         const loadDataDir = new Uint8Array(readFileSync(${JSON.stringify(join(dir, 'empty.tar'))}));
         const db = await openPgliteWorker({ loadDataDir }, undefined, threadPool(600_000));
         await db.query('select 1');
         await db.close();
         console.log('parked');`,
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'park.mjs')], {
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(child.stdout.trim(), child.stderr).toBe('parked');
      expect(child.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
