// QUEUEMED_FAKE_NOW (supabase/local/fakeClock.ts): the local stack's clock — and PGlite's now() with it — moved
// to a chosen time that keeps flowing; the offset is read the same way by the stack and by Playwright.
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clockOffsetFromEnv, installClockOffset } from '../../supabase/local/fakeClock';
import { migrate, openPostgres } from '../../supabase/local/db';
import { pgliteTemplate, postgresFromTemplate } from '../fixtures/dbTemplate';
import { buildIsStale, sourceStamp, STAMP_FILE } from '../../scripts/sourceStamp.mjs';

describe('fake clock for end-to-end runs at a chosen hour', () => {
  let restore = () => {};
  afterEach(() => restore());

  it('derives one offset from QUEUEMED_FAKE_NOW, or takes QUEUEMED_CLOCK_OFFSET_MS as given', () => {
    const real = Date.parse('2026-11-30T05:00:00Z');
    expect(clockOffsetFromEnv({ QUEUEMED_FAKE_NOW: '2026-11-29T22:30:00Z' }, real)).toBe(-6.5 * 3600_000);
    expect(
      clockOffsetFromEnv({ QUEUEMED_CLOCK_OFFSET_MS: '1234', QUEUEMED_FAKE_NOW: '2020-01-01' }, real),
    ).toBe(1234);
    expect(clockOffsetFromEnv({}, real)).toBe(0);
    expect(() => clockOffsetFromEnv({ QUEUEMED_FAKE_NOW: 'half past eleven' }, real)).toThrow(/ISO/);
  });

  it('moves Date.now(), new Date() and SQL now() in PGlite by the offset; explicit dates are untouched', async () => {
    const target = Date.parse('2026-11-29T22:30:00Z'); // 23:30 in Casablanca
    restore = installClockOffset(target - Date.now());
    expect(Math.abs(Date.now() - target)).toBeLessThan(60_000);
    expect(Math.abs(new Date().getTime() - target)).toBeLessThan(60_000);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date('2026-01-02T03:04:05Z').getTime()).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(new Date() instanceof Date).toBe(true);
    // from the run's shim-only template: no initdb of its own (~45 s at load 28 against a 60 s timeout)
    const db = new PGlite({ loadDataDir: pgliteTemplate('shim') });
    try {
      const { rows } = await db.query<{ local: string }>(
        `select to_char(now() at time zone 'Africa/Casablanca', 'HH24:MI') as local`,
      );
      // PGlite's own zone rules may lag; the UTC hour is what the clock decides
      const utc = await db.query<{ h: string }>(
        `select to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24') as h`,
      );
      expect(utc.rows[0]?.h).toBe('2026-11-29 22');
      expect(rows[0]?.local).toMatch(/^2[23]:3\d$/);
    } finally {
      await db.close();
    }
    restore();
    expect(Math.abs(Date.now() - target)).toBeGreaterThan(60_000);
  });

  it("on PostgreSQL, private.now() follows the stack's shifted clock and keeps flowing (not frozen)", async () => {
    const pg = await postgresFromTemplate('migrated'); // a database of its own on the run's template server
    try {
      const target = Date.parse('2026-11-29T22:30:00Z'); // 23:30 in Casablanca
      const offset = target - Date.now();
      restore = installClockOffset(offset);
      const db = await openPostgres({ url: pg.url, max: 2 }); // opened by a stack whose clock is shifted
      try {
        await migrate(db);
        const { rows } = await db.query<{ h: string; shift_ms: string }>(
          `select to_char(private.now() at time zone 'UTC', 'YYYY-MM-DD HH24') as h,
                  (extract(epoch from private.now() - now()) * 1000)::bigint::text as shift_ms`,
        );
        expect(rows[0]?.h).toBe('2026-11-29 22');
        // flowing: the server's own clock plus a fixed shift, so elapsed time counts (a frozen pin would not)
        expect(Math.abs(Number(rows[0]?.shift_ms) - offset)).toBeLessThan(1000);
        // a pinned instant (db tests) still stands still and wins over the shift
        await db.query(`insert into private.pinned_clock (at) values ('2030-01-02T03:04:05Z')`);
        const pinned = await db.query<{ at: string }>(
          `select to_char(private.now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as at`,
        );
        expect(pinned.rows[0]?.at).toBe('2030-01-02 03:04:05');
      } finally {
        await db.close();
      }
      restore();
      restore = () => {};
      // the same server through a stack on the real clock: no shift
      const real = await openPostgres({ url: pg.url, max: 1 });
      try {
        await real.query('delete from private.pinned_clock');
        const { rows } = await real.query<{ shift_ms: string }>(
          `select (extract(epoch from private.now() - now()) * 1000)::bigint::text as shift_ms`,
        );
        expect(rows[0]?.shift_ms).toBe('0');
      } finally {
        await real.close();
      }
    } finally {
      await pg.stop();
    }
  });
});

describe('npm start builds only when the sources changed (scripts/sourceStamp.mjs)', () => {
  it('is stale without a build or a stamp, fresh after stamping, stale again after a source edit', () => {
    const root = mkdtempSync(join(tmpdir(), 'qm-stamp-'));
    try {
      mkdirSync(join(root, 'src'));
      writeFileSync(join(root, 'src', 'main.tsx'), 'a');
      writeFileSync(join(root, 'index.html'), '<div id="root"></div>');
      expect(buildIsStale(root)).toBe(true); // no dist at all
      mkdirSync(join(root, 'dist'));
      writeFileSync(join(root, 'dist', 'index.html'), 'built');
      expect(buildIsStale(root)).toBe(true); // built, but not stamped
      writeFileSync(join(root, 'dist', STAMP_FILE), sourceStamp(root));
      expect(buildIsStale(root)).toBe(false);
      writeFileSync(join(root, 'src', 'main.tsx'), 'b');
      expect(buildIsStale(root)).toBe(true);
      writeFileSync(join(root, 'src', 'main.tsx'), 'a');
      expect(buildIsStale(root)).toBe(false);
      writeFileSync(join(root, 'src', 'new.ts'), 'x'); // a new file counts too
      expect(buildIsStale(root)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
