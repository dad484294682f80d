/**
 * Ports of the wait estimator (issue 16): what it learns from beyond the queue snapshot, and where the
 * staff client leaves the estimates it computed so that the tracker, the board and SMS `{eta}` show the
 * same minutes as the dashboard.
 */
import type { DaySession, HistoryVisit } from '../models/WaitEstimator';
import type { WaitDisplay } from '../models/WaitTime';

export interface WaitContext {
  /** Practitioner (member) id → today's sessions; practitioners not listed work `clinicSessions`. */
  readonly sessions: ReadonlyMap<string, readonly DaySession[]>;
  /** The clinic's working intervals of the day (every practitioner's, unless listed in `sessions`). */
  readonly clinicSessions?: readonly DaySession[];
  /** Completed and no-show visits of the earlier days (≤ 30). */
  readonly history: readonly HistoryVisit[];
  /**
   * How accurate the estimates patients were SHOWN yesterday and in the last 7 days were, against when
   * they were called (`get_wait_accuracy`); null/omitted when not known (the replay on past days is used).
   */
  readonly shown?: ShownAccuracy | null;
}

export interface ShownAccuracy {
  readonly yesterday: AccuracyFigures & { readonly day: string | null };
  readonly week: AccuracyFigures;
  /**
   * Which figures stand for the clinic's accuracy, decided by the database with the tracker's own rule
   * (private.wait_accuracy_min_judged: ≥ 20 judged in the week → 'shown', else the 'replay' on past days),
   * so the dashboard and the tracker's "± N min" never read different sources (session 16).
   */
  readonly source: 'shown' | 'replay';
}

/** Port: the wait estimator's inputs that the queue snapshot does not hold. */
export interface WaitContextSource {
  load(clinicId: string, day: string): Promise<WaitContext | null>;
}

export interface StoredEstimate {
  readonly entryId: string;
  readonly minutes: number;
  readonly low: number;
  readonly high: number;
  /** What the patient is shown (WaitTime.roundForDisplay). */
  readonly display: WaitDisplay;
}

export interface AccuracyFigures {
  readonly medianAbsError: number | null;
  /** Share of waits inside the range (0–1). */
  readonly coverage: number | null;
  readonly n: number;
}

/** Port: the estimates of one queue version, for the screens and messages that do not compute them. */
export interface WaitEstimateSink {
  store(input: {
    readonly clinicId: string;
    readonly day: string;
    readonly version: number;
    readonly estimates: readonly StoredEstimate[];
    readonly accuracy: { readonly yesterday: AccuracyFigures; readonly week: AccuracyFigures } | null;
    /**
     * The instant (ISO) the estimates were computed for, by the caller's clock: the database refuses them
     * (writes nothing) when it is more than 30 s from its own clock (skew22).
     */
    readonly asOf: string;
  }): Promise<void>;
}
