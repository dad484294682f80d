import { createHash } from 'node:crypto';
import type { Db } from './db/types.js';
import { RateLimiter, type RateLimit } from '../../src/services/shared/RateLimiter';

/** The fixed-window limiter lives in the app's shared code (the hosted client-logs function uses it too). */
export { RateLimiter, type RateLimit } from '../../src/services/shared/RateLimiter';

/** What a counted or checked attempt learned: over the limit or not, and when its window ends. */
export interface LimitAnswer {
  readonly ok: boolean;
  readonly retryAfterSeconds: number;
  /** When the key's current window ends (ms since the epoch). */
  readonly resetAtMs: number;
}

/**
 * The same fixed window, kept in the database (auth.rate_limits, shim 20_rate_limits.sql) so that several
 * stack processes on one PostgreSQL share it (issue 12: per-process limits let N processes allow N times the
 * guesses). One statement per attempt; keys are hashed (no email or phone number is stored); `now` is the
 * process's clock, as the in-memory limiter's was.
 */
export class DbRateLimiter {
  private takes = 0;

  constructor(
    private readonly db: Db,
    private readonly scope: string,
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  private key(key: string): string {
    return createHash('sha256').update(`${this.scope}|${key}`).digest('hex');
  }

  private answer(hits: number, resetMs: number, now: number, counted: boolean): LimitAnswer {
    const ok = counted ? hits <= this.limit.max : !(resetMs > now && hits >= this.limit.max);
    return { ok, retryAfterSeconds: Math.max(1, Math.ceil((resetMs - now) / 1000)), resetAtMs: resetMs };
  }

  /** Counts one attempt; `ok` false when the key is over its limit for the current window. */
  async take(key: string): Promise<LimitAnswer> {
    const now = this.now();
    const at = new Date(now).toISOString();
    if (++this.takes % 500 === 0) {
      await this.db.query('delete from auth.rate_limits where reset_at <= $1::timestamptz', [at]);
    }
    const { rows } = await this.db.query<{ hits: number; reset_ms: string | number }>(
      `insert into auth.rate_limits as r (key, hits, reset_at)
       values ($1, 1, $2::timestamptz + make_interval(secs => $3::float8 / 1000))
       on conflict (key) do update set
         hits = case when r.reset_at <= $2::timestamptz then 1 else r.hits + 1 end,
         reset_at = case when r.reset_at <= $2::timestamptz then excluded.reset_at else r.reset_at end
       returning hits, (extract(epoch from reset_at) * 1000)::float8 as reset_ms`,
      [this.key(key), at, this.limit.windowMs],
    );
    const row = rows[0];
    if (!row) throw new Error('rate limit: no row');
    if (this.limit.max < 1) return { ok: false, retryAfterSeconds: 1, resetAtMs: Number(row.reset_ms) };
    return this.answer(row.hits, Number(row.reset_ms), now, true);
  }

  /**
   * Gives back one attempt that `take` reserved in the window ending at `resetAtMs` (sec21: a limit that counts
   * before the call, so a parallel burst cannot pass the check N times, returns the attempts that turned out not to
   * count). Nothing happens when that window has ended or been replaced, or nothing is left to give back.
   */
  async giveBack(key: string, resetAtMs: number): Promise<void> {
    await this.db.query(
      `update auth.rate_limits set hits = hits - 1
        where key = $1 and hits > 0
          and abs(extract(epoch from reset_at) * 1000 - $2::float8) < 1`,
      [this.key(key), resetAtMs],
    );
  }

  /** Forgets the key's attempts (a new code was sent, or the right one was given). */
  async reset(key: string): Promise<void> {
    await this.db.query('delete from auth.rate_limits where key = $1', [this.key(key)]);
  }

  /** `ok` false when the key has used up its attempts in the current window (does not count one). */
  async check(key: string): Promise<LimitAnswer> {
    const now = this.now();
    const { rows } = await this.db.query<{ hits: number; reset_ms: string | number }>(
      `select hits, (extract(epoch from reset_at) * 1000)::float8 as reset_ms from auth.rate_limits where key = $1`,
      [this.key(key)],
    );
    const row = rows[0];
    return row
      ? this.answer(row.hits, Number(row.reset_ms), now, false)
      : { ok: true, retryAfterSeconds: 1, resetAtMs: now };
  }

  /** Whether the key has a window that has not ended yet (a mark, or attempts counted in it). */
  async active(key: string): Promise<boolean> {
    const { rows } = await this.db.query<{ n: number }>(
      'select count(*)::int as n from auth.rate_limits where key = $1 and reset_at > $2::timestamptz',
      [this.key(key), new Date(this.now()).toISOString()],
    );
    return (rows[0]?.n ?? 0) > 0;
  }

  /** Marks the key until `untilMs` (ms since the epoch), e.g. "already counted in another key's window". */
  async mark(key: string, untilMs: number): Promise<void> {
    await this.db.query(
      `insert into auth.rate_limits as r (key, hits, reset_at) values ($1, 1, $2::timestamptz)
       on conflict (key) do update set hits = 1, reset_at = excluded.reset_at`,
      [this.key(key), new Date(untilMs).toISOString()],
    );
  }
}

/** Masks a phone number for logs and the outbox: `+2126•••••78`. Never log a full number. */
export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '');
  if (d.length <= 4) return '•'.repeat(d.length);
  return `+${d.slice(0, 3)}${'•'.repeat(Math.max(0, d.length - 5))}${d.slice(-2)}`;
}

/** Refusals already logged in this process: hashed (scope, key, window end) — never an address or e-mail as text. */
const loggedWindows = new Set<string>();
const LOGGED_WINDOWS_MAX = 10_000;

/**
 * review22 L3: true the first time this process meets (scope, key) in the window ending at `resetAtMs`, so a refusal
 * (or a lock) is logged once per address or account and window, not once per refused request — a parallel burst of
 * 20 refused calls wrote 20 warn lines. Per process (several stack processes each log their first); bounded: past
 * 10 000 windows the memory is cleared, which at worst logs a window's line again.
 */
export function firstInWindow(scope: string, key: string, resetAtMs: number): boolean {
  const id = createHash('sha256')
    .update(`${scope}|${key}|${Math.round(resetAtMs)}`)
    .digest('base64url');
  if (loggedWindows.has(id)) return false;
  if (loggedWindows.size >= LOGGED_WINDOWS_MAX) loggedWindows.clear();
  loggedWindows.add(id);
  return true;
}

/**
 * sec25: a per-address counter on a hot read path (the tracker's get_tracker_view) that adds no round trip to it.
 * The decision is this process's own fixed window, in memory (exact, synchronous); every attempt is ALSO counted in
 * the database's shared counter (the same scope in auth.rate_limits as a DbRateLimiter) in the background, not
 * awaited, and a key that counter finds over its limit is refused here until its window ends — so several stack
 * processes on one PostgreSQL still share one allowance, a few calls late at most (issue 12's N× guesses).
 */
export class BackgroundSharedLimiter {
  /** this process's own fixed window per key (the shared in-memory counter) */
  private readonly local: RateLimiter;
  private readonly sharedBlocked = new Map<string, number>();
  private readonly shared: DbRateLimiter;

  constructor(
    db: Db,
    scope: string,
    limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    this.local = new RateLimiter(limit);
    this.shared = new DbRateLimiter(db, scope, limit, now);
  }

  /** Counts one attempt; `ok` false when the key is over its limit here or in the shared counter. */
  take(key: string): LimitAnswer {
    const now = this.now();
    if (this.sharedBlocked.size > 10_000) {
      for (const [k, until] of this.sharedBlocked) if (until <= now) this.sharedBlocked.delete(k);
    }
    const underLocal = this.local.take(key, now);
    void this.shared.take(key).then((a) => {
      if (!a.ok) this.sharedBlocked.set(key, a.resetAtMs);
    }, this.onError);
    const until = this.sharedBlocked.get(key);
    const blockedUntil = until !== undefined && until > now ? until : null;
    const ok = underLocal && blockedUntil === null;
    const resetAtMs = blockedUntil ?? this.local.resetAtMs(key, now);
    return { ok, retryAfterSeconds: Math.max(1, Math.ceil((resetAtMs - now) / 1000)), resetAtMs };
  }
}
