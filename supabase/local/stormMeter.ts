/**
 * Where a queue command's time goes under contention (issue 12, `npm run bench:storm`): a QueueRepository
 * wrapper that times and counts every call the service makes (load, save, claim/release of a turn), and a
 * fetch wrapper that counts each HTTP round trip and its bytes. One meter per signed-in session; a session
 * runs one command at a time, so the difference of its meter around a command is that command's cost.
 * Bytes, round trips and attempts do not depend on how busy the machine is; milliseconds do.
 */
import type { AppError } from '../../src/services/shared/AppError';
import type { Result } from '../../src/services/shared/Result';
import type { QueueVersionWatch } from '../../src/services/queue/repositories/QueueVersionWatch';
import type {
  LoadedQueue,
  LoadScope,
  NewWalkInPatient,
  QueueRepository,
  QueueStep,
  StoredQueueEvent,
  TurnCheck,
} from '../../src/services/queue/repositories/QueueRepository';

export interface Meter {
  loads: number;
  loadMs: number;
  /** Entry rows the loads answered (a delta load answers only the rows that changed). */
  loadRows: number;
  saves: number;
  saveMs: number;
  /** Saves answered QUEUE.VERSION_CONFLICT (a lost race, or another command's turn). */
  lostRaces: number;
  claims: number;
  claimMs: number;
  releases: number;
  /**
   * The command's queue turn (issue 12): ms from its first claim to the claim that found its turn (waiting),
   * from that claim to the save or release that ended it (holding: the queue is the command's alone), and
   * the HTTP round trips made while holding it. 0 for a command that never claimed.
   */
  turnWaitMs: number;
  turnHoldMs: number;
  turnHoldRequests: number;
  /**
   * The hold by part (session 20): the claim round trip that found the turn (with its load), the client's work
   * between its answer and the save (parse, domain, decide), and the save round trip that ended it.
   */
  turnLoadMs: number;
  turnDecideMs: number;
  turnSaveMs: number;
  /** Commands (0 or 1 per command) that held a turn. */
  turns: number;
  /** HTTP requests (round trips) and their bytes: request bodies sent, response bodies received. */
  requests: number;
  bytesOut: number;
  bytesIn: number;
  /** Response bytes of get_queue calls alone. */
  loadBytesIn: number;
  /**
   * Waits on the version watch (retry pauses and turn waits, session 14) by how they ended: a newer version
   * heard, a turn claim released (queue_turn_releases), or the bound ran out (the cap: nothing woke it).
   */
  wokeByVersion: number;
  wokeByRelease: number;
  waitsHitBound: number;
  /**
   * Of those, waits in the turn order (session 15): ended by their bound (the 2 s cap or the RTT-scaled
   * bound), and releases that only re-aimed a waiter still behind others (no round trip).
   */
  turnWaitsHitBound: number;
  lineMoves: number;
}

export const newMeter = (): Meter => ({
  loads: 0,
  loadMs: 0,
  loadRows: 0,
  saves: 0,
  saveMs: 0,
  lostRaces: 0,
  claims: 0,
  claimMs: 0,
  releases: 0,
  turnWaitMs: 0,
  turnHoldMs: 0,
  turnHoldRequests: 0,
  turnLoadMs: 0,
  turnDecideMs: 0,
  turnSaveMs: 0,
  turns: 0,
  requests: 0,
  bytesOut: 0,
  bytesIn: 0,
  loadBytesIn: 0,
  wokeByVersion: 0,
  wokeByRelease: 0,
  waitsHitBound: 0,
  turnWaitsHitBound: 0,
  lineMoves: 0,
});

/** A version watch that counts how each wait ended into `m` (see Meter.waitsHitBound). */
export class MeteredVersionWatch implements QueueVersionWatch {
  constructor(
    private readonly inner: QueueVersionWatch,
    private readonly m: Meter,
  ) {}
  follow(clinicId: string): void {
    this.inner.follow(clinicId);
  }
  latest(queueId: string): number | null {
    return this.inner.latest(queueId);
  }
  async next(queueId: string, above: number, timeoutMs: number): Promise<number | null> {
    const v = await this.inner.next(queueId, above, timeoutMs);
    if (v === null) this.m.waitsHitBound++;
    else this.m.wokeByVersion++;
    return v;
  }
  get nextTurnSignal(): QueueVersionWatch['nextTurnSignal'] {
    const inner = this.inner;
    if (!inner.nextTurnSignal) return undefined;
    return async (queueId, above, releasesAbove, timeoutMs, seq) => {
      const s = await inner.nextTurnSignal!(queueId, above, releasesAbove, timeoutMs, seq);
      if (s === null) {
        this.m.waitsHitBound++;
        this.m.turnWaitsHitBound++;
      } else if (s.kind === 'released') this.m.wokeByRelease++;
      else if (s.kind === 'moved') this.m.lineMoves++;
      else this.m.wokeByVersion++;
      return s;
    };
  }
  dispose(): void {
    this.inner.dispose();
  }
}

export const meterDiff = (after: Meter, before: Meter): Meter =>
  Object.fromEntries(
    Object.entries(after).map(([k, v]) => [k, v - (before[k as keyof Meter] as number)]),
  ) as unknown as Meter;

/** A fetch for supabase-js that counts round trips and bytes into `m`. */
export function meteredFetch(m: Meter, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    m.requests++;
    const body = init?.body;
    if (typeof body === 'string') m.bytesOut += Buffer.byteLength(body);
    const res = await inner(input, init);
    const buf = await res.arrayBuffer();
    m.bytesIn += buf.byteLength;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/rpc/get_queue')) m.loadBytesIn += buf.byteLength;
    return new Response(buf, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

const since = (t: number) => performance.now() - t;

/**
 * Every held turn of the run, from all sessions (one process, one clock): when its claim that found the turn
 * was sent and when its save was answered. Sorted by start, the gap between one turn's end and the next one's
 * start is the hand-off (the next desk hears the version over Realtime and sends its claim); the bench clears
 * it before each scenario.
 */
export const heldTurns: { start: number; end: number }[] = [];

export class MeteredQueueRepository implements QueueRepository {
  /** The running command's turn (a session runs one command at a time): first claim, turn found, requests then. */
  private firstClaimAt: number | null = null;
  private turnAt: number | null = null;
  private turnRequests = 0;
  /** When the claim that found the turn was answered, and when the save that may end it was sent. */
  private turnLoadedAt: number | null = null;
  private saveAt: number | null = null;
  readonly claimTurnAndLoad?: QueueRepository['claimTurnAndLoad'];

  constructor(
    private readonly inner: QueueRepository,
    readonly m: Meter,
    /** false: hide the one-round-trip turn check (the service claims and loads with two calls, as before). */
    oneTripTurns = true,
  ) {
    // only when the inner repository has it (the service falls back to claim + load without it)
    if (oneTripTurns && inner.claimTurnAndLoad)
      this.claimTurnAndLoad = (...a) => this.meteredClaimAndLoad(...a);
  }

  private claimed(t: number, requestsBefore: number, ahead: number | null): void {
    this.firstClaimAt ??= t;
    if (ahead === 0 && this.turnAt === null) {
      this.turnAt = t;
      this.turnRequests = requestsBefore;
    }
  }

  /** The turn ended (saved, or released): its wait and hold go to the meter. */
  private turnEnded(): void {
    if (this.turnAt !== null && this.firstClaimAt !== null) {
      this.m.turns++;
      this.m.turnWaitMs += this.turnAt - this.firstClaimAt;
      this.m.turnHoldMs += since(this.turnAt);
      this.m.turnHoldRequests += this.m.requests - this.turnRequests;
      const end = performance.now();
      if (this.turnLoadedAt !== null && this.saveAt !== null && this.saveAt >= this.turnLoadedAt) {
        this.m.turnLoadMs += this.turnLoadedAt - this.turnAt;
        this.m.turnDecideMs += this.saveAt - this.turnLoadedAt;
        this.m.turnSaveMs += end - this.saveAt;
      }
      heldTurns.push({ start: this.turnAt, end });
    }
    this.firstClaimAt = null;
    this.turnAt = null;
    this.turnLoadedAt = null;
    this.saveAt = null;
  }

  private async meteredClaimAndLoad(
    queueId: string,
    commandId: string,
    clinicId: string,
    day: string | null | undefined,
    scope: LoadScope,
  ): Promise<Result<TurnCheck, AppError>> {
    const t = performance.now();
    const before = this.m.requests;
    const r = await this.inner.claimTurnAndLoad!(queueId, commandId, clinicId, day, scope);
    this.m.claims++;
    this.claimed(t, before, r.ok ? r.value.ahead : null);
    if (r.ok && r.value.ahead === 0 && this.turnAt === t) this.turnLoadedAt = performance.now();
    if (r.ok && r.value.loaded !== null) {
      // one round trip that is a claim and a load: its time counts as the load's
      this.m.loads++;
      this.m.loadMs += since(t);
      this.m.loadRows += r.value.loaded.deltaRows ?? r.value.loaded.snapshot.entries.length;
    } else this.m.claimMs += since(t);
    return r;
  }

  async load(
    clinicId: string,
    day?: string | null,
    commandId?: string | null,
    scope?: LoadScope,
  ): Promise<Result<LoadedQueue, AppError>> {
    const t = performance.now();
    const r = await this.inner.load(clinicId, day, commandId, scope);
    this.m.loads++;
    this.m.loadMs += since(t);
    if (r.ok) this.m.loadRows += r.value.deltaRows ?? r.value.snapshot.entries.length;
    return r;
  }

  async save(step: QueueStep): Promise<Result<{ readonly version: number }, AppError>> {
    const t = performance.now();
    this.saveAt = t;
    const r = await this.inner.save(step);
    this.m.saves++;
    this.m.saveMs += since(t);
    if (!r.ok && r.error.code === 'QUEUE.VERSION_CONFLICT') this.m.lostRaces++;
    if (r.ok) this.turnEnded();
    return r;
  }

  async claimTurn(queueId: string, commandId: string): Promise<Result<number, AppError>> {
    const t = performance.now();
    const before = this.m.requests;
    const r = await this.inner.claimTurn!(queueId, commandId);
    this.m.claims++;
    this.m.claimMs += since(t);
    this.claimed(t, before, r.ok ? r.value : null);
    return r;
  }

  async releaseTurn(queueId: string, commandId: string): Promise<Result<void, AppError>> {
    this.m.releases++;
    const r = await this.inner.releaseTurn!(queueId, commandId);
    this.turnEnded();
    return r;
  }

  createWalkInPatient(
    clinicId: string,
    patient: NewWalkInPatient,
  ): Promise<Result<{ readonly patientId: string }, AppError>> {
    return this.inner.createWalkInPatient(clinicId, patient);
  }

  events(queueId: string): Promise<Result<readonly StoredQueueEvent[], AppError>> {
    return this.inner.events(queueId);
  }
}

/** CPU ms (user + system, including reaped children) of a process and all its descendants (Linux /proc). */
export async function treeCpuMs(rootPid: number): Promise<number | null> {
  const { readdir, readFile } = await import('node:fs/promises');
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const p of pids) {
    try {
      const s = await readFile(`/proc/${p}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      // fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
      stats.set(Number(p), {
        ppid: Number(f[1]),
        ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
      });
    } catch {
      // gone meanwhile
    }
  }
  if (!stats.has(rootPid)) return null;
  let ticks = 0;
  const todo = [rootPid];
  while (todo.length) {
    const pid = todo.pop() as number;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) todo.push(child);
  }
  return ticks * 10; // USER_HZ = 100 on Linux
}
