/**
 * QUEUEMED_FAKE_NOW — a test hook that moves the local stack's clock, so an end-to-end run can happen "at
 * 23:30 in Casablanca" whatever the hour on the machine.
 *
 * The clock is shifted, not frozen: `Date.now()` and `new Date()` return the real time plus a fixed offset,
 * so time still flows (JWT expiry, grace countdowns, the sweep timer), just from another starting point.
 * PGlite (Postgres in WASM) reads its clock through `Date.now()`, so `now()` in SQL moves with it: the seed,
 * the queue's local day, grace expiry and the sweep all see the pinned time. The offset comes from
 * QUEUEMED_CLOCK_OFFSET_MS when a caller has already fixed it (Playwright computes it once and gives the same
 * number to the browsers' page.clock), else from QUEUEMED_FAKE_NOW (ISO time at process start).
 *
 * With DATABASE_URL (a real PostgreSQL server) the server's now() is not ours to move: the PostgreSQL driver
 * (db/postgres.ts) hands the offset to every connection as the setting `queuemed.clock_offset_ms`, and the
 * database's clock private.now() — which every time rule reads — flows from the same shifted start
 * (migration 20261202400001). The edge functions' Deno hosts get the same offset (stack.ts hands
 * installedClockOffset() over as QUEUEMED_CLOCK_OFFSET_MS; functions/host.js shifts Date by it), so an API key's
 * identity token is signed and checked on one clock (review21). Never set either variable in production.
 */

export function clockOffsetFromEnv(env: NodeJS.ProcessEnv = process.env, realNow = Date.now()): number {
  const fixed = env.QUEUEMED_CLOCK_OFFSET_MS;
  if (fixed !== undefined && fixed !== '') {
    const n = Number(fixed);
    if (!Number.isFinite(n)) throw new Error(`QUEUEMED_CLOCK_OFFSET_MS is not a number: ${fixed}`);
    return n;
  }
  const iso = env.QUEUEMED_FAKE_NOW;
  if (iso === undefined || iso === '') return 0;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) throw new Error(`QUEUEMED_FAKE_NOW is not an ISO date-time: ${iso}`);
  return at - realNow;
}

let installed = 0;

/**
 * The offset installClockOffset put in place in this thread (0 when none). PGlite's worker thread
 * (db/pgliteWorker.ts) installs the same offset, so SQL now() there moves with the stack's clock.
 */
export const installedClockOffset = (): number => installed;

/** Replaces the global Date so that "now" is the real time + offsetMs. Returns a function that restores it. */
export function installClockOffset(offsetMs: number): () => void {
  const RealDate = globalThis.Date;
  if (offsetMs === 0) return () => {};
  const previous = installed;
  installed = offsetMs;
  const realNow = RealDate.now.bind(RealDate);
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(realNow() + offsetMs);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return realNow() + offsetMs;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
    installed = previous;
  };
}
