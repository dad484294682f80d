/**
 * What a client has heard of a queue's version over Realtime, for QueueService's retry loop (issue 12:
 * no give-ups, fairness across desks). After a version conflict a desk knows how many saves beat it (the
 * newest version heard minus the one it loaded: how many desks are competing) and, after the second
 * conflict, waits for the queue's next version instead of polling blindly: that commit is the moment the
 * queue row is free again and a fresh load sees everything, so the retry has a whole round trip for itself.
 */
import type { QueueChangeFeed, TurnReleaseChange } from './QueueChangeFeed';

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
   * With the waiter's arrival number `seq` (session 15) and a release that carries the line, a release wakes
   * only the waiter now first in line (or whose claim is gone): `released`; a waiter still behind others gets
   * `moved` with the version its turn now comes at (no round trip: it keeps waiting).
   * Optional: a watch without it wakes waiters on versions only.
   */
  nextTurnSignal?(
    queueId: string,
    above: number,
    releasesAbove: number,
    timeoutMs: number,
    seq?: number,
  ): Promise<TurnSignal | null>;
  /** Stops following every clinic. */
  dispose(): void;
}

/** What woke a waiter in the turn order: a newer version, or a claim that ended without a save. */
export type TurnSignal =
  | { readonly kind: 'version'; readonly version: number }
  | { readonly kind: 'released'; readonly releases: number }
  /** The line moved but others are still ahead: the turn comes with version `target` (line_version + ahead). */
  | { readonly kind: 'moved'; readonly releases: number; readonly target: number };

/**
 * What a release means to the waiter with arrival number `seq`: its turn (first in line, or its claim is gone
 * and it must claim again), or the version its turn now comes at. Without the line (an older database) or
 * without `seq`, every release is everyone's cue to check (session 14).
 */
export function turnSignalOf(change: TurnReleaseChange, seq: number | undefined): TurnSignal {
  const { releases, line, lineVersion } = change;
  if (seq === undefined || line === undefined || lineVersion == null) return { kind: 'released', releases };
  const ahead = line.indexOf(seq);
  if (ahead <= 0) return { kind: 'released', releases };
  return { kind: 'moved', releases, target: lineVersion + ahead };
}

/** `QueueVersionWatch` over the queue's change feed (supabase-js Realtime in the app, in memory in tests). */
export class FeedVersionWatch implements QueueVersionWatch {
  private readonly followed = new Map<string, () => void>();
  private readonly versions = new Map<string, number>();
  /** The newest release change heard per queue (its count only grows). */
  private readonly releases = new Map<string, TurnReleaseChange>();
  private readonly waiters = new Set<{
    queueId: string;
    above: number;
    /** Only waiters in the turn order also wake on releases (Infinity: never). */
    releasesAbove: number;
    /** The waiter's arrival number in the line (undefined: every release is its cue). */
    seq: number | undefined;
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
          if (r.releases <= (this.releases.get(r.queueId)?.releases ?? -1)) return; // late or repeated
          this.releases.set(r.queueId, r);
          for (const w of [...this.waiters])
            if (w.queueId === r.queueId && r.releases > w.releasesAbove) w.done(turnSignalOf(r, w.seq));
        },
      }),
    );
  }

  latest(queueId: string): number | null {
    return this.versions.get(queueId) ?? null;
  }

  next(queueId: string, above: number, timeoutMs: number): Promise<number | null> {
    return this.wait(queueId, above, Number.POSITIVE_INFINITY, timeoutMs, undefined).then((s) =>
      s?.kind === 'version' ? s.version : null,
    );
  }

  nextTurnSignal(
    queueId: string,
    above: number,
    releasesAbove: number,
    timeoutMs: number,
    seq?: number,
  ): Promise<TurnSignal | null> {
    return this.wait(queueId, above, releasesAbove, timeoutMs, seq);
  }

  private wait(
    queueId: string,
    above: number,
    releasesAbove: number,
    timeoutMs: number,
    seq: number | undefined,
  ): Promise<TurnSignal | null> {
    const known = this.versions.get(queueId);
    if (known !== undefined && known > above) return Promise.resolve({ kind: 'version', version: known });
    const released = this.releases.get(queueId);
    if (released !== undefined && released.releases > releasesAbove)
      return Promise.resolve(turnSignalOf(released, seq));
    return new Promise((resolve) => {
      const w = {
        queueId,
        above,
        releasesAbove,
        seq,
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
