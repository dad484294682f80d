// Issue 12 item 5: PGlite off the event loop. The stack's PGlite runs in a worker thread, so a statement
// that holds the database (here pg_sleep, which blocks the thread it runs on) does not hold the stack:
// /health is answered while it runs. The order of the two answers is asserted, not a duration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installClockOffset } from '../../supabase/local/fakeClock';
import { openPgliteWorker, type Db } from '../../supabase/local/db';
import { pgliteTemplateBytes } from '../fixtures/dbTemplate';
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
});
