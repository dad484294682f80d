/**
 * Wait-time estimate for one waiting entry (DOMAIN.md "Wait time"). Pure: everything comes in through
 * `WaitTimeInput`; nothing reads the clock.
 *
 * How it works: a small simulation of the rest of the day, not "position × average".
 * - Each practitioner becomes free when their current patient is expected to finish (or at `now`), or at
 *   their session start if they have not started yet; they stop at their session end.
 * - Repeatedly, the practitioner who is free first takes the first entry in queue order that is theirs
 *   or "any" (if they serve "any") and that is present at that moment. An entry not yet arrived (a
 *   booked patient whose slot will place them ahead) is passed over until `availableFrom`, exactly as
 *   "call next" does; a practitioner with nothing to take waits for the next arrival.
 * - Nobody is called during a break or before opening: such a call waits for the next opening (a
 *   walk-in at 12:50 in a clinic closed 13:00–15:00 is called after 15:00). A visit that started before
 *   a break is finished, not cut; patients still waiting at closing time are still seen.
 * - The target's estimate is when it would be called.
 *
 * Durations: the configured expected duration of each appointment type, corrected by observed visits
 * with an exponentially weighted average (recent-first: each newer visit weighs `OBSERVED_WEIGHT`, the
 * rest decays), times a per-practitioner pace factor learned the same way (clamped to 0.5–2).
 *
 * Range (~20th–80th percentile): from the spread of observed durations around their expectation (ratio
 * quantiles; 0.8–1.3 until there are `MIN_OBSERVATIONS_FOR_SPREAD` visits), narrowed as 1/√k for k
 * visits ahead (independent durations average out), and re-simulated so breaks and arrivals still apply.
 *
 * The patient sees a rounded value (`display`): to 5 min under an hour, 10 min under two, 15 beyond;
 * "a few minutes" when it is at most 5; never a zero-width range.
 */
import { MINUTE_MS, toEpochMs } from '../../shared/models/Instant';
import type { Instant } from '../../shared/models/Instant';

export interface WaitEntry {
  readonly id: string;
  /** Assigned practitioner, or null for "any". */
  readonly practitionerId: string | null;
  readonly appointmentTypeId: string | null;
  /** The clinic's configured duration for the entry's appointment type. */
  readonly expectedDurationMinutes: number;
  /**
   * When the entry can be called. Absent/null: present now (waiting, or called but not started).
   * A booked patient who has not arrived yet: their slot time (they cannot be called before they come).
   * A booked patient whose slot has passed without them is passed over by "call next": leave them out,
   * or give the time they are expected.
   */
  readonly availableFrom?: Instant | null;
}

export interface WaitPractitioner {
  readonly id: string;
  /** Whether they take "any" entries too (default true). */
  readonly servesAnyPool?: boolean;
  /** The patient they are serving now, if any. */
  readonly current?: {
    readonly startedAt: Instant;
    readonly appointmentTypeId: string | null;
    readonly expectedDurationMinutes: number;
  } | null;
  /** Session start today; a practitioner who has not started yet begins then. */
  readonly sessionStartsAt?: Instant | null;
  /** After this they take no new patient. */
  readonly sessionEndsAt?: Instant | null;
}

export interface ObservedVisit {
  readonly practitionerId: string | null;
  readonly appointmentTypeId: string | null;
  readonly durationMinutes: number;
  /** Orders the visits: more recent ones weigh more. */
  readonly finishedAt: Instant;
}

export interface WaitTimeInput {
  readonly now: Instant;
  /** The entry whose wait is estimated (usually present: no `availableFrom`). */
  readonly target: WaitEntry;
  /**
   * Every non-final entry queue order puts before the target, in that order: called (not started),
   * waiting, and booked-not-arrived entries whose slot will place them ahead (with `availableFrom`).
   * Entries of other practitioners may be included; the simulation ignores what does not concern the
   * target's pool.
   */
  readonly ahead: readonly WaitEntry[];
  /** The practitioners working today (those who are not cannot serve anyone). */
  readonly practitioners: readonly WaitPractitioner[];
  /** Today's opening intervals (e.g. `WorkingHours.intervalsOn`); omitted means no breaks. */
  readonly workingIntervals?: readonly { readonly start: Instant; readonly end: Instant }[];
  /** Recent real visit durations (any order). */
  readonly observed?: readonly ObservedVisit[];
}

export type WaitDisplay =
  | { readonly kind: 'soon' }
  | { readonly kind: 'minutes'; readonly minutes: number; readonly low: number; readonly high: number }
  | { readonly kind: 'unknown' };

export interface WaitEstimate {
  /** `unknown`: nobody working today (in session) serves the target's pool. */
  readonly kind: 'estimate' | 'unknown';
  /** Unrounded minutes until called (central, ~20th, ~80th percentile); 0 when unknown. */
  readonly minutes: number;
  readonly lowMinutes: number;
  readonly highMinutes: number;
  /** ISO-8601 UTC of the expected call, null when unknown. */
  readonly expectedCallAt: string | null;
  /** Visits (including the ones in progress) that will be served by the target's practitioner first. */
  readonly visitsBefore: number;
  /** What the patient sees; feed it to `formatWaitForPatient`. */
  readonly display: WaitDisplay;
}

export const OBSERVED_WEIGHT = 0.3;
export const MIN_OBSERVATIONS_FOR_SPREAD = 5;
export const DEFAULT_SPREAD = { low: 0.8, high: 1.3 } as const;
const PACE_MIN = 0.5;
const PACE_MAX = 2;
/** An overdue visit is assumed to need this share of its expected duration more (at least 1 min). */
const OVERDUE_REMAINING_SHARE = 0.1;
const TYPE_ANY = '\u0000no-type';

const typeKey = (t: string | null) => t ?? TYPE_ANY;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Exponentially weighted average, oldest first: each newer value weighs `OBSERVED_WEIGHT`. */
const ewma = (prior: number, values: readonly number[]) =>
  values.reduce((est, v) => OBSERVED_WEIGHT * v + (1 - OBSERVED_WEIGHT) * est, prior);

const quantile = (sorted: readonly number[], q: number): number => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
};

/** Learned durations: per-type corrected average and per-practitioner pace. */
export class DurationModel {
  private constructor(
    private readonly byType: ReadonlyMap<string, readonly number[]>,
    private readonly pace: ReadonlyMap<string, number>,
    /** Ratios observed / expected, sorted, for the spread. */
    private readonly ratios: readonly number[],
  ) {}

  static learn(observed: readonly ObservedVisit[]): DurationModel {
    const visits = observed
      .filter((v) => Number.isFinite(v.durationMinutes) && v.durationMinutes > 0)
      .map((v) => ({ ...v, at: toEpochMs(v.finishedAt) }))
      .sort((a, b) => a.at - b.at);
    const byType = new Map<string, number[]>();
    for (const v of visits) {
      const k = typeKey(v.appointmentTypeId);
      byType.set(k, [...(byType.get(k) ?? []), v.durationMinutes]);
    }
    // the type's plain mean is the yardstick a practitioner's pace is measured against
    const typeMean = new Map([...byType].map(([k, xs]) => [k, xs.reduce((a, b) => a + b, 0) / xs.length]));
    const paceRatios = new Map<string, number[]>();
    for (const v of visits) {
      if (v.practitionerId === null) continue;
      const ratio = v.durationMinutes / (typeMean.get(typeKey(v.appointmentTypeId)) as number);
      paceRatios.set(v.practitionerId, [...(paceRatios.get(v.practitionerId) ?? []), ratio]);
    }
    // Relative pace: normalized so that the practitioners' visit-weighted average is 1, so a type's
    // correction and a practitioner's pace never count the same slowness twice.
    const raw = [...paceRatios].map(([p, rs]) => ({ p, pace: ewma(1, rs), n: rs.length }));
    const totalVisits = raw.reduce((a, r) => a + r.n, 0);
    const mean = raw.reduce((a, r) => a + r.pace * r.n, 0) / (totalVisits || 1);
    const pace = new Map(raw.map((r) => [r.p, clamp(r.pace / mean, PACE_MIN, PACE_MAX)]));
    const partial = new DurationModel(byType, pace, []);
    const ratios = visits
      .map(
        (v) =>
          v.durationMinutes /
          partial.typeMinutes(v.appointmentTypeId, typeMean.get(typeKey(v.appointmentTypeId)) as number) /
          partial.paceOf(v.practitionerId),
      )
      .sort((a, b) => a - b);
    return new DurationModel(byType, pace, ratios);
  }

  /** The type's expected minutes: the configured value corrected by observed visits (recent first). */
  typeMinutes(appointmentTypeId: string | null, configuredMinutes: number): number {
    const prior = Number.isFinite(configuredMinutes) && configuredMinutes > 0 ? configuredMinutes : 0;
    return ewma(prior, this.byType.get(typeKey(appointmentTypeId)) ?? []);
  }

  /** The practitioner's pace factor (1 = average; 1.2 = takes 20 % longer). */
  paceOf(practitionerId: string | null): number {
    return practitionerId === null ? 1 : (this.pace.get(practitionerId) ?? 1);
  }

  expectedMinutes(
    appointmentTypeId: string | null,
    configuredMinutes: number,
    practitionerId: string | null,
  ): number {
    return this.typeMinutes(appointmentTypeId, configuredMinutes) * this.paceOf(practitionerId);
  }

  /** ~20th and ~80th percentile of actual / expected for one visit. */
  spread(): { low: number; high: number } {
    if (this.ratios.length < MIN_OBSERVATIONS_FOR_SPREAD) return DEFAULT_SPREAD;
    return { low: Math.min(1, quantile(this.ratios, 0.2)), high: Math.max(1, quantile(this.ratios, 0.8)) };
  }
}

interface SimOutcome {
  readonly callAtMs: number | null;
  readonly visitsBefore: number;
}

/** Runs the day forward with every duration multiplied by `factor`. */
const simulate = (input: WaitTimeInput, model: DurationModel, factor: number): SimOutcome => {
  const now = toEpochMs(input.now);
  const intervals = (input.workingIntervals ?? [])
    .map((i) => ({ start: toEpochMs(i.start), end: toEpochMs(i.end) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  /**
   * The first moment ≥ t at which a patient can be called: inside a working interval, or after the
   * last one (patients still waiting at closing time are seen; only breaks stop the calls).
   */
  const open = (t: number): number => {
    for (const i of intervals) if (t < i.end) return Math.max(t, i.start);
    return t;
  };

  const pracs = input.practitioners.map((p) => {
    let freeAt = Math.max(now, p.sessionStartsAt == null ? now : toEpochMs(p.sessionStartsAt));
    let busy = 0;
    if (p.current != null) {
      const expected =
        model.expectedMinutes(p.current.appointmentTypeId, p.current.expectedDurationMinutes, p.id) * factor;
      const elapsed = (now - toEpochMs(p.current.startedAt)) / MINUTE_MS;
      const remaining = Math.max(expected - elapsed, Math.max(1, expected * OVERDUE_REMAINING_SHARE));
      freeAt = Math.max(freeAt, now + remaining * MINUTE_MS);
      busy = 1;
    }
    return {
      id: p.id,
      servesAny: p.servesAnyPool ?? true,
      endsAt: p.sessionEndsAt == null ? Number.POSITIVE_INFINITY : toEpochMs(p.sessionEndsAt),
      freeAt,
      served: busy,
      active: true,
    };
  });
  const queue = [...input.ahead, input.target].map((e) => ({
    entry: e,
    from: e.availableFrom == null ? now : Math.max(now, toEpochMs(e.availableFrom)),
    done: false,
  }));
  const isTarget = (e: WaitEntry) => e === input.target;

  // Each turn serves an entry, retires a practitioner, or idles one until a later arrival: bounded.
  const maxTurns = 2 * (queue.length + 1) * (pracs.length + 1) + 10;
  for (let turn = 0; turn < maxTurns; turn++) {
    const active = pracs
      .filter((p) => p.active)
      .sort((a, b) => a.freeAt - b.freeAt || a.id.localeCompare(b.id));
    const p = active[0];
    if (p === undefined) break;
    const t = open(p.freeAt);
    if (t >= p.endsAt) {
      p.active = false;
      continue;
    }
    const mine = queue.filter(
      (q) => !q.done && (q.entry.practitionerId === p.id || (q.entry.practitionerId === null && p.servesAny)),
    );
    if (mine.length === 0) {
      p.active = false;
      continue;
    }
    const next = mine.find((q) => q.from <= t);
    if (next === undefined) {
      p.freeAt = Math.min(...mine.map((q) => q.from)); // idle until the next one arrives
      continue;
    }
    if (isTarget(next.entry)) return { callAtMs: t, visitsBefore: p.served };
    next.done = true;
    p.served += 1;
    const minutes = model.expectedMinutes(
      next.entry.appointmentTypeId,
      next.entry.expectedDurationMinutes,
      p.id,
    );
    p.freeAt = t + minutes * factor * MINUTE_MS;
  }
  return { callAtMs: null, visitsBefore: 0 };
};

const stepFor = (minutes: number) => (minutes < 60 ? 5 : minutes < 120 ? 10 : 15);

/** Rounds for display: never false precision, never a zero-width range. */
export const roundForDisplay = (minutes: number, low: number, high: number): WaitDisplay => {
  if (high <= 5) return { kind: 'soon' };
  const step = stepFor(minutes);
  const m = Math.max(0, Math.round(minutes / step) * step);
  const lo = Math.min(m, Math.max(0, Math.floor(low / step) * step));
  let hi = Math.max(m, Math.ceil(high / step) * step);
  if (hi === lo) hi = lo + step;
  return { kind: 'minutes', minutes: m, low: lo, high: hi };
};

const UNKNOWN: WaitEstimate = Object.freeze<WaitEstimate>({
  kind: 'unknown',
  minutes: 0,
  lowMinutes: 0,
  highMinutes: 0,
  expectedCallAt: null,
  visitsBefore: 0,
  display: { kind: 'unknown' },
});

export const estimateWaitTime = (input: WaitTimeInput): WaitEstimate => {
  const model = DurationModel.learn(input.observed ?? []);
  const now = toEpochMs(input.now);
  const central = simulate(input, model, 1);
  if (central.callAtMs === null) return UNKNOWN;
  const { low, high } = model.spread();
  const k = Math.max(1, central.visitsBefore);
  const narrow = (q: number) => 1 + (q - 1) / Math.sqrt(k);
  const lowSim = simulate(input, model, narrow(low));
  const highSim = simulate(input, model, narrow(high));
  const minutes = (central.callAtMs - now) / MINUTE_MS;
  const lowMinutes = Math.min(
    minutes,
    lowSim.callAtMs === null ? minutes : (lowSim.callAtMs - now) / MINUTE_MS,
  );
  // slower visits can push the call past a session's end: then widen the central estimate instead
  const highMinutes = Math.max(
    minutes,
    highSim.callAtMs === null ? minutes * narrow(high) : (highSim.callAtMs - now) / MINUTE_MS,
  );
  return Object.freeze({
    kind: 'estimate',
    minutes,
    lowMinutes,
    highMinutes,
    expectedCallAt: new Date(central.callAtMs).toISOString(),
    visitsBefore: central.visitsBefore,
    display: roundForDisplay(minutes, lowMinutes, highMinutes),
  });
};

type Lang = 'ar' | 'fr' | 'en';
const WORDS: Record<Lang, { about: string; min: string; soon: string; unknown: string }> = {
  en: { about: 'about', min: 'min', soon: 'a few minutes', unknown: 'not known yet' },
  fr: { about: 'environ', min: 'min', soon: 'quelques minutes', unknown: 'pas encore connue' },
  ar: { about: 'حوالي', min: 'دقيقة', soon: 'بضع دقائق', unknown: 'غير معروفة بعد' },
};

/**
 * The patient-facing phrase, e.g. "about 25 min (20–35)", "environ 25 min (20–35)",
 * "حوالي 25 دقيقة (20–35)". `gsm: true` uses a plain hyphen so a French/English SMS stays GSM-7.
 */
export const formatWaitForPatient = (
  display: WaitDisplay,
  language: Lang,
  options: { gsm?: boolean } = {},
): string => {
  const w = WORDS[language];
  if (display.kind === 'soon') return w.soon;
  if (display.kind === 'unknown') return w.unknown;
  const dash = options.gsm ? '-' : '–';
  return `${w.about} ${display.minutes} ${w.min} (${display.low}${dash}${display.high})`;
};

export interface AccuracyPair {
  readonly estimatedMinutes: number;
  readonly lowMinutes: number;
  readonly highMinutes: number;
  readonly actualMinutes: number;
}

export interface EstimateAccuracy {
  readonly count: number;
  /** Mean |actual − estimated|, minutes; null without data. */
  readonly meanAbsoluteErrorMinutes: number | null;
  /** Mean (actual − estimated): positive means patients waited longer than told. */
  readonly meanBiasMinutes: number | null;
  /** Share of visits whose actual wait fell inside the shown range (0–1). */
  readonly withinRangeShare: number | null;
}

/** How accurate past estimates were ("staff see how accurate yesterday's estimates were"). */
export const estimateAccuracy = (pairs: readonly AccuracyPair[]): EstimateAccuracy => {
  const valid = pairs.filter((p) =>
    [p.estimatedMinutes, p.lowMinutes, p.highMinutes, p.actualMinutes].every(Number.isFinite),
  );
  if (valid.length === 0) {
    return { count: 0, meanAbsoluteErrorMinutes: null, meanBiasMinutes: null, withinRangeShare: null };
  }
  const n = valid.length;
  const sum = (f: (p: AccuracyPair) => number) => valid.reduce((a, p) => a + f(p), 0);
  return {
    count: n,
    meanAbsoluteErrorMinutes: sum((p) => Math.abs(p.actualMinutes - p.estimatedMinutes)) / n,
    meanBiasMinutes: sum((p) => p.actualMinutes - p.estimatedMinutes) / n,
    withinRangeShare:
      sum((p) => (p.actualMinutes >= p.lowMinutes && p.actualMinutes <= p.highMinutes ? 1 : 0)) / n,
  };
};
