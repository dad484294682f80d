/**
 * A fixed-window counter per key (a client address, IP + identifier …), in memory. Pure (the time comes in):
 * used by the local stack (supabase/local/rateLimit.ts re-exports it) and the hosted `client-logs` function.
 */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export class RateLimiter {
  private hits = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** Counts one attempt; false when the key is over its limit for the current window. */
  take(key: string, now = Date.now()): boolean {
    if (this.hits.size > 10_000) {
      for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
    }
    const cur = this.hits.get(key);
    if (!cur || cur.resetAt <= now) {
      this.hits.set(key, { count: 1, resetAt: now + this.limit.windowMs });
      return this.limit.max >= 1;
    }
    cur.count += 1;
    return cur.count <= this.limit.max;
  }

  /** True when the key has used up its attempts in the current window (does not count one). */
  blocked(key: string, now = Date.now()): boolean {
    const cur = this.hits.get(key);
    return !!cur && cur.resetAt > now && cur.count >= this.limit.max;
  }

  /** When the key's current window ends (epoch ms); `now` when it has none. */
  resetAtMs(key: string, now = Date.now()): number {
    const cur = this.hits.get(key);
    return cur && cur.resetAt > now ? cur.resetAt : now;
  }

  retryAfterSeconds(key: string, now = Date.now()): number {
    const cur = this.hits.get(key);
    return cur ? Math.max(1, Math.ceil((cur.resetAt - now) / 1000)) : 1;
  }
}
