/**
 * What a client has heard of a queue's version over Realtime, for QueueService's retry loop (issue 12:
 * no give-ups, fairness across desks). After a version conflict a desk knows how many saves beat it (the
 * newest version heard minus the one it loaded: how many desks are competing) and, after the second
 * conflict, waits for the queue's next version instead of polling blindly: that commit is the moment the
 * queue row is free again and a fresh load sees everything, so the retry has a whole round trip for itself.
 */
import type { QueueChangeFeed } from './QueueChangeFeed';

export interface QueueVersionWatch {
  /** Starts following a clinic's queue (idempotent; cheap to call before every command). */
  follow(clinicId: string): void;
  /** The newest version heard for a queue (a queue is one clinic day), or null when none yet. */
  latest(queueId: string): number | null;
  /**
   * Resolves with the first version above `above` heard for the queue (at once when one already was), or
   * with null after `timeoutMs` (Realtime is late or down: the caller falls back to its pause).
   */
  next(queueId: string, above: number, timeoutMs: number): Promise<number | null>;
  /**
   * A waiter in the turn order (issue 12, session 14): resolves with the first version above `above`, or —
   * when a claim of the queue day ended without a save — with the release count heard above
   * `releasesAbove` (whichever comes first, at once when one already was), or with null after `timeoutMs`.
   * Optional: a watch without it wakes waiters on versions only.
   */
  nextTurnSignal?(
    queueId: string,
    above: number,
    releasesAbove: number,
    timeoutMs: number,
  ): Promise<TurnSignal | null>;
  /** Stops following every clinic. */
  dispose(): void;
}

/** What woke a waiter in the turn order: a newer version, or a claim that ended without a save. */
export type TurnSignal =
  | { readonly kind: 'version'; readonly version: number }
  | { readonly kind: 'released'; readonly releases: number };

/** `QueueVersionWatch` over the queue's change feed (supabase-js Realtime in the app, in memory in tests). */
export class FeedVersionWatch implements QueueVersionWatch {
  private readonly followed = new Map<string, () => void>();
  private readonly versions = new Map<string, number>();
  private readonly releases = new Map<string, number>();
  private readonly waiters = new Set<{
    queueId: string;
    above: number;
    /** Only waiters in the turn order also wake on releases (Infinity: never). */
    releasesAbove: number;
    done(s: TurnSignal | null): void;
  }>();

  constructor(
    private readonly feed: QueueChangeFeed,
    private readonly timers: {
      set(f: () => void, ms: number): unknown;
      clear(handle: unknown): void;
    } = { set: (f, ms) => setTimeout(f, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
  ) {}

  follow(clinicId: string): void {
    if (this.followed.has(clinicId)) return;
    this.followed.set(
      clinicId,
      this.feed.subscribe(clinicId, {
        onChange: (c) => {
          if (c.version <= (this.versions.get(c.queueId) ?? -1)) return; // late or repeated: keep the newest
          this.versions.set(c.queueId, c.version);
          for (const w of [...this.waiters])
            if (w.queueId === c.queueId && c.version > w.above)
              w.done({ kind: 'version', version: c.version });
        },
        onTurnReleased: (r) => {
          if (r.releases <= (this.releases.get(r.queueId) ?? -1)) return; // late or repeated
          this.releases.set(r.queueId, r.releases);
          for (const w of [...this.waiters])
            if (w.queueId === r.queueId && r.releases > w.releasesAbove)
              w.done({ kind: 'released', releases: r.releases });
        },
      }),
    );
  }

  latest(queueId: string): number | null {
    return this.versions.get(queueId) ?? null;
  }

  next(queueId: string, above: number, timeoutMs: number): Promise<number | null> {
    return this.wait(queueId, above, Number.POSITIVE_INFINITY, timeoutMs).then((s) =>
      s?.kind === 'version' ? s.version : null,
    );
  }

  nextTurnSignal(
    queueId: string,
    above: number,
    releasesAbove: number,
    timeoutMs: number,
  ): Promise<TurnSignal | null> {
    return this.wait(queueId, above, releasesAbove, timeoutMs);
  }

  private wait(
    queueId: string,
    above: number,
    releasesAbove: number,
    timeoutMs: number,
  ): Promise<TurnSignal | null> {
    const known = this.versions.get(queueId);
    if (known !== undefined && known > above) return Promise.resolve({ kind: 'version', version: known });
    const released = this.releases.get(queueId);
    if (released !== undefined && released > releasesAbove)
      return Promise.resolve({ kind: 'released', releases: released });
    return new Promise((resolve) => {
      const w = {
        queueId,
        above,
        releasesAbove,
        done: (s: TurnSignal | null) => {
          this.waiters.delete(w);
          this.timers.clear(timer);
          resolve(s);
        },
      };
      const timer = this.timers.set(() => w.done(null), Math.max(0, timeoutMs));
      this.waiters.add(w);
    });
  }

  dispose(): void {
    for (const stop of this.followed.values()) stop();
    this.followed.clear();
    for (const w of [...this.waiters]) w.done(null);
  }
}
