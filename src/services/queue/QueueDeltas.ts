/**
 * The apply-or-reload rule of a staff screen's queue over Realtime (issues 12 and 14: the change itself
 * travels with the event; no re-read of the day per change). Pure: no I/O, no clock.
 *
 * What the database sends (migration 20261209100001): every entry row a change writes carries the queue
 * version it belongs to (`queue_entries.queue_version`), and the queue row's bump to version v says how many
 * entry rows v wrote (`queues.version_entries`). Both arrive in commit order on one channel; a save writes its
 * entries before it bumps the version, so a version's rows come before its queue row.
 *
 * How the screen knows a version's set is complete: when the queue row of v arrives, the rows buffered for v
 * number exactly its count. The rule, for a screen showing version L of the queue:
 *  - queue row v < L, or v = L with nothing new: nothing to do (a duplicate, or the screen's own save, whose
 *    answer already put v in the cache);
 *  - v = L + 1 and exactly `count` rows of v buffered (count ≥ 1): apply them (the screen shows v);
 *  - v = L again with a larger count, after the screen applied L (a writer that bumps first and writes after:
 *    each later row raises the count): apply the extra rows when exactly those arrived;
 *  - v = L + 1 with no entry rows, whose queue row carries a pause or intake state that differs from the
 *    shown one (set_desk_paused / set_queue_intake: what changed is in the queue row itself): apply that
 *    state;
 *  - anything else — a gap (v > L + 1), a missing or extra row, a row that could not be read or has no
 *    version, any other version with no entry rows (the day's end, an erasure: what changed is not in a
 *    row the screen gets), a server that sends no count: reload (the caller runs one load at a time).
 * Rows of another queue (another day) are ignored; rows of versions already shown are dropped.
 */
import type { EntryChange, QueueChange, QueueControl } from './repositories/QueueChangeFeed';
import type { EntryChangeRow } from './repositories/queueEntryRow';

export type DeltaStep =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'apply';
      readonly version: number;
      readonly rows: readonly EntryChangeRow[];
      /** The day's pause and intake state after the change, when its queue row carried it. */
      readonly control?: QueueControl;
    }
  | { readonly kind: 'reload' };

/** What the screen shows now: its queue (one clinic day) and version, and its pause and intake state. */
export interface ShownQueue {
  readonly queueId: string;
  readonly version: number;
  readonly control?: QueueControl;
}

/** Do two pause/intake states differ (the same instant may be written in two forms)? */
const controlDiffers = (a: QueueControl, b: QueueControl): boolean =>
  [...a.pausedPractitionerIds].sort().join(',') !== [...b.pausedPractitionerIds].sort().join(',') ||
  (a.intakeClosedAt === null) !== (b.intakeClosedAt === null) ||
  (a.intakeClosedAt !== null &&
    b.intakeClosedAt !== null &&
    Date.parse(a.intakeClosedAt) !== Date.parse(b.intakeClosedAt));

interface Pending {
  /** Row writes received for the version (a row written twice counts twice, as the database counts). */
  writes: number;
  /** The newest write of each entry. */
  rows: Map<string, EntryChangeRow>;
  /** A row of this version could not be read. */
  broken: boolean;
}

const NONE: DeltaStep = { kind: 'none' };
const RELOAD: DeltaStep = { kind: 'reload' };
/** Versions buffered ahead of the shown one at most (a screen far behind reloads anyway). */
const MAX_PENDING_VERSIONS = 64;

export class QueueDeltas {
  private readonly pending = new Map<number, Pending>();
  private queueId: string | null = null;
  /** The version this rule last applied and the count it applied it with (null: the screen loaded it). */
  private applied: { version: number; count: number } | null = null;

  /** An entry row arrived. Buffers it; answers `reload` only when the row can never be placed. */
  entry(change: EntryChange, shown: ShownQueue | null): DeltaStep {
    if (shown === null) return NONE; // nothing shown yet: the first load brings everything
    this.follow(shown);
    if (change.queueId !== shown.queueId) return NONE; // another day's queue (a booking for tomorrow)
    if (change.version === null) return RELOAD; // a row with no version cannot be placed
    if (change.version < shown.version) return NONE; // already in what is shown
    if (this.pending.size >= MAX_PENDING_VERSIONS && !this.pending.has(change.version)) return RELOAD;
    const p = this.pending.get(change.version) ?? { writes: 0, rows: new Map(), broken: false };
    p.writes += 1;
    if (change.row === null) p.broken = true;
    else p.rows.set(change.row.id, change.row);
    this.pending.set(change.version, p);
    return NONE;
  }

  /** The queue row arrived (its version bump): apply, ignore or reload, by the rule above. */
  queue(change: QueueChange, shown: ShownQueue | null): DeltaStep {
    if (shown === null || change.queueId !== shown.queueId) return NONE;
    this.follow(shown);
    const v = change.version;
    const count = change.entryCount;
    const current = this.applied?.version === shown.version ? this.applied : null;
    if (v < shown.version) return NONE;
    if (v === shown.version) {
      // a second queue-row change of the shown version: rows written after the bump
      if (count === undefined || current === null || count <= current.count) return NONE;
      return this.take(v, count - current.count, count);
    }
    if (v > shown.version + 1 || count === undefined) return RELOAD;
    if (count === 0) return this.controlOnly(v, change.control, shown.control);
    const step = this.take(v, count, count);
    return step.kind === 'apply' && change.control ? { ...step, control: change.control } : step;
  }

  /** A next version that wrote no entry row: applied only when its queue row says what changed. */
  private controlOnly(version: number, control?: QueueControl, shown?: QueueControl): DeltaStep {
    const rowsWritten = this.pending.has(version); // rows stamped v but counted 0: not ours to guess
    if (!control || !shown || rowsWritten || !controlDiffers(control, shown)) {
      this.pending.delete(version);
      return RELOAD;
    }
    this.prune(version);
    this.applied = { version, count: 0 };
    return { kind: 'apply', version, rows: [], control };
  }

  /** The screen now shows `shown` by other means (a load, its own save): forget what it covers. */
  loaded(shown: ShownQueue): void {
    this.follow(shown);
    if (this.applied?.version !== shown.version) this.applied = null;
    this.prune(shown.version);
  }

  private take(version: number, expected: number, total: number): DeltaStep {
    const p = this.pending.get(version);
    if (p === undefined || p.broken || p.writes !== expected) {
      this.pending.delete(version);
      return RELOAD;
    }
    this.prune(version);
    this.applied = { version, count: total };
    return { kind: 'apply', version, rows: [...p.rows.values()] };
  }

  private follow(shown: ShownQueue): void {
    if (this.queueId === shown.queueId) return;
    this.queueId = shown.queueId; // a new day: nothing buffered belongs to it
    this.pending.clear();
    this.applied = null;
  }

  private prune(version: number): void {
    for (const v of this.pending.keys()) if (v <= version) this.pending.delete(v);
  }
}
