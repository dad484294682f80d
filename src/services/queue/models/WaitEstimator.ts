/**
 * The wait estimator (issue 16, DOMAIN.md "Wait time"): ONE pure function of the clinic's day and its
 * history, used by the dashboard (QueueService), the `estimate` CLI, the benchmark and — through its
 * output — the tracker, the board, SMS {eta} and the API. Nothing here reads the clock or does I/O.
 *
 * Input is the clinic's day exactly as the CLI reads it (docs/wait-estimates.md): `now`, the zone, the
 * configured appointment types, the practitioners with today's sessions and whom they are serving, every
 * entry not yet called, and the completed visits of earlier days and of today so far.
 *
 * What it learns from `history` (see `learnPastProfile` / `learnDurations`):
 * - visit length per appointment type: a log-normal fit with a trimmed mean and a MAD spread (robust to
 *   outliers), shrunk toward the configured minutes while there are few visits;
 * - each practitioner's pace: the mean log-residual of their visits against the type, shrunk toward 1 by
 *   empirical Bayes (the between-practitioner variance estimated from the history itself);
 * - each practitioner's usual start delay per session (first call vs. the session's start), falling back
 *   to the clinic's median for that session when the practitioner is new;
 * - overtime: how long after a session's end practitioners keep calling the patients already present;
 * - the turnover gap between one patient's finish and the next call;
 * - booked patients' no-show rate and lateness distribution (who of the not-yet-arrived will be ahead);
 * - the estimator's own past errors, by estimated wait, from a backtest on the history days: the
 *   20–80 % range is the estimate plus the empirical 20th/80th error quantiles (split conformal).
 *
 * How it predicts: one deterministic simulation of the rest of the day with every practitioner calling
 * the first present entry of their pool or "any" in QueueMed's order, honouring session starts (+ usual
 * delay), breaks, overtime for patients present at a session's end, and scheduled patients weighted by
 * their chance to arrive in time.
 */
import { MINUTE_MS, toEpochMs } from '../../shared/models/Instant';
import { compareEntries, type OrderFields } from './QueueOrder';

export type EstimatorEntryStatus = 'scheduled' | 'waiting' | 'absent';

export interface DayEntry {
  readonly id: string;
  readonly status: EstimatorEntryStatus;
  readonly kind: 'booked' | 'walk_in';
  readonly priority: 'normal' | 'urgent' | 'emergency';
  readonly practitionerId: string | null;
  readonly appointmentTypeId: string | null;
  readonly slotAt: string | null;
  readonly arrivedAt: string | null;
  readonly orderKey: number;
  /**
   * Order among equal order keys (QueueMed's QueueOrder: the order tiebreak, then the ticket number);
   * omitted: the id decides, as before.
   */
  readonly tiebreak?: number;
}

export interface DaySession {
  readonly start: string;
  readonly end: string;
}

export interface DayPractitioner {
  readonly id: string;
  readonly sessions: readonly DaySession[];
  readonly serving: null | {
    readonly entryId: string;
    readonly appointmentTypeId: string | null;
    readonly startedAt: string;
  };
}

export interface HistoryVisit {
  readonly day: string;
  readonly practitionerId: string | null;
  readonly appointmentTypeId: string | null;
  readonly kind: 'booked' | 'walk_in';
  readonly slotAt: string | null;
  readonly arrivedAt: string | null;
  readonly calledAt: string | null;
  readonly finishedAt: string | null;
  readonly noShow: boolean;
  /** Times the patient was marked absent when called (event log); omitted when unknown. */
  readonly absences?: number;
  /** Times they came back within the grace period (event log); omitted when unknown. */
  readonly returned?: number;
  /**
   * The visit was for any practitioner of the clinic (no practitioner of its own; `practitionerId` is who
   * called it). The backtest replays it in the "any" pool; omitted: unknown, replayed as that doctor's.
   */
  readonly anyDoctor?: boolean;
}

export interface ClinicDay {
  readonly now: string;
  readonly timeZone: string;
  readonly appointmentTypes: readonly { readonly id: string; readonly minutes: number }[];
  readonly practitioners: readonly DayPractitioner[];
  readonly entries: readonly DayEntry[];
  readonly history: readonly HistoryVisit[];
  /** DOMAIN.md `on_time_tolerance_minutes` (10). */
  readonly onTimeToleranceMinutes?: number;
}

export interface EntryWaitEstimate {
  readonly entryId: string;
  /**
   * Minutes from `now` to the expected call (central estimate); null: "not known" — nobody will call
   * this entry today as far as the day shows (no practitioner of its pool works any more today).
   */
  readonly minutes: number | null;
  /** ~20th and ~80th percentile of the wait, calibrated on this clinic's past errors (null with minutes). */
  readonly low: number | null;
  readonly high: number | null;
}

/** Only for benchmarks: an oracle that knows the true visit lengths (never used by the product). */
export interface DurationTruth {
  /** True minutes of `entryId` if `practitionerId` serves it. */
  readonly duration: (entryId: string, practitionerId: string) => number | undefined;
  /** True end (epoch ms) of the visit `practitionerId` is serving. */
  readonly currentEnd: (practitionerId: string) => number | undefined;
  /**
   * The durations are each visit's own (true lengths: nothing left to chance) — the default. False: they
   * are only true MEANS (the mean oracle), so the visits' spread still decides who is reached in overtime.
   */
  readonly exact?: boolean;
}

// ─── small numeric helpers ─────────────────────────────────────────────────────────────────────────

const median = (xs: readonly number[]): number =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

export const quantile = (sorted: readonly number[], q: number): number => {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
};

/** Mean of the central (1 − 2·trim) share of ascending values. */
const trimmedMeanSorted = (s: readonly number[], trim = 0.1): number => {
  const k = Math.floor(s.length * trim);
  const mid = s.slice(k, s.length - k);
  return mid.reduce((a, b) => a + b, 0) / mid.length;
};

/** Robust standard deviation: 1.4826 × median absolute deviation. */
const madSigma = (xs: readonly number[]): number => {
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
};

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
const phi = (x: number): number => {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
};

/**
 * Parsed instants of the history's strings: the backtest reads each past visit's times once per judged
 * day (session 15: Date.parse was the largest single cost of learning a clinic's 30 days).
 */
const parsed = new Map<string, number>();
const ms = (iso: string | null): number | null => {
  if (iso === null) return null;
  let t = parsed.get(iso);
  if (t === undefined) {
    t = toEpochMs(iso);
    if (parsed.size >= 200_000) parsed.clear();
    parsed.set(iso, t);
  }
  return t;
};
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// ─── time zone: local day and minute of day (Intl only; no clock) ─────────────────────────────────

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (tz: string): Intl.DateTimeFormat => {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
};

type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const intlParts = (tz: string, at: number): LocalParts => {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(at)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return p as LocalParts;
};

const HOUR_MS = 60 * MINUTE_MS;
/** The zone's offset from UTC at `at` (whole seconds, as Intl gives the local time), seconds. */
const intlOffsetSeconds = (tz: string, at: number): number => {
  const p = intlParts(tz, at);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return (asUtc - Math.floor(at / 1000) * 1000) / 1000;
};
/**
 * Per zone, the offset of each UTC hour whose first and last second have the same offset (NaN: the
 * offset changes within that hour, so each instant asks Intl). Session 15: the backtest asked Intl for
 * the local time of every past visit once per judged day (31 × 1 650 rows) — most of the CLI's first
 * line (~5 CPU-s); one Intl call per hour gives the same local times.
 */
const hourOffsets = new Map<string, Map<number, number>>();
/** The zone's offset from UTC at `at`, whole seconds (Intl's, through the hour's cache). */
const offsetSeconds = (tz: string, at: number): number => {
  let byHour = hourOffsets.get(tz);
  if (byHour === undefined) hourOffsets.set(tz, (byHour = new Map()));
  const hour = Math.floor(at / HOUR_MS);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const first = intlOffsetSeconds(tz, hour * HOUR_MS);
    offset = first === intlOffsetSeconds(tz, (hour + 1) * HOUR_MS - 1000) ? first : NaN;
    if (byHour.size >= 50_000) byHour.clear();
    byHour.set(hour, offset);
  }
  return Number.isNaN(offset) ? intlOffsetSeconds(tz, at) : offset;
};
const localParts = (tz: string, at: number): LocalParts => {
  const d = new Date(Math.floor(at / 1000) * 1000 + offsetSeconds(tz, at) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
};

/** The zone's offset from UTC at `at`, minutes. */
const offsetMinutes = (tz: string, at: number): number => Math.round(offsetSeconds(tz, at) / 60);

export const localDayOf = (tz: string, at: number): string => {
  const p = localParts(tz, at);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

const minuteOfDay = (tz: string, at: number): number => {
  const p = localParts(tz, at);
  return (p.hour % 24) * 60 + p.minute + p.second / 60;
};

/** The instant of local `minute` on local `day` (YYYY-MM-DD) in `tz`. */
const instantAt = (tz: string, day: string, minute: number): number => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d) + minute * MINUTE_MS;
  const first = guess - offsetMinutes(tz, guess) * MINUTE_MS;
  return guess - offsetMinutes(tz, first) * MINUTE_MS;
};

// ─── learned quantities ────────────────────────────────────────────────────────────────────────────

/** A session as local minutes of the day (the clinic's template, taken from today's sessions). */
export interface SessionTemplate {
  readonly start: number;
  readonly end: number;
}

export interface TypeDuration {
  /** Location and spread of log-minutes (robust), after shrinkage toward the configured minutes. */
  readonly mu: number;
  readonly sigma: number;
  readonly n: number;
}

export interface Durations {
  readonly byType: ReadonlyMap<string, TypeDuration>;
  /** Log pace per practitioner after empirical-Bayes shrinkage (0 = the type's mean). */
  readonly logPace: ReadonlyMap<string, number>;
  /** Between-practitioner variance of log pace (empirical Bayes). */
  readonly tau2: number;
  /**
   * What is still unknown about each practitioner's log pace after shrinkage (posterior variance
   * `B·σ²/n`); a practitioner not in the map is new: `tau2`. One error shared by all their visits ahead.
   */
  readonly logPaceVar?: ReadonlyMap<string, number>;
  /** Fallback spread of log-minutes. */
  readonly sigma: number;
}

/** Where a patient stands in the simulated day: what the spread of their wait's error depends on. */
export interface QueuePlace {
  /** Visits the calling practitioner makes before this one, from now (the one in progress counts). */
  readonly ahead: number;
  /** Called in a session that has not begun yet (before opening, during the break). */
  readonly waitsForStart: boolean;
  /**
   * Which part of the day decides the wait (each has its own error spread, so its own range):
   * - `session`: called in the session running now (only the visits ahead are uncertain);
   * - `opening`: waits for the practitioner's first session of the day (their start delay decides);
   * - `break`: waits for a later session (the break's end and the afternoon start delay decide);
   * - `overtime`: called after a non-final session's end (a gamble: seen before the break, or after it).
   * Omitted (older callers): `session` or `break` by `waitsForStart`.
   */
  readonly phase?: QueuePhase;
  /** The practitioner the simulation has calling this patient (omitted by older callers). */
  readonly by?: string;
  /** The patient is for any practitioner (served by whoever is free first): ranges of their own. */
  readonly anyDoctor?: boolean;
  /**
   * The part of the day's session the call falls in (`sessionPartOf`, session 16): of a `session` place,
   * which session (the first, or a later one) or `closing` — called after the LAST session's end (the
   * practitioner sees everyone present). Omitted (older callers): no part, the phase's ranges.
   */
  readonly part?: SessionPart;
  /**
   * The moment the wait is estimated at lies outside the sessions of those who can call the patient —
   * their own practitioner's, or anyone's for a patient for any doctor (review L1; before: outside every
   * session of the day) — before opening, in the break, in overtime, after the last session's end
   * (session 21). Such moments' errors have a calibration
   * of their own (`calibrate`): outside sessions a whole evening's overrun or a late start moves every wait
   * at once, so their errors grow linearly with the wait, while inside a session a wait's error is a sum
   * over the visits ahead and grows more like its square root. Omitted: inside a session.
   */
  readonly offSession?: boolean;
}

/**
 * How a calibration's errors scale with the wait they are made on (session 21, `errorScale`): `linear`,
 * m + ERROR_SCALE_FLOOR (moments outside every session; older and constructed buckets), or `sqrt`,
 * √(m + ERROR_SCALE_FLOOR) (moments inside a session, whose errors are sums over the visits ahead).
 */
export type ErrorScaleKind = 'linear' | 'sqrt';

/**
 * Where in the working day a call inside a session falls (session 16): the morning's queue (walk-in peak,
 * long lines) and the afternoon's spread differently, and a wait that runs past the last session's end
 * (hour 19: 48 % inside a range taken from the whole day's session errors) spreads most of all.
 */
export type SessionPart = 'first' | 'later' | 'closing';
export const SESSION_PARTS: readonly SessionPart[] = ['first', 'later', 'closing'];
/** The parts whose errors get calibration buckets of their own (`calibrate`). */
const CALIBRATED_PARTS: readonly SessionPart[] = ['closing'];

export type QueuePhase = 'session' | 'opening' | 'break' | 'overtime';
export const QUEUE_PHASES: readonly QueuePhase[] = ['session', 'opening', 'break', 'overtime'];
/** Phases that wait for a session's start (a phase without errors of its own borrows among these). */
const waitsForStartPhase = (p: QueuePhase) => p === 'opening' || p === 'break';
/**
 * The calibration group of a place: before opening and the break share their errors (both wait for a
 * session's start; apart, each had too few days of its own and the ranges came out too narrow). Before
 * opening's SHIFT is its own once enough days show it (`calibrate`, `shiftBucketOf`).
 */
const phaseOf = (place: Pick<QueuePlace, 'phase' | 'waitsForStart'>): QueuePhase => {
  const p = place.phase ?? (place.waitsForStart ? 'break' : 'session');
  return p === 'opening' ? 'break' : p;
};

const NO_PLACE: QueuePlace = { ahead: 0, waitsForStart: false, phase: 'session' };
const placeOf = (places: ReadonlyMap<string, QueuePlace>, id: string) => places.get(id) ?? NO_PLACE;

export interface CalibrationBucket {
  /** Errors of patients called in a session not yet begun (true) or in the current one (false). */
  readonly waitsForStart: boolean;
  /** The part of the day (QueuePlace.phase) these errors come from; omitted: by `waitsForStart`. */
  readonly phase?: QueuePhase;
  /** Patients with fewer visits ahead of them than this (the simulation's queue position) fall here. */
  readonly upTo: number;
  /** 20th and 80th percentile of (actual − estimate), minutes. */
  readonly low: number;
  readonly high: number;
  readonly n: number;
  /**
   * Distinct past days the errors come from (one late start or one long visit moves every patient of
   * that day at once, so the days, not the errors, say how well the band is known). Omitted: many.
   */
  readonly days?: number;
  /** Median |actual − estimate| in this bucket. */
  readonly medianAbsError: number;
  /**
   * Median of (actual − estimate) in this bucket: the point estimate shown is the simulation's plus this
   * (the median of the predictive distribution minimises the absolute error; the simulation adds up MEAN
   * visit lengths, and a sum of skewed lengths has its median below its mean). Omitted: 0.
   */
  readonly shift?: number;
  /**
   * A waiting-for-a-start situation's OWN errors (before opening, or waiting for a later session), kept
   * beside the pooled group those two share (session 13). Opening's buckets are always its own.
   */
  readonly own?: boolean;
  /**
   * Errors of patients for any practitioner (session 14): whoever is free first calls them, so their
   * waits spread less than a queue behind one doctor at the same depth (bench: 69 % inside the range
   * taken from everyone's errors). Omitted: everyone else's.
   */
  readonly anyDoctor?: boolean;
  /**
   * Errors of one part of the session phase (QueuePlace.part, session 16), kept beside the phase's own
   * buckets; a thin part shrinks toward them by its days (`bandOf`). Omitted: the whole phase's.
   */
  readonly part?: SessionPart;
  /**
   * The band relative to the wait it is laid around (session 18): the 20th and 80th percentile of
   * (error − shift) / `errorScale(estimate)` of this bucket's errors, so that the range around a wait of
   * m simulated minutes is `shift + errorScale(m) × [low, high]`. Omitted (older profiles, constructed
   * buckets): the absolute `low` / `high` for every wait.
   */
  readonly relative?: { readonly low: number; readonly high: number };
  /**
   * Errors of moments outside every session (QueuePlace.offSession, session 21): a calibration of their
   * own — buckets, shifts and the final widening (`PastProfile.offSessionWidening`). Omitted: inside.
   */
  readonly offSession?: boolean;
  /** How `relative` scales with the wait (`errorScale`, session 21). Omitted: `linear`. */
  readonly scale?: ErrorScaleKind;
}

/** What the history of earlier days teaches (expensive part; cache it per history). */
export interface PastProfile {
  readonly template: readonly SessionTemplate[];
  /** Start delay (minutes after the session's start of the first call) per session index. */
  readonly clinicStartDelay: readonly number[];
  readonly practitionerStartDelay: ReadonlyMap<string, readonly number[]>;
  /** Minutes after a (non-final) session's end during which present patients are still called. */
  readonly overtimeMinutes: number;
  readonly practitionerOvertime: ReadonlyMap<string, number>;
  /** Median minutes between a finish and the next call when someone was waiting. */
  readonly gapMinutes: number;
  readonly noShowRate: number;
  /** Share of patients marked absent who come back within the grace period (learned; 0.5 without data). */
  readonly absentReturnShare: number;
  /** Sorted minutes (arrival − slot) of booked patients who came. */
  readonly lateness: readonly number[];
  readonly calibration: readonly CalibrationBucket[];
  /**
   * The final split-conformal step (session 19, `rangeWidening`): every range moves each side out (or,
   * negative, in) by this many `errorScale(minutes)`, so that the ranges as shown hold 60 % of the
   * backtest's waits. Omitted (older profiles, constructed ones): 0.
   */
  readonly widening?: number;
  /**
   * The same final step for the calibration of moments outside every session (session 21: its buckets
   * carry `offSession`), in its own scale's units. Omitted (no such calibration): 0.
   */
  readonly offSessionWidening?: number;
  /** Earlier days' visit lengths, parsed. */
  readonly durations: PreparedDurations;
  /** Overall median |error| and share inside the range in the backtest (the tracker's "± N min"). */
  readonly accuracy: AccuracySummary;
  /** The same per history day (backtest), for "how accurate were yesterday's / this week's estimates". */
  readonly accuracyByDay: ReadonlyMap<string, AccuracySummary>;
}

export interface AccuracySummary {
  /** Median |actual − estimate|, minutes; null without data. */
  readonly medianAbsError: number | null;
  /** Share of actual waits inside the 20–80 % range. */
  readonly coverage: number | null;
  readonly n: number;
}

const TYPE_NONE = '\u0000none';
const tkey = (t: string | null) => t ?? TYPE_NONE;
/** Pseudo-visits of the configured minutes when learning a type's length. */
const PRIOR_VISITS = 5;
const DEFAULT_SIGMA = 0.4;
const DEFAULT_NO_SHOW = 0.1;
/** Share of absent (in grace) patients expected to come back, before the clinic's own days say otherwise. */
export const ABSENT_RETURN_SHARE = 0.5;
/** Pseudo-absences at ABSENT_RETURN_SHARE the learned share is shrunk with. */
const ABSENT_PRIOR = 4;
const MIN_CALIBRATION = 25;

const visitMinutes = (v: HistoryVisit): number | null => {
  const c = ms(v.calledAt);
  const f = ms(v.finishedAt);
  if (c === null || f === null || v.noShow) return null;
  const m = (f - c) / MINUTE_MS;
  return m > 0 && m < 24 * 60 ? m : null;
};

interface ParsedVisit {
  readonly p: string | null;
  readonly t: string;
  readonly l: number;
}

/** Log-lengths of earlier days, parsed once (part of the cached `PastProfile`). */
export interface PreparedDurations {
  readonly visits: readonly ParsedVisit[];
  /** Per type, ascending. */
  readonly logs: ReadonlyMap<string, readonly number[]>;
  readonly typeSigma: ReadonlyMap<string, number>;
  readonly pooledSigma: number;
}

const parseVisits = (history: readonly HistoryVisit[]): ParsedVisit[] => {
  const out: ParsedVisit[] = [];
  for (const v of history) {
    const m = visitMinutes(v);
    if (m !== null)
      out.push({ p: v.practitionerId, t: tkey(v.appointmentTypeId), l: Math.log(Math.max(0.5, m)) });
  }
  return out;
};

const byTypeLogs = (visits: readonly ParsedVisit[]): Map<string, number[]> => {
  const logs = new Map<string, number[]>();
  for (const v of visits) {
    let arr = logs.get(v.t);
    if (arr === undefined) logs.set(v.t, (arr = []));
    arr.push(v.l);
  }
  for (const xs of logs.values()) xs.sort((a, b) => a - b);
  return logs;
};

export const prepareDurations = (history: readonly HistoryVisit[]): PreparedDurations => {
  const visits = parseVisits(history);
  const logs = byTypeLogs(visits);
  const pooled = visits.length >= 10 ? madSigma(groupResiduals(logs)) : DEFAULT_SIGMA;
  return {
    visits,
    logs,
    typeSigma: new Map(
      [...logs].filter(([, xs]) => xs.length >= 8).map(([k, xs]) => [k, clamp(madSigma(xs), 0.1, 1.2)]),
    ),
    pooledSigma: Number.isFinite(pooled) && pooled > 0.05 ? pooled : DEFAULT_SIGMA,
  };
};

/**
 * Visit length per type (robust log-normal) and per practitioner (shrunk pace), from `history` — plus,
 * when given, the earlier days already parsed in `prepared` (then `history` holds only the other rows).
 */
/** Two ascending arrays as one (the backtest learns a day's lengths at every step: no re-sort). */
const mergeSorted = (a: readonly number[], b: readonly number[]): number[] => {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = (a[i] as number) <= (b[j] as number) ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
};

export const learnDurations = (
  history: readonly HistoryVisit[],
  types: readonly { readonly id: string; readonly minutes: number }[],
  prepared?: PreparedDurations,
): Durations => {
  const fresh = parseVisits(history);
  const visits = prepared === undefined ? fresh : [...prepared.visits, ...fresh];
  const freshLogs = byTypeLogs(fresh);
  const logs = new Map<string, number[]>();
  for (const key of new Set([...(prepared?.logs.keys() ?? []), ...freshLogs.keys()])) {
    const a = prepared?.logs.get(key) ?? [];
    const b = freshLogs.get(key) ?? [];
    logs.set(key, b.length === 0 ? [...a] : mergeSorted(a, b));
  }
  const sigma =
    prepared !== undefined && prepared.visits.length >= 10
      ? prepared.pooledSigma
      : (() => {
          const pooled = visits.length >= 10 ? madSigma(groupResiduals(logs)) : DEFAULT_SIGMA;
          return Number.isFinite(pooled) && pooled > 0.05 ? pooled : DEFAULT_SIGMA;
        })();
  const byType = new Map<string, TypeDuration>();
  const configured = new Map(types.map((t) => [tkey(t.id), t.minutes]));
  for (const key of new Set([...logs.keys(), ...configured.keys()])) {
    const xs = logs.get(key) ?? [];
    const cfg = configured.get(key);
    const s = prepared?.typeSigma.get(key) ?? (xs.length >= 8 ? clamp(madSigma(xs), 0.1, 1.2) : sigma);
    const priorMu = cfg !== undefined && cfg > 0 ? Math.log(cfg) - (s * s) / 2 : null;
    const obsMu = xs.length > 0 ? trimmedMeanSorted(xs) : null;
    const mu =
      obsMu === null
        ? (priorMu as number)
        : priorMu === null
          ? obsMu
          : (xs.length * obsMu + PRIOR_VISITS * priorMu) / (xs.length + PRIOR_VISITS);
    byType.set(key, { mu, sigma: s, n: xs.length });
  }
  // Pace: practitioner's mean residual, shrunk by B = τ² / (τ² + σ²/n).
  const res = new Map<string, number[]>();
  for (const v of visits) {
    if (v.p === null) continue;
    const td = byType.get(v.t) as TypeDuration;
    const r = clamp(v.l - td.mu, -2.5 * td.sigma, 2.5 * td.sigma);
    let arr = res.get(v.p);
    if (arr === undefined) res.set(v.p, (arr = []));
    arr.push(r);
  }
  const means = [...res].map(([p, rs]) => ({
    p,
    m: rs.reduce((a, b) => a + b, 0) / rs.length,
    n: rs.length,
  }));
  const big = means.filter((x) => x.n >= 5);
  let tau2 = 0.02;
  if (big.length >= 2) {
    const mm = big.reduce((a, x) => a + x.m, 0) / big.length;
    const between = big.reduce((a, x) => a + (x.m - mm) ** 2, 0) / (big.length - 1);
    const noise = big.reduce((a, x) => a + (sigma * sigma) / x.n, 0) / big.length;
    tau2 = Math.max(0.0025, between - noise);
  }
  const logPace = new Map(means.map((x) => [x.p, (tau2 / (tau2 + (sigma * sigma) / x.n)) * x.m]));
  const logPaceVar = new Map(
    means.map((x) => [x.p, (tau2 * ((sigma * sigma) / x.n)) / (tau2 + (sigma * sigma) / x.n)]),
  );
  return { byType, logPace, tau2, sigma, logPaceVar };
};

/** Residuals of every log-length from its type's median (for the pooled spread). */
const groupResiduals = (logs: ReadonlyMap<string, readonly number[]>): number[] => {
  const out: number[] = [];
  for (const xs of logs.values()) {
    const m = median(xs);
    for (const x of xs) out.push(x - m);
  }
  return out;
};

/** Mean minutes of a visit of `type` by `practitioner`. */
export const expectedMinutes = (d: Durations, type: string | null, practitioner: string | null): number => {
  const td = d.byType.get(tkey(type)) ?? { mu: Math.log(15) - (d.sigma * d.sigma) / 2, sigma: d.sigma, n: 0 };
  const pace = practitioner === null ? 0 : (d.logPace.get(practitioner) ?? 0);
  return Math.exp(td.mu + pace + (td.sigma * td.sigma) / 2);
};

/** Expected minutes left of a visit that has lasted `elapsed` minutes: E[D − e | D > e], log-normal. */
export const remainingMinutes = (
  d: Durations,
  type: string | null,
  practitioner: string | null,
  elapsed: number,
): number => {
  const td = d.byType.get(tkey(type)) ?? { mu: Math.log(15), sigma: d.sigma, n: 0 };
  const mu = td.mu + (practitioner === null ? 0 : (d.logPace.get(practitioner) ?? 0));
  const s = td.sigma;
  const mean = Math.exp(mu + (s * s) / 2);
  if (elapsed <= 0) return mean;
  const z = (Math.log(elapsed) - mu) / s;
  const tail = 1 - phi(z);
  if (tail < 1e-6) return Math.max(1, elapsed * 0.1);
  const condMean = (mean * phi(s - z)) / tail;
  return Math.max(0.5, condMean - elapsed);
};

/** Squared coefficient of variation of a log-normal with log-spread `sigma`: e^{σ²} − 1. */
const lognormalCv2 = (sigma: number) => Math.expm1(sigma * sigma);

/** Spread of one visit's log-minutes of `type` (the type's, else the pooled one). */
const visitSigma = (d: Durations, type: string | null): number => d.byType.get(tkey(type))?.sigma ?? d.sigma;

/**
 * Median of a sum of visit lengths whose mean is `mean` and variance `variance` (minutes, minutes²), by
 * Fenton–Wilkinson: the sum of log-normals taken as one log-normal with the same mean and variance, whose
 * median is `mean / √(1 + variance / mean²)`. A sum of right-skewed lengths is more often short than its
 * mean says.
 */
export const medianOfSum = (mean: number, variance: number): number =>
  mean <= 0 ? mean : mean / Math.sqrt(1 + Math.max(0, variance) / (mean * mean));

/** The clinic's session template: today's sessions as local minutes, merged across practitioners. */
export const sessionTemplate = (day: ClinicDay): SessionTemplate[] => {
  const spans = day.practitioners
    .flatMap((p) => p.sessions)
    .map((s) => ({
      start: minuteOfDay(day.timeZone, toEpochMs(s.start)),
      end: minuteOfDay(day.timeZone, toEpochMs(s.end)),
    }))
    .map((s) => ({ start: s.start, end: s.end <= s.start ? 24 * 60 : s.end }))
    .sort((a, b) => a.start - b.start);
  const merged: SessionTemplate[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else merged.push(s);
  }
  return merged;
};

/** Index of the template session a call at local minute `m` belongs to (30 min early counts). */
const sessionIndexOf = (template: readonly SessionTemplate[], m: number): number => {
  let idx = -1;
  for (let i = 0; i < template.length; i++) if (m >= (template[i] as SessionTemplate).start - 30) idx = i;
  return idx;
};

/** One session of a practitioner's day: first call, earliest arrival of their patients, last call. */
interface PracticeSession {
  first: number;
  arrival: number | null;
  last: number;
  /** When the visit of the last call ended. */
  lastFinish: number | null;
  start: number;
  end: number;
}

interface PracticeDay {
  /** Per session index. */
  readonly sessions: Map<number, PracticeSession>;
}

/** A patient waiting this long before a first call shows the doctor was not ready yet (not a late arrival). */
export const START_READY_SLACK = 3;

/**
 * Minutes a practitioner's first call came after a session's start, when the day shows it — or null when
 * the day only bounds it (session 12).
 *
 * One of the patients they called that session was already waiting `START_READY_SLACK` minutes before
 * their first call (or before the start): they were not idle for want of a patient, so the first call IS
 * their start, `first − start`, even when that patient came after the nominal start. (Before: `first −
 * max(start, that arrival)`, which read a 20-minute late start as 5 whenever colleagues had taken the
 * earlier "any" patients, so learned delays were too short and the break's waits too early.)
 * Their first patient was called as they came: the doctor was waiting for patients, and the day says only
 * "started by then" — not counted (it would pull the delay toward 0). Nor is a session whose first patient
 * came more than 30 minutes after its start (as before).
 */
export const startDelayOf = (s: { first: number; arrival: number | null; start: number }): number | null => {
  if (s.arrival !== null && s.arrival > s.start + 30 * MINUTE_MS) return null;
  const waitedFor =
    s.arrival === null || s.arrival <= s.start || s.arrival <= s.first - START_READY_SLACK * MINUTE_MS;
  return waitedFor ? clamp((s.first - s.start) / MINUTE_MS, -30, 120) : null;
};

/** Median minutes of the history's visits (called → finished); 15 without any. */
const typicalVisitMinutes = (history: readonly HistoryVisit[]): number => {
  const xs = history.map(visitMinutes).filter((m): m is number => m !== null);
  return xs.length > 0 ? median(xs) : 15;
};

/**
 * Where a practitioner's overtime limit lay on a day they stopped after a session's end with patients of
 * theirs still waiting (they came back after the break) — minutes after the end, or null when the day
 * does not show it (session 12).
 *
 * Their last call came before the limit and they did not call again when that visit ended, so the limit
 * lies between the two: taken halfway through that visit (at most half a typical visit before its end),
 * never before the last call. A day they finished that visit before the session's end and
 * still left patients waiting (they left early) says nothing about overtime: null.
 */
export const overtimeLimitOf = (
  s: { readonly last: number; readonly lastFinish: number | null; readonly end: number },
  typicalMinutes: number,
): number | null => {
  if (s.lastFinish === null || s.lastFinish <= s.end) return null;
  const visit = Math.max(0, s.lastFinish - s.last) / MINUTE_MS;
  const at = s.lastFinish / MINUTE_MS - Math.min(visit, typicalMinutes) / 2;
  return Math.max(0, Math.max(at, s.last / MINUTE_MS) - s.end / MINUTE_MS);
};

/** What one practitioner's day shows of their practice (`practiceDays`): per session, and the gaps. */
interface PracticeFacts {
  readonly day: string;
  readonly prac: string;
  /** Sessions they called in: index, first/last call, arrivals, last finish, the session's bounds. */
  readonly sessions: readonly {
    readonly idx: number;
    readonly s: PracticeSession;
    /** Patients of theirs who were there before this session's end waited for a later one. */
    readonly leftWaiting: boolean;
  }[];
  readonly gaps: readonly number[];
}

/**
 * Each (day, practitioner) of `history` read once: what `learnPractice` aggregates. A day's facts do not
 * depend on the other days, so the backtest, which relearns the practice without each judged day, reads
 * the history once and aggregates the other days' facts (session 17: it re-read the 30 days 31 times).
 */
const practiceDays = (
  history: readonly HistoryVisit[],
  template: readonly SessionTemplate[],
  tz: string,
): PracticeFacts[] => {
  const byDayPrac = new Map<string, HistoryVisit[]>();
  for (const v of history) {
    if (v.calledAt === null || v.practitionerId === null) continue;
    const k = `${v.day}\u0000${v.practitionerId}`;
    let arr = byDayPrac.get(k);
    if (arr === undefined) byDayPrac.set(k, (arr = []));
    arr.push(v);
  }
  const out: PracticeFacts[] = [];
  for (const [k, visits] of byDayPrac) {
    const [day, prac] = k.split('\u0000') as [string, string];
    visits.sort((a, b) => (ms(a.calledAt) as number) - (ms(b.calledAt) as number));
    const pd: PracticeDay = { sessions: new Map() };
    const sessionOf: number[] = [];
    const gaps: number[] = [];
    for (let i = 0; i < visits.length; i++) {
      const v = visits[i] as HistoryVisit;
      const c = ms(v.calledAt) as number;
      const idx = sessionIndexOf(template, minuteOfDay(tz, c));
      sessionOf.push(idx);
      if (idx < 0) continue;
      const tpl = template[idx] as SessionTemplate;
      const arr = ms(v.arrivedAt);
      const s = pd.sessions.get(idx);
      if (s === undefined) {
        pd.sessions.set(idx, {
          first: c,
          arrival: arr,
          last: c,
          lastFinish: ms(v.finishedAt),
          start: instantAt(tz, day, tpl.start),
          end: instantAt(tz, day, tpl.end),
        });
      } else {
        s.last = c;
        s.lastFinish = ms(v.finishedAt);
        if (arr !== null) s.arrival = s.arrival === null ? arr : Math.min(s.arrival, arr);
      }
      const prev = visits[i - 1];
      const pf = prev === undefined ? null : ms(prev.finishedAt);
      if (pf !== null && arr !== null && arr <= pf && c >= pf) {
        const g = (c - pf) / MINUTE_MS;
        if (g < 15) gaps.push(g);
      }
    }
    const sessions = [...pd.sessions].map(([idx, s]) => ({
      idx,
      s,
      leftWaiting:
        idx < template.length - 1 &&
        visits.some((v, i) => {
          const a = ms(v.arrivedAt);
          return (sessionOf[i] as number) > idx && a !== null && a < s.end;
        }),
    }));
    out.push({ day, prac, sessions, gaps });
  }
  return out;
};

/**
 * Start delays, overtime and gaps from the days of `history` (not today); `facts` = its `practiceDays`
 * when already read (the backtest passes the other days' facts).
 */
const learnPractice = (
  history: readonly HistoryVisit[],
  template: readonly SessionTemplate[],
  tz: string,
  facts: readonly PracticeFacts[] = practiceDays(history, template, tz),
) => {
  const delays: number[][] = template.map(() => []);
  const pracDelays = new Map<string, number[][]>();
  const overtimes: number[] = [];
  const pracOver = new Map<string, number[]>();
  /** Overtime limits of days a practitioner stopped with patients of theirs still waiting (all, and each's). */
  const stops: number[] = [];
  const pracStops = new Map<string, number[]>();
  const typical = typicalVisitMinutes(history);
  const gaps: number[] = [];
  for (const { prac, sessions, gaps: dayGaps } of facts) {
    for (const g of dayGaps) gaps.push(g);
    for (const { idx, s, leftWaiting } of sessions) {
      const delay = startDelayOf(s);
      if (delay !== null) {
        (delays[idx] as number[]).push(delay);
        let pdl = pracDelays.get(prac);
        if (pdl === undefined) pracDelays.set(prac, (pdl = template.map(() => [])));
        (pdl[idx] as number[]).push(delay);
      }
      if (idx < template.length - 1) {
        const over = Math.max(0, (s.last - s.end) / MINUTE_MS);
        overtimes.push(over);
        let po = pracOver.get(prac);
        if (po === undefined) pracOver.set(prac, (po = []));
        po.push(over);
        // patients of theirs who were there before the end waited for the next session: they stopped
        const limit = leftWaiting ? overtimeLimitOf(s, typical) : null;
        if (limit !== null) {
          stops.push(limit);
          let ps = pracStops.get(prac);
          if (ps === undefined) pracStops.set(prac, (ps = []));
          ps.push(limit);
        }
      }
    }
  }
  const clinicStartDelay = delays.map((xs) => (xs.length > 0 ? median(xs) : 0));
  const practitionerStartDelay = new Map(
    [...pracDelays].map(([p, per]) => [
      p,
      per.map((xs, i) => {
        const c = clinicStartDelay[i] as number;
        return xs.length === 0 ? c : (xs.length * median(xs) + 2 * c) / (xs.length + 2);
      }),
    ]),
  );
  // Overtime (session 12): a day's last call past the end only says "at least this long" (the queue may
  // have run out); a day they stopped with patients left says where their limit lies. The limit is the
  // median of the days they stopped; without such days, the clinic's (median of all stops) but never
  // less than they have been seen to work. No stops anywhere: as before (90th percentile of overtimes).
  const positive = overtimes.filter((o) => o > 0).sort((a, b) => a - b);
  const overtimeMinutes =
    stops.length >= 3
      ? median(stops)
      : positive.length >= 3
        ? quantile(positive, 0.9)
        : positive.length > 0
          ? Math.max(...positive)
          : 0;
  const practitionerOvertime = new Map(
    [...pracOver].map(([p, xs]) => {
      const own = pracStops.get(p) ?? [];
      const pos = xs.filter((o) => o > 0);
      const limit =
        own.length > 0
          ? median(own)
          : stops.length >= 3
            ? Math.max(overtimeMinutes, ...pos)
            : pos.length >= 2
              ? Math.max(...pos)
              : overtimeMinutes;
      return [p, limit] as const;
    }),
  );
  return {
    clinicStartDelay,
    practitionerStartDelay,
    overtimeMinutes,
    practitionerOvertime,
    gapMinutes: gaps.length > 0 ? median(gaps) : 0,
  };
};

/** No-show rate and lateness of booked patients. */
export const learnArrivals = (history: readonly HistoryVisit[]) => {
  const booked = history.filter((v) => v.kind === 'booked' && v.slotAt !== null);
  const shows = booked.filter((v) => !v.noShow && v.arrivedAt !== null);
  const lateness = shows
    .map((v) => ((ms(v.arrivedAt) as number) - (ms(v.slotAt) as number)) / MINUTE_MS)
    .sort((a, b) => a - b);
  const noShowRate =
    booked.length >= 10 ? booked.filter((v) => v.noShow).length / booked.length : DEFAULT_NO_SHOW;
  return { noShowRate, lateness, absentReturnShare: learnAbsentReturnShare(history) };
};

/**
 * Share of absences (patient not there when called) that end with the patient back within the grace
 * period, from the event log's counts per visit, shrunk toward ABSENT_RETURN_SHARE with ABSENT_PRIOR
 * pseudo-absences (a handful of absences must not swing it to 0 or 1).
 */
export const learnAbsentReturnShare = (history: readonly HistoryVisit[]): number => {
  let absences = 0;
  let returned = 0;
  for (const v of history) {
    const a = v.absences ?? 0;
    if (!(a > 0)) continue;
    absences += a;
    returned += Math.min(a, Math.max(0, v.returned ?? 0));
  }
  return (returned + ABSENT_PRIOR * ABSENT_RETURN_SHARE) / (absences + ABSENT_PRIOR);
};

/**
 * Everything learned from the earlier days of `day.history` (not today), including the range
 * calibration from a backtest of the estimator on those days. Pure; callers may cache it per history.
 */
export const learnPastProfile = (day: ClinicDay): PastProfile => {
  const today = localDayOf(day.timeZone, toEpochMs(day.now));
  const past = day.history.filter((v) => v.day !== today);
  const template = sessionTemplate(day);
  const practice = learnPractice(past, template, day.timeZone);
  const arrivals = learnArrivals(past);
  const base: PastProfile = {
    template,
    durations: prepareDurations(past),
    ...practice,
    ...arrivals,
    calibration: [],
    accuracy: { medianAbsError: null, coverage: null, n: 0 },
    accuracyByDay: new Map(),
  };
  const errors = backtest(day, past, base);
  return { ...base, ...calibrate(errors) };
};

// ─── the simulation ─────────────────────────────────────────────────────────────────────────────────

/** An entry in the simulation; sorted by QueueOrder's `compareEntries`, the live queue's one comparator. */
interface SimEntry extends OrderFields {
  readonly pool: string | null;
  readonly type: string | null;
  readonly from: number;
  readonly weight: number;
  done: boolean;
  callAt: number | null;
}

interface SimPractitioner {
  readonly id: string;
  /**
   * Callable windows: [start, end) for anyone, then [end, end + overtime) for those present by `cutoff`
   * (the session's end; `now` when the practitioner is seen working after it — they take who is there).
   */
  readonly sessions: readonly { start: number; end: number; overtime: number; cutoff: number }[];
  freeAt: number;
  active: boolean;
  /** Visits begun from now on (the one in progress counts): the queue position of the next call. */
  served: number;
  /**
   * The part of `freeAt` left to chance since it was last pinned (now, or a session's start or an
   * arrival the practitioner waited for): the summed mean minutes of the visits since then, their summed
   * variance, and the variance share of the practitioner's unknown pace (one error for all those visits).
   */
  chanceMean: number;
  chanceVar: number;
  readonly paceCv2: number;
}

/** Probability that a not-yet-arrived booked patient arrives within tolerance, and when (minutes after slot). */
const arrivalOutlook = (
  p: Pick<PastProfile, 'noShowRate' | 'lateness'>,
  elapsedMin: number,
  tolerance: number,
): { weight: number; late: number } => {
  const L = p.lateness;
  if (L.length < 5)
    return { weight: elapsedMin > tolerance ? 0 : 1 - p.noShowRate, late: Math.max(0, elapsedMin) };
  const a = firstAbove(L, elapsedMin);
  const b = firstAbove(L, tolerance);
  const inTime = Math.max(0, b - a);
  const notYet = p.noShowRate + (1 - p.noShowRate) * ((L.length - a) / L.length);
  const weight = notYet <= 0 ? 0 : ((1 - p.noShowRate) * (inTime / L.length)) / notYet;
  // the median of L[a..b) (as quantile(L.slice(a, b), 0.5), without the copy: this runs per entry per snapshot)
  const mid = a + (inTime - 1) / 2;
  const lo = L[Math.floor(mid)] as number;
  const late = inTime > 0 ? lo + ((L[Math.ceil(mid)] as number) - lo) * (mid - Math.floor(mid)) : 0;
  return { weight, late: inTime > 0 ? late : Math.max(0, elapsedMin) };
};

/** Index of the first value > x in an ascending array. */
const firstAbove = (sorted: readonly number[], x: number): number => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** The central simulation: epoch-ms call time of every entry (null: nobody will call it today). */
export const simulateDay = (
  day: ClinicDay,
  profile: PastProfile,
  durations: Durations,
  truth?: DurationTruth,
  /** Filled, when given, with each called entry's place in the simulated day (for the range). */
  placeOut?: Map<string, QueuePlace>,
): Map<string, number | null> => {
  const now = toEpochMs(day.now);
  const tol = day.onTimeToleranceMinutes ?? 10;
  const todayCalls = new Map<string, number[]>();
  const today = localDayOf(day.timeZone, now);
  for (const v of day.history) {
    if (v.day !== today || v.practitionerId === null || v.calledAt === null) continue;
    const arr = todayCalls.get(v.practitionerId) ?? [];
    arr.push(toEpochMs(v.calledAt));
    todayCalls.set(v.practitionerId, arr);
  }
  const gap = profile.gapMinutes * MINUTE_MS;
  // the oracle knows each visit's own length: nothing left to chance (the mean oracle knows only means)
  const spread = truth === undefined || truth.exact === false;
  // session 21: the moment outside the sessions that matter to a place (its errors calibrate apart) —
  // review L1: those of the patient's own practitioner, or of anyone for a patient for any doctor (a
  // morning doctor in session said nothing of the wait for an afternoon-only doctor's start)
  const inSessionNow = new Set(
    day.practitioners
      .filter((p) => p.sessions.some((s) => now >= toEpochMs(s.start) && now < toEpochMs(s.end)))
      .map((p) => p.id),
  );
  const offSessionFor = (pool: string | null) =>
    pool === null ? inSessionNow.size === 0 : !inSessionNow.has(pool);
  const pracs: SimPractitioner[] = day.practitioners.map((p) => {
    const sessions = [...p.sessions]
      .map((s) => ({ start: toEpochMs(s.start), end: toEpochMs(s.end) }))
      .filter((s) => s.end > s.start)
      .sort((a, b) => a.start - b.start);
    const calls = [...(todayCalls.get(p.id) ?? []), ...(p.serving ? [toEpochMs(p.serving.startedAt)] : [])];
    const delays = profile.practitionerStartDelay.get(p.id) ?? profile.clinicStartDelay;
    const over = profile.practitionerOvertime.get(p.id) ?? profile.overtimeMinutes;
    const windows = sessions.map((s, i) => {
      const idx = sessionIndexOf(profile.template, minuteOfDay(day.timeZone, s.start));
      const started = calls.some((c) => c >= s.start - 30 * MINUTE_MS && c < s.end + 120 * MINUTE_MS);
      const delay = started ? 0 : Math.max(0, idx >= 0 ? (delays[idx] ?? 0) : 0);
      const last = i === sessions.length - 1;
      // past the end and still working (serving now, or called someone after the end): running late, they
      // see the patients present now, not only those who were there at the end
      const late = now >= s.end && (p.serving !== null || calls.some((c) => c >= s.end));
      return {
        // started (early, too): they are calling now, not waiting for the nominal start
        start: started ? Math.min(s.start, now) : Math.max(s.start + delay * MINUTE_MS, Math.min(now, s.end)),
        end: s.end,
        overtime: last ? Number.POSITIVE_INFINITY : over * MINUTE_MS,
        cutoff: late ? now : s.end,
      };
    });
    let freeAt = now;
    let chanceMean = 0;
    let chanceVar = 0;
    if (p.serving !== null) {
      const end = truth?.currentEnd(p.id);
      const elapsed = (now - toEpochMs(p.serving.startedAt)) / MINUTE_MS;
      const left = remainingMinutes(durations, p.serving.appointmentTypeId, p.id, elapsed);
      freeAt = end !== undefined ? Math.max(now, end) : now + left * MINUTE_MS;
      freeAt += gap;
      if (end === undefined && spread) {
        chanceMean = left;
        chanceVar = left * left * lognormalCv2(visitSigma(durations, p.serving.appointmentTypeId));
      }
    }
    const paceVar = durations.logPaceVar?.get(p.id) ?? durations.tau2;
    return {
      id: p.id,
      sessions: windows,
      freeAt,
      active: true,
      served: p.serving === null ? 0 : 1,
      chanceMean,
      chanceVar,
      paceCv2: spread ? Math.expm1(Math.max(0, paceVar)) : 0,
    };
  });

  const entries: SimEntry[] = day.entries.map((e) => {
    // a waiting patient is present since they arrived (it matters after a session's end: those who were
    // there at the end are still seen in overtime)
    const arrived = e.status === 'waiting' && e.arrivedAt !== null ? toEpochMs(e.arrivedAt) : now;
    let from = Math.min(now, arrived);
    let weight = 1;
    let key = e.orderKey;
    if (e.status === 'absent') {
      weight = profile.absentReturnShare ?? ABSENT_RETURN_SHARE;
    } else if (e.status === 'scheduled' && e.kind === 'booked' && e.slotAt !== null) {
      const slot = toEpochMs(e.slotAt);
      const elapsed = (now - slot) / MINUTE_MS;
      if (elapsed > tol) {
        // no longer on time: if they come, they queue from their arrival (behind today's waiting)
        weight = 0.2;
        key = Math.max(key, now);
      } else {
        const o = arrivalOutlook(profile, elapsed, tol);
        weight = o.weight;
        from = Math.max(now, slot + o.late * MINUTE_MS);
      }
    } else if (e.status === 'scheduled' && e.kind === 'booked') {
      // a fluid booking (issue 17, F3): no time — when they come they queue from their arrival, behind
      // everyone already waiting, so its booking-time key never puts it ahead of a present patient
      key = Math.max(key, now);
    }
    return {
      id: e.id,
      pool: e.practitionerId,
      type: e.appointmentTypeId,
      from,
      weight,
      priority: e.priority,
      orderKey: key,
      // DayEntry.tiebreak is the entry's place among equal keys (QueueOrder rank, or the replay's call
      // order); no ticket number beyond it, then the id — as compareEntries breaks ties in the live queue
      orderTiebreak: e.tiebreak ?? 0,
      ticketNumber: 0,
      done: false,
      callAt: null,
    };
  });
  entries.sort(compareEntries);

  const minutesOf = (e: SimEntry, p: string) =>
    truth?.duration(e.id, p) ?? expectedMinutes(durations, e.type, p);

  /**
   * When this practitioner, free at `p.freeAt` on average, is more likely than not to be free: the median
   * of the visits' summed lengths since the last pinned moment (`medianOfSum`), with the practitioner's
   * own pace error shared by all of them. Whether a patient is still reached before a session's end or
   * its overtime limit is decided on this — reached with probability ≥ ½ — not on the summed means, which
   * pass the limit too early (a long queue's sum of skewed lengths is more often short than its mean).
   */
  const likelyFree = (p: SimPractitioner): number => {
    if (p.chanceMean <= 0) return p.freeAt;
    const variance = p.chanceVar + p.chanceMean * p.chanceMean * p.paceCv2;
    return p.freeAt - (p.chanceMean - medianOfSum(p.chanceMean, variance)) * MINUTE_MS;
  };

  /**
   * First moment ≥ t this practitioner may call, and who (present by `cutoff`); null when done. `likely`
   * (≤ t) is when they are more likely than not to be free: a session's end and its overtime limit are
   * compared with it; `si` is the session the call belongs to.
   */
  const window = (
    p: SimPractitioner,
    t: number,
    likely: number,
  ): { t: number; cutoff: number; until: number; si: number } | null => {
    if (p.sessions.length === 0)
      return { t, cutoff: Number.POSITIVE_INFINITY, until: Number.POSITIVE_INFINITY, si: -1 };
    for (let si = 0; si < p.sessions.length; si++) {
      const s = p.sessions[si] as (typeof p.sessions)[number];
      if (t < s.start) return { t: s.start, cutoff: Number.POSITIVE_INFINITY, until: s.end, si };
      if (likely < s.end) return { t, cutoff: Number.POSITIVE_INFINITY, until: s.end, si };
      if (likely < s.end + s.overtime) return { t, cutoff: s.cutoff, until: s.end + s.overtime, si };
    }
    return null;
  };

  const maxTurns = 4 * (entries.length + 2) * (pracs.length + 2) + 20;
  for (let turn = 0; turn < maxTurns; turn++) {
    let p: SimPractitioner | undefined;
    for (const q of pracs) if (q.active && (p === undefined || q.freeAt < p.freeAt)) p = q;
    if (p === undefined) break;
    const w = window(p, p.freeAt, likelyFree(p));
    if (w === null) {
      p.active = false;
      continue;
    }
    let next: SimEntry | undefined;
    let soonest = Number.POSITIVE_INFINITY;
    let any = false;
    for (const e of entries) {
      if (e.done || (e.pool !== null && e.pool !== p.id)) continue;
      any = true;
      if (e.from <= w.t && e.from <= w.cutoff) {
        next = e;
        break;
      }
      if (e.from <= w.cutoff) soonest = Math.min(soonest, e.from);
    }
    if (!any) {
      p.active = false;
      continue;
    }
    if (next === undefined) {
      // idle until someone arrives, or until this window closes (then the next session)
      // (never back in time: on the median's word the window may close before the mean free time)
      const until = Math.max(w.until, p.freeAt);
      p.freeAt =
        soonest < w.until
          ? Math.max(soonest, w.t)
          : w.until === Number.POSITIVE_INFINITY
            ? Number.POSITIVE_INFINITY
            : until;
      if (p.freeAt === Number.POSITIVE_INFINITY) p.active = false;
      // waiting for someone (or for the next session) pins the time: what came before no longer adds up
      p.chanceMean = 0;
      p.chanceVar = 0;
      continue;
    }
    if (w.t > p.freeAt) {
      // the call waits for a session's start: pinned there
      p.chanceMean = 0;
      p.chanceVar = 0;
    }
    next.done = true;
    next.callAt = w.t;
    if (placeOut !== undefined) {
      // called in a session that has not begun yet: its (uncertain) start decides the wait
      const si = w.si;
      const s = p.sessions[si];
      const waitsForStart = s !== undefined && s.start > now && w.t >= s.start;
      const phase: QueuePhase = waitsForStart
        ? si === 0
          ? 'opening'
          : 'break'
        : s !== undefined && w.t >= s.end && si < p.sessions.length - 1
          ? 'overtime'
          : 'session';
      const part: SessionPart | undefined =
        phase !== 'session' || s === undefined
          ? undefined
          : w.t >= s.end
            ? 'closing'
            : si === 0
              ? 'first'
              : 'later';
      placeOut.set(next.id, {
        ahead: p.served,
        waitsForStart,
        phase,
        by: p.id,
        ...(next.pool === null ? { anyDoctor: true } : {}),
        ...(part !== undefined ? { part } : {}),
        ...(offSessionFor(next.pool) ? { offSession: true } : {}),
      });
    }
    p.served += next.weight;
    const m = minutesOf(next, p.id);
    p.freeAt = w.t + m * next.weight * MINUTE_MS + gap * next.weight;
    if (spread) {
      // one visit of mean m happening with probability `weight`: mean w·m, variance w·v + w(1 − w)·m²
      const v = m * m * lognormalCv2(visitSigma(durations, next.type));
      p.chanceMean += next.weight * m;
      p.chanceVar += next.weight * v + next.weight * (1 - next.weight) * m * m;
    }
  }
  return new Map(entries.map((e) => [e.id, e.callAt]));
};

// ─── ranges: split-conformal calibration on the estimator's own past errors ────────────────────────

/** Backtest: the last 14 earlier days, every 15 minutes (≈ 500 snapshots, ≈ 1 500 judged waits). */
const BACKTEST_DAYS = 14;
const BACKTEST_STEP_MINUTES = 15;
const BACKTEST_OFF_STEP_MINUTES = 5;
/**
 * Buckets by queue position: the visits the calling practitioner makes before the patient (the
 * simulation's own count, the visit in progress included). The error of a wait is the sum of the errors
 * of the visits ahead, so its spread grows with their number. Within a bucket the band also scales with
 * the simulated minutes (session 18, `relativeBand`): at one depth the minutes still differ several-fold
 * (a break, an idle gap before a booked slot, long visits), and so do the errors.
 */
const BUCKET_EDGES = [1, 2, 3, 4, 6, 9, Number.POSITIVE_INFINITY];

interface BacktestError extends QueuePlace {
  readonly day: string;
  readonly estimate: number;
  readonly error: number;
}

/** Reconstructs past days from the history at 15-minute steps and scores the estimator on them. */
const backtest = (day: ClinicDay, past: readonly HistoryVisit[], base: PastProfile): BacktestError[] => {
  const byDay = new Map<string, HistoryVisit[]>();
  for (const v of past) {
    let arr = byDay.get(v.day);
    if (arr === undefined) byDay.set(v.day, (arr = []));
    arr.push(v);
  }
  const tol = day.onTimeToleranceMinutes ?? 10;
  const errors: BacktestError[] = [];
  // in a session: the last 14 days; outside (before opening, overtime, the break): every history day —
  // those phases' errors come in whole days (one late start moves every patient of that morning), so they
  // need more days than the session's to show their spread
  const days = [...byDay.keys()].sort();
  const recent = new Set(days.slice(-BACKTEST_DAYS));
  const facts = practiceDays(past, base.template, day.timeZone);
  for (const d of days) {
    // out of sample: the visit lengths are learned without the day being judged (as today's estimate
    // never knows today's lengths in advance); in-sample errors are too small and the range too narrow
    const others = past.filter((v) => v.day !== d);
    const prepared = prepareDurations(others);
    const durations = learnDurations([], day.appointmentTypes, prepared);
    let durationsAt = durations;
    let doneCount = 0;
    // the same for start delays, overtime, gaps (before opening and in the break they decide the wait),
    // no-shows and lateness: the whole profile but its template is learned without the judged day
    const profile: PastProfile = {
      ...base,
      ...learnPractice(
        others,
        base.template,
        day.timeZone,
        facts.filter((f) => f.day !== d),
      ),
      ...learnArrivals(others),
    };
    // Among equal order keys QueueMed calls by its tiebreak (the ticket number, compareEntries), so the
    // day's call order IS that order as it happened; the replay passes it as each entry's `tiebreak` and
    // the simulation sorts with the live queue's comparator — not by the replay's ids as text (`h10`
    // before `h2`). Never-called rows (no-shows) come last, in row order; any row order replays the same.
    const inCallOrder = (byDay.get(d) as HistoryVisit[])
      .map((v, row) => ({ v, row, c: ms(v.calledAt) ?? Number.POSITIVE_INFINITY }))
      .sort((x, y) => (x.c === y.c ? x.row - y.row : x.c - y.c));
    const visits = inCallOrder.map(({ v }, i) => ({
      v,
      id: `h${i}`,
      order: i,
      a: ms(v.arrivedAt),
      c: ms(v.calledAt),
      f: ms(v.finishedAt),
      slot: ms(v.slotAt),
    }));
    const pracIds = [
      ...new Set(visits.map((x) => x.v.practitionerId).filter((p): p is string => p !== null)),
    ];
    const sessions = base.template.map((s) => ({
      start: new Date(instantAt(day.timeZone, d, s.start)).toISOString(),
      end: new Date(instantAt(day.timeZone, d, s.end)).toISOString(),
    }));
    const times = visits.flatMap((x) => [x.a, x.c]).filter((t): t is number => t !== null);
    if (times.length === 0 || sessions.length === 0) continue;
    const first = Math.min(...times);
    const lastT = Math.max(...times);
    const open = sessions.map((s) => [toEpochMs(s.start), toEpochMs(s.end)] as const);
    // every 15 min in a session; every 5 min outside (before opening, overtime, the break): few patients
    // wait then, and their errors (start delays, overtime) differ from the session's — each phase needs
    // enough of its own for its range
    const inSession = (t: number) => open.some(([a, b]) => t >= a && t < b);
    const step = (t: number) =>
      (inSession(t) ? BACKTEST_STEP_MINUTES : BACKTEST_OFF_STEP_MINUTES) * MINUTE_MS;
    for (let t = first + 5 * MINUTE_MS; t < lastT; t += step(t)) {
      if (!recent.has(d) && inSession(t)) continue;
      const entries: DayEntry[] = [];
      const actual = new Map<string, number>();
      const serving = new Map<
        string,
        { entryId: string; appointmentTypeId: string | null; startedAt: string }
      >();
      for (const { v, id, order, a, c, f, slot } of visits) {
        if (c !== null && c <= t) {
          if (f !== null && f > t && v.practitionerId !== null) {
            serving.set(v.practitionerId, {
              entryId: id,
              appointmentTypeId: v.appointmentTypeId,
              startedAt: v.calledAt as string,
            });
          }
          continue;
        }
        const waiting = a !== null && a <= t && !v.noShow;
        const scheduled = !waiting && v.kind === 'booked' && slot !== null;
        if (!waiting && !scheduled) continue;
        const key =
          v.kind === 'booked' && slot !== null && (a === null || a > t || a <= slot + tol * MINUTE_MS)
            ? slot
            : (a as number);
        entries.push({
          id,
          status: waiting ? 'waiting' : 'scheduled',
          kind: v.kind,
          priority: 'normal',
          // a visit for any doctor waits in the "any" pool, as it did that day (whoever was free first)
          practitionerId: v.anyDoctor === true ? null : v.practitionerId,
          appointmentTypeId: v.appointmentTypeId,
          slotAt: v.slotAt,
          arrivedAt: waiting ? v.arrivedAt : null,
          orderKey: key,
          tiebreak: order,
        });
        if (waiting && c !== null) actual.set(id, c);
      }
      if (actual.size === 0) continue;
      const snap: ClinicDay = {
        now: new Date(t).toISOString(),
        timeZone: day.timeZone,
        appointmentTypes: day.appointmentTypes,
        practitioners: pracIds.map((p) => ({ id: p, sessions, serving: serving.get(p) ?? null })),
        entries,
        history: visits.filter((x) => x.c !== null && x.c <= t).map((x) => x.v),
      };
      const places = new Map<string, QueuePlace>();
      // the lengths the live estimate would know at t: the earlier days' and the judged day's visits that
      // had ended by then (estimateClinicDay learns today's so far; the replay judged without them)
      const doneBy = visits.filter((x) => x.f !== null && x.f <= t);
      if (doneBy.length !== doneCount) {
        doneCount = doneBy.length; // the set only grows with t: its size names it
        durationsAt = learnDurations(
          doneBy.map((x) => x.v),
          day.appointmentTypes,
          prepared,
        );
      }
      const calls = simulateDay(snap, profile, durationsAt, undefined, places);
      for (const [id, c] of actual) {
        const call = calls.get(id);
        if (call === null || call === undefined) continue;
        const est = (call - t) / MINUTE_MS;
        errors.push({ day: d, estimate: est, ...placeOf(places, id), error: (c - t) / MINUTE_MS - est });
      }
    }
  }
  return errors;
};

/** A backtest error with the estimate it would have been shown (`shownEstimate`), judged once. */
interface Judged {
  readonly day: string;
  readonly actual: number;
  readonly shown: { minutes: number; low: number; high: number };
}

const judge = (
  calibration: readonly CalibrationBucket[],
  errors: readonly BacktestError[],
  widening: Widenings,
): Judged[] =>
  errors.map((e) => ({
    day: e.day,
    actual: e.estimate + e.error,
    shown: shownEstimate(calibration, e.estimate, e, wideningOf(calibration, widening, e)),
  }));

const summarize = (judged: readonly Judged[]): AccuracySummary => {
  if (judged.length === 0) return { medianAbsError: null, coverage: null, n: 0 };
  const inside = judged.filter(({ actual, shown: r }) => actual >= r.low && actual <= r.high).length;
  return {
    medianAbsError: median(judged.map(({ actual, shown: r }) => Math.abs(actual - r.minutes))),
    coverage: inside / judged.length,
    n: judged.length,
  };
};

/** The overall summary and one per history day, each error shown once (it was twice, session 15). */
const summaries = (
  calibration: readonly CalibrationBucket[],
  errors: readonly BacktestError[],
  widening: Widenings = {},
) => {
  const judged = judge(calibration, errors, widening);
  const days = new Map<string, Judged[]>();
  for (const j of judged) {
    let arr = days.get(j.day);
    if (arr === undefined) days.set(j.day, (arr = []));
    arr.push(j);
  }
  return {
    accuracy: summarize(judged),
    accuracyByDay: new Map([...days].map(([d, js]) => [d, summarize(js)])),
  };
};

/** History days showing patients waiting for opening before opening gets its own shift (else pooled). */
export const OPENING_MIN_DAYS = 10;

/** One phase's errors in buckets by queue depth (buckets with < MIN_CALIBRATION errors merge upward). */
const depthBuckets = (
  phase: readonly BacktestError[],
  name: QueuePhase,
  scale: ErrorScaleKind,
  own = false,
): CalibrationBucket[] => {
  const out: CalibrationBucket[] = [];
  let lo = 0;
  let carry: BacktestError[] = [];
  for (const upTo of BUCKET_EDGES) {
    const inBucket = [...carry, ...phase.filter((e) => e.ahead >= lo && e.ahead < upTo)];
    lo = upTo;
    if (inBucket.length < MIN_CALIBRATION && upTo !== Number.POSITIVE_INFINITY) {
      carry = inBucket; // too few: merge with the next bucket
      continue;
    }
    carry = [];
    const src = inBucket.length >= MIN_CALIBRATION ? inBucket : phase;
    const errs = src.map((e) => e.error).sort((a, b) => a - b);
    const shift = quantile(errs, 0.5);
    out.push({
      waitsForStart: waitsForStartPhase(name),
      phase: name,
      upTo,
      ...conformalBand(errs),
      n: errs.length,
      days: new Set(src.map((e) => e.day)).size,
      medianAbsError: median(errs.map(Math.abs)),
      shift,
      relative: relativeBand(src, shift, scale),
      ...(scale === 'linear' ? {} : { scale }),
      ...(own ? { own: true } : {}),
    });
  }
  return out;
};

/** The final steps of a profile's calibrations: in-session (or the one joint) and outside sessions. */
interface Widenings {
  readonly widening?: number;
  readonly offSessionWidening?: number;
}

/**
 * Session 21: the backtest's errors split by the kind of moment they were made at (QueuePlace.offSession)
 * and a WHOLE calibration per kind — buckets, shifts and the final widening — with the errors scaled by
 * √(m + 8) inside sessions (a wait's error is a sum over the visits ahead, its spread grows like the
 * square root of their number) and by m + 8 outside (a late start or an evening's overrun moves every
 * wait of it at once). Mixing the two scales in one set of buckets broke the buckets holding both
 * (docs/wait-estimates.md, session 20). While either kind has fewer than MIN_CALIBRATION errors, or
 * gets no bucket from them: one joint calibration on the linear scale, as before.
 */
const calibrate = (
  errors: readonly BacktestError[],
): Pick<PastProfile, 'calibration' | 'widening' | 'offSessionWidening' | 'accuracy' | 'accuracyByDay'> => {
  if (errors.length < MIN_CALIBRATION) {
    return { calibration: [], ...summaries([], errors) };
  }
  const joint = () => {
    const j = calibrateKind(errors, 'linear');
    return { ...j, ...summaries(j.calibration, errors, j) };
  };
  const inside = errors.filter((e) => e.offSession !== true);
  const outside = errors.filter((e) => e.offSession === true);
  if (inside.length < MIN_CALIBRATION || outside.length < MIN_CALIBRATION) return joint();
  const a = calibrateKind(inside, 'sqrt');
  const b = calibrateKind(outside, 'linear');
  // Session 21 review (M2): enough errors of a kind need not give it a bucket — each phase, and the
  // patients for any doctor apart, needs MIN_CALIBRATION of its own (a young clinic: 15 errors behind a
  // named doctor, 12 for any doctor, spread over the session, the break and overtime). A kind without
  // buckets would borrow the other kind's (another scale) while its widening was fitted against the
  // default band: ranges far too wide or collapsed. Then the one joint calibration, as with few errors.
  if (a.calibration.length === 0 || b.calibration.length === 0) return joint();
  const calibration = [...a.calibration, ...b.calibration.map((c) => ({ ...c, offSession: true }))];
  const widening = { widening: a.widening, offSessionWidening: b.widening };
  return { calibration, ...widening, ...summaries(calibration, errors, widening) };
};

/** One kind of moment's calibration (`calibrate`): its buckets and its final widening. */
const calibrateKind = (
  errors: readonly BacktestError[],
  scale: ErrorScaleKind,
): { calibration: CalibrationBucket[]; widening: number } => {
  const calibration: CalibrationBucket[] = [];
  // Patients for any doctor get buckets of their own (session 14): whoever is free first calls them, so
  // at the same depth their waits spread less than a queue behind one doctor. Everyone else's buckets
  // come from everyone else's errors (from all of them while those are too few, as before).
  const anyDoctor = errors.filter((e) => e.anyDoctor === true);
  const others = errors.filter((e) => e.anyDoctor !== true);
  const main = others.length >= MIN_CALIBRATION ? others : errors;
  for (const name of QUEUE_PHASES) {
    const phase = main.filter((e) => phaseOf(e) === name);
    // a phase without enough errors of its own borrows a kindred phase's buckets (rangeAround)
    if (phase.length < MIN_CALIBRATION) continue;
    calibration.push(...depthBuckets(phase, name, scale));
    if (name !== 'session') continue;
    // Session 16: past the last session's end gets buckets of its own beside the phase's; a part with few
    // errors keeps the phase's (bandOf shrinks thin ones). The first and later sessions' own buckets were
    // measured too (bench:wait 40 days: hours 9–18 within ±2 points either way, 5–9 ahead 54.4 → 53.6 %;
    // 10-day window 57.5 → 56.6 %, 5–9 ahead 52.3 → 48.6 %): they keep the whole phase's
    for (const part of CALIBRATED_PARTS) {
      const inPart = phase.filter((e) => e.part === part);
      if (inPart.length < MIN_CALIBRATION || inPart.length === phase.length) continue;
      calibration.push(...depthBuckets(inPart, name, scale).map((b) => ({ ...b, part })));
    }
  }
  for (const name of QUEUE_PHASES) {
    const phase = anyDoctor.filter((e) => phaseOf(e) === name);
    // too few: an "any" patient in that phase takes everyone else's buckets (bucketOf)
    if (phase.length < MIN_CALIBRATION || anyDoctor.length === errors.length) continue;
    calibration.push(...depthBuckets(phase, name, scale).map((b) => ({ ...b, anyDoctor: true })));
  }
  // Before opening, its own median error (the shift) once enough past days show it: the pooled group's
  // median is mostly the break's, whose correction points the other way at opening (session 10: bias
  // −8.8 min before opening on seeds 4–6). Its RANGE stays the pooled one (own ranges were too narrow:
  // seed 7, 42.9 → 38.6 % inside). Fewer days: the pooled shift, as before.
  // Session 13: the break likewise gets its own buckets once enough days show it — the pooled group's
  // quantiles mix two situations whose errors point opposite ways, so a range taken from it was off-centre
  // for both (bench: 50 % inside before opening, 47 % at 14 h).
  for (const name of ['opening', 'break'] as const) {
    const own = errors.filter((e) => e.phase === name);
    if (own.length >= MIN_CALIBRATION && new Set(own.map((e) => e.day)).size >= OPENING_MIN_DAYS)
      calibration.push(...depthBuckets(own, name, scale, name === 'break'));
  }
  // Session 19: the ranges as a whole, conformalized once more on the same errors (rangeWidening)
  return { calibration, widening: rangeWidening(calibration, errors) };
};

/**
 * The buckets of a place's kind of moment (session 21): those with `offSession` for a moment outside
 * every session, the others for one inside — while the profile has both; else all of them (one joint
 * calibration, older and constructed profiles).
 */
export const calibrationFor = (
  calibration: readonly CalibrationBucket[],
  place: Pick<QueuePlace, 'offSession'>,
): readonly CalibrationBucket[] => {
  const off = place.offSession === true;
  const kind = calibration.filter((c) => (c.offSession === true) === off);
  return kind.length > 0 ? kind : calibration;
};

/** The error scale of a place's calibration (`calibrationFor`): its buckets' (`linear` without any). */
const scaleFor = (calibration: readonly CalibrationBucket[], place: QueuePlace): ErrorScaleKind =>
  calibrationFor(calibration, place)[0]?.scale ?? 'linear';

/**
 * The final widening for a place: that of the buckets it is judged by (`calibrationFor`) —
 * `offSessionWidening` for the buckets of moments outside every session, else `widening` — so the
 * widening always matches the buckets' scale, even when a profile (constructed, or older) has buckets of
 * one kind only and a place of the other kind borrows them (session 21 review, M2).
 */
const wideningOf = (
  calibration: readonly CalibrationBucket[],
  w: Widenings,
  place: Pick<QueuePlace, 'offSession'>,
): number =>
  calibrationFor(calibration, place)[0]?.offSession === true
    ? (w.offSessionWidening ?? 0)
    : (w.widening ?? 0);

/** The final widening of a profile for a place (`PastProfile.widening` / `offSessionWidening`). */
export const profileWidening = (past: PastProfile, place: QueuePlace): number =>
  wideningOf(past.calibration, past, place);

/** The share of waits the 20–80 % range is meant to hold. */
const RANGE_SHARE = 0.6;

/**
 * The final split-conformal step (session 19): how far, in `errorScale(estimate)`s, every shown range must
 * move each side out (positive) or in (negative) so that it holds RANGE_SHARE of the backtest's waits —
 * the conformal rank of each error's distance outside its shown range, max(low − actual, actual − high) /
 * scale (negative inside), as conformalized quantile regression (CQR) does with its quantile band.
 *
 * Why: each bucket's band holds 60 % of its own errors, but the range shown is built further — thin
 * buckets shrunk toward others, opening and the break as wide as the wider of two bands and spanning the
 * pooled range, the figure kept inside, waits clamped at 0 — and each step only widens. bench:wait said
 * 59–61 % only while the backtest and the judged days differed (the simulator passed the day's
 * not-yet-arrived walk-ins to the estimator, counted ahead as if present): with the queue as QueueMed has
 * it, the same ranges held 64–65 % (up to 72 % in the afternoon hours). One step over the
 * whole range corrects what the construction adds, whatever it is. Fewer than MIN_CALIBRATION errors: 0.
 */
export const rangeWidening = (
  calibration: readonly CalibrationBucket[],
  errors: readonly (QueuePlace & { readonly estimate: number; readonly error: number })[],
): number => {
  if (errors.length < MIN_CALIBRATION) return 0;
  const scores = errors
    .map((e) => {
      const r = unclampedShown(calibration, e.estimate, e);
      const actual = e.estimate + e.error;
      return Math.max(r.low - actual, actual - r.high) / errorScale(e.estimate, scaleFor(calibration, e));
    })
    .sort((a, b) => a - b);
  const n = scores.length;
  return scores[Math.min(n - 1, Math.ceil((n + 1) * RANGE_SHARE) - 1)] as number;
};

/**
 * How accurate the estimates were on the last history day before today ("yesterday") and over the last
 * 7 such days, from the backtest of the estimator on the clinic's own days (in-sample: the profile was
 * learned from the same days). Staff see it; the tracker's "usually accurate to ± N min" is `week`.
 */
export const accuracyOverview = (
  past: PastProfile,
): {
  readonly yesterday: AccuracySummary & { readonly day: string | null };
  readonly week: AccuracySummary;
} => {
  const days = [...past.accuracyByDay.keys()].sort();
  const last = days[days.length - 1];
  const week = days.slice(-7).map((d) => past.accuracyByDay.get(d) as AccuracySummary);
  const n = week.reduce((a, s) => a + s.n, 0);
  const weighted = (f: (s: AccuracySummary) => number | null) =>
    n === 0 ? null : week.reduce((a, s) => a + (f(s) ?? 0) * s.n, 0) / n;
  return {
    yesterday:
      last === undefined
        ? { day: null, medianAbsError: null, coverage: null, n: 0 }
        : { day: last, ...(past.accuracyByDay.get(last) as AccuracySummary) },
    week: { medianAbsError: weighted((s) => s.medianAbsError), coverage: weighted((s) => s.coverage), n },
  };
};

/**
 * Split-conformal band of ascending errors (actual − estimate): the ⌊(n+1)·0.2⌋-th and ⌈(n+1)·0.8⌉-th
 * smallest, so that a new error falls inside with probability ≥ 60 % when errors are exchangeable.
 */
export const conformalBand = (sorted: readonly number[]): { low: number; high: number } => {
  const n = sorted.length;
  return {
    low: sorted[Math.max(0, Math.floor((n + 1) * 0.2) - 1)] as number,
    high: sorted[Math.min(n - 1, Math.ceil((n + 1) * 0.8) - 1)] as number,
  };
};

/**
 * The calibrated 20–80 % range around an estimate of a patient `ahead` visits back in the queue (a
 * default band until the history allows).
 */
export const rangeAround = (
  calibration: readonly CalibrationBucket[],
  minutes: number,
  place: QueuePlace,
): { low: number; high: number } => {
  const r = unclampedRange(calibrationFor(calibration, place), minutes, place);
  return { low: Math.max(0, r.low), high: r.high };
};

/** `rangeAround` before its low end is clamped at 0 (the final conformal step measures past it). */
const unclampedRange = (
  calibration: readonly CalibrationBucket[],
  minutes: number,
  place: QueuePlace,
): { low: number; high: number } => {
  const b = bandOf(calibration, place, minutes);
  const low = b === undefined ? minutes * 0.75 - 2 : minutes + b.low;
  const high = b === undefined ? minutes * 1.3 + 3 : minutes + b.high;
  return { low: Math.min(minutes, low), high: Math.max(minutes, high) };
};

/**
 * Past days at which a thin bucket's own band counts as much as everyone's band at its depth
 * (`bandOf`): a bucket from d days keeps d / (d + THIN_BUCKET_DAYS) of its own width.
 */
export const THIN_BUCKET_DAYS = 10;

/**
 * The offsets from the simulation's minutes (shift, 20th and 80th percentile of past errors) of a place.
 * A patient for any doctor has buckets of their own (session 14), often from few days: each side of their
 * band (its distance from the bucket's shift) shrinks toward everyone's at that depth and phase by the
 * bucket's days, d / (d + THIN_BUCKET_DAYS) of its own (session 15; a bucket from few days came out
 * narrower than the waits' spread by chance — 5–9 ahead 50.6 %, the 10-day window 47.4 % inside).
 * Shrinking, not a floor at everyone's band: "any" waits do spread less than a queue behind one doctor
 * (with everyone's band they were 69 % inside), so a well-observed "any" bucket keeps its narrower band;
 * and a thin bucket is as likely too wide as too narrow, so it moves toward everyone's either way. Days,
 * not errors: one late start or long visit moves every patient of that day at once.
 */
const bandOf = (
  calibration: readonly CalibrationBucket[],
  place: QueuePlace,
  minutes: number,
): { shift: number; low: number; high: number } | undefined => {
  const b = bucketOf(calibration, place);
  if (b === undefined) return undefined;
  const mine = offsetsOf(b, minutes);
  const shift = mine.shift;
  if (b.anyDoctor !== true) {
    // Session 16: a part of the session with buckets of its own (the first, a later one, past the last
    // one's end): each side as wide as the part's (its distance from the part's median error), shrunk
    // toward the whole phase's by the part's days — around the PHASE's shift, so the minutes shown do not
    // move (a part's own median, from fewer days, made the bench's MAE worse: 14.79 → 14.89)
    const p = partBucketOf(calibration, place);
    if (p === undefined) return mine;
    const s = shrunk(p, mine, minutes);
    return { shift, low: shift - (s.shift - s.low), high: shift + (s.high - s.shift) };
  }
  if (b.days === undefined) return mine;
  const { anyDoctor: _, ...forOne } = place;
  if (bucketOf(calibration, forOne)?.anyDoctor === true) return mine;
  const e = bandOf(calibration, forOne, minutes);
  if (e === undefined) return mine;
  return shrunk(b, e, minutes);
};

/**
 * The minutes that set a wait's error scale (session 18): the simulated wait plus `ERROR_SCALE_FLOOR`.
 * Errors grow with the wait they are made on (a late start, a slower pace, patients who turn up and go
 * ahead all move a long wait more), and at the same queue depth the simulated minutes differ several-fold
 * (a break or a late-booked slot in between): with one absolute band per depth bucket, 82 % of waits
 * shown under 10 min fell inside their range and 43 % of those over 80 min (bench, seeds 1–3 and
 * 41–43 alike). The floor is about one visit: the next patient's wait is uncertain by the visit in
 * progress however short the estimate.
 */
export const ERROR_SCALE_FLOOR = 8;
/**
 * Session 21: `sqrt` — √(m + ERROR_SCALE_FLOOR) — for the calibration of moments inside a session. The
 * linear scale let a deep in-session queue's range grow with its wait while its error (a sum over
 * independent visits) grows like √m: bench, 10+ waiting ahead, 69–78 % inside a range meant to hold 60 %.
 */
export const errorScale = (minutes: number, kind: ErrorScaleKind = 'linear'): number => {
  const linear = Math.max(0, minutes) + ERROR_SCALE_FLOOR;
  return kind === 'sqrt' ? Math.sqrt(linear) : linear;
};

/**
 * Split-conformal band of errors relative to the wait each was made on (session 18): the conformal ranks
 * of (error − shift) / `errorScale(estimate)` — locally weighted conformal prediction, with the wait's
 * minutes as the scale. Errors of one bucket stay exchangeable after the division, so a new wait still
 * falls inside `shift + errorScale(m) × [low, high]` with probability ≈ 60 %, now at every length of wait.
 */
export const relativeBand = (
  errors: readonly { readonly estimate: number; readonly error: number }[],
  shift: number,
  kind: ErrorScaleKind = 'linear',
): { low: number; high: number } =>
  conformalBand(errors.map((e) => (e.error - shift) / errorScale(e.estimate, kind)).sort((a, b) => a - b));

/**
 * A bucket's offsets from the simulation's `minutes` (shift, 20th and 80th percentile of the error):
 * its relative band scaled to the wait (session 18), else its absolute one.
 */
export const offsetsOf = (
  b: CalibrationBucket,
  minutes: number,
): { shift: number; low: number; high: number } => {
  const shift = b.shift ?? 0;
  if (b.relative === undefined) return { shift, low: b.low, high: b.high };
  const scale = errorScale(minutes, b.scale);
  return { shift, low: shift + scale * b.relative.low, high: shift + scale * b.relative.high };
};

/**
 * A thin bucket's band: its own shift, each side (its distance from the shift) d / (d + THIN_BUCKET_DAYS)
 * its own and the rest `toward`'s (a band of more errors for the same situation).
 */
const shrunk = (
  b: CalibrationBucket,
  toward: { shift: number; low: number; high: number },
  minutes: number,
): { shift: number; low: number; high: number } => {
  const mine = offsetsOf(b, minutes);
  const shift = mine.shift;
  if (b.days === undefined) return mine;
  const w = b.days / (b.days + THIN_BUCKET_DAYS);
  return {
    shift,
    low: shift - (w * (shift - mine.low) + (1 - w) * (toward.shift - toward.low)),
    high: shift + (w * (mine.high - shift) + (1 - w) * (toward.high - toward.shift)),
  };
};

/** The bucket of a place's part of the session (QueuePlace.part) for its depth, when the history had one. */
const partBucketOf = (
  calibration: readonly CalibrationBucket[],
  place: QueuePlace,
): CalibrationBucket | undefined => {
  if (place.part === undefined) return undefined;
  const phase = phaseOf(place);
  const parts = calibration.filter(
    (c) => c.part === place.part && c.anyDoctor !== true && phaseOf(c) === phase,
  );
  if (parts.length === 0) return undefined;
  return parts.find((c) => place.ahead < c.upTo) ?? parts[parts.length - 1];
};

/** The calibration bucket of a place: its phase's (or a kindred phase's) bucket for its queue depth. */
const bucketOf = (
  calibration: readonly CalibrationBucket[],
  place: QueuePlace,
): CalibrationBucket | undefined => {
  const phase = phaseOf(place);
  if (place.anyDoctor === true) {
    // a patient for any doctor: the "any" buckets of their phase when the history had enough of them
    const anyBuckets = calibration.filter((c) => c.anyDoctor === true && phaseOf(c) === phase);
    if (anyBuckets.length > 0)
      return anyBuckets.find((c) => place.ahead < c.upTo) ?? anyBuckets[anyBuckets.length - 1];
  }
  // the pooled group's and the other phases' buckets; opening's and the break's own buckets are read by
  // ownBucketOf (shownEstimate)
  const ranged = calibration.filter(
    (c) => c.phase !== 'opening' && c.own !== true && c.anyDoctor !== true && c.part === undefined,
  );
  const own = ranged.filter((c) => phaseOf(c) === phase);
  // no errors of its own: opening ↔ break (both wait for a start), overtime → session, then any
  const kin = ranged.filter((c) => c.waitsForStart === waitsForStartPhase(phase));
  const buckets = own.length > 0 ? own : kin.length > 0 ? kin : ranged;
  return buckets.find((c) => place.ahead < c.upTo) ?? buckets[buckets.length - 1];
};

/**
 * The bucket of a place's OWN situation, when the history had enough days of it (`calibrate`,
 * OPENING_MIN_DAYS): before opening, opening's buckets; waiting for a later session, the break's own.
 */
const ownBucketOf = (
  calibration: readonly CalibrationBucket[],
  place: QueuePlace,
): CalibrationBucket | undefined => {
  const own =
    place.phase === 'opening'
      ? calibration.filter((c) => c.phase === 'opening')
      : place.phase === 'break'
        ? calibration.filter((c) => c.phase === 'break' && c.own === true)
        : [];
  if (own.length === 0) return undefined;
  return own.find((c) => place.ahead < c.upTo) ?? own[own.length - 1];
};

/**
 * What the patient is told: the simulation's `minutes` moved by the median of the estimator's past errors
 * at the same place in the queue (`shift`), with the calibrated 20–80 % range around the simulation's
 * minutes (both from the same out-of-sample errors, so the shown figure stays inside its range).
 *
 * Before opening and waiting for a later session (session 13): when the situation has buckets of its own,
 * the range is centred on ITS median error, each side as wide as the wider of its own and the pooled
 * group's (own quantiles alone came out too narrow on few days, session 11; the pooled group's alone sat
 * off-centre). Without them, the pooled group's shift and range, as before.
 */
export const shownEstimate = (
  calibration: readonly CalibrationBucket[],
  minutes: number,
  place: QueuePlace,
  /**
   * The final widening of the place's calibration (session 19; `profileWidening`): each side moves out by
   * this many `errorScale(minutes)` on that calibration's scale.
   */
  widening = 0,
): { minutes: number; low: number; high: number } => {
  const r = unclampedShown(calibration, minutes, place);
  const by = widening * errorScale(minutes, scaleFor(calibration, place));
  return {
    minutes: r.minutes,
    low: Math.max(0, Math.min(r.low - by, r.minutes)),
    high: Math.max(r.high + by, r.minutes),
  };
};

/** `shownEstimate` before the final conformal step and before its low end is clamped at 0. */
const unclampedShown = (
  all: readonly CalibrationBucket[],
  minutes: number,
  place: QueuePlace,
): { minutes: number; low: number; high: number } => {
  const calibration = calibrationFor(all, place);
  const ownBucket = ownBucketOf(calibration, place);
  const pooled = bandOf(calibration, place, minutes);
  if (ownBucket !== undefined) {
    const own = offsetsOf(ownBucket, minutes);
    const shift = own.shift;
    const center = Math.max(0, minutes + shift);
    const below = pooled === undefined ? 0 : (pooled.shift ?? 0) - pooled.low;
    const above = pooled === undefined ? 0 : pooled.high - (pooled.shift ?? 0);
    let low = minutes + shift - Math.max(shift - own.low, below);
    let high = minutes + shift + Math.max(own.high - shift, above);
    if (place.phase === 'opening') {
      // before opening the two disagree most and its own days are fewest: the range spans both the
      // pooled group's range (around the simulation's minutes, as before) and its own
      const r = unclampedRange(calibration, minutes, place);
      low = Math.min(low, r.low);
      high = Math.max(high, r.high);
    }
    return { minutes: center, low: Math.min(low, center), high: Math.max(high, center) };
  }
  const center = Math.max(0, minutes + (pooled?.shift ?? 0));
  const r = unclampedRange(calibration, minutes, place);
  return { minutes: center, low: Math.min(r.low, center), high: Math.max(r.high, center) };
};

// ─── the estimator ──────────────────────────────────────────────────────────────────────────────────

/**
 * Estimates for every waiting, scheduled and absent entry of the day. `past` is `learnPastProfile(day)`
 * (pass a cached one when the earlier days have not changed); `truth` is for benchmark oracles only.
 */
export const estimateClinicDay = (
  day: ClinicDay,
  past: PastProfile = learnPastProfile(day),
  truth?: DurationTruth,
): EntryWaitEstimate[] => {
  const now = toEpochMs(day.now);
  const today = localDayOf(day.timeZone, now);
  const durations = learnDurations(
    day.history.filter((v) => v.day === today),
    day.appointmentTypes,
    past.durations,
  );
  const places = new Map<string, QueuePlace>();
  const calls = simulateDay(day, past, durations, truth, places);
  const shown = new Map<string, { minutes: number; low: number; high: number }>();
  for (const e of day.entries) {
    const call = calls.get(e.id) ?? null;
    if (call === null) continue;
    const minutes = Math.max(0, (call - now) / MINUTE_MS);
    // oracles (benchmark only) know the lengths: the product's past errors say nothing about theirs
    shown.set(
      e.id,
      truth === undefined
        ? shownEstimate(
            past.calibration,
            minutes,
            placeOf(places, e.id),
            profileWidening(past, placeOf(places, e.id)),
          )
        : { minutes, ...rangeAround(past.calibration, minutes, placeOf(places, e.id)) },
    );
  }
  keepCallOrder(calls, places, shown);
  return day.entries.map((e) => {
    const r = shown.get(e.id);
    // nobody will call this entry today: "not known", never "a few minutes" (0) nor a made-up time
    if (r === undefined) return { entryId: e.id, minutes: null, low: null, high: null };
    return { entryId: e.id, minutes: round1(r.minutes), low: round1(r.low), high: round1(r.high) };
  });
};

/**
 * The shifts differ by queue depth, so a patient one place further back could be shown fewer minutes
 * than the one ahead. Per calling practitioner, in the simulated call order, the shown minutes never
 * decrease (a running maximum); the range is widened to hold the figure.
 */
const keepCallOrder = (
  calls: ReadonlyMap<string, number | null>,
  places: ReadonlyMap<string, QueuePlace>,
  shown: Map<string, { minutes: number; low: number; high: number }>,
) => {
  const byCaller = new Map<string, { id: string; call: number }[]>();
  for (const [id, call] of calls) {
    const by = places.get(id)?.by;
    if (call === null || by === undefined || !shown.has(id)) continue;
    let arr = byCaller.get(by);
    if (arr === undefined) byCaller.set(by, (arr = []));
    arr.push({ id, call });
  }
  for (const arr of byCaller.values()) {
    arr.sort((a, b) => a.call - b.call);
    let floor = 0;
    for (const { id } of arr) {
      const r = shown.get(id) as { minutes: number; low: number; high: number };
      if (r.minutes < floor) shown.set(id, { minutes: floor, low: r.low, high: Math.max(r.high, floor) });
      floor = Math.max(floor, (shown.get(id) as { minutes: number }).minutes);
    }
  }
};

const round1 = (x: number) => Math.round(x * 10) / 10;
