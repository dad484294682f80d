import { err, ok, type Result } from '../../shared/Result';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';

const MINUTE = 60_000;

/**
 * The grace period after a patient is marked absent: `grace_ends_at = absent_at + grace_period_minutes`.
 * It covers the half-open interval [startedAt, endsAt): at `endsAt` exactly the grace is over, so a
 * return is refused and the entry becomes a no-show. One setting feeds the UI, the SMS and the database.
 */
export class GracePeriod {
  private constructor(
    readonly startedAtMs: number,
    readonly minutes: number,
  ) {}

  static start(at: string | Date, minutes: number): Result<GracePeriod, AppError> {
    const ms = new Date(at).getTime();
    if (Number.isNaN(ms)) return err(appError(ErrorCodes.VALIDATION_FAILED, 'Invalid start time'));
    if (!Number.isInteger(minutes) || minutes < 1) {
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'Grace is a positive whole number of minutes'));
    }
    return ok(new GracePeriod(ms, minutes));
  }

  get endsAtMs(): number {
    return this.startedAtMs + this.minutes * MINUTE;
  }

  /** ISO string stored as `grace_ends_at`. */
  get endsAt(): string {
    return new Date(this.endsAtMs).toISOString();
  }

  isExpiredAt(now: string | Date): boolean {
    return new Date(now).getTime() >= this.endsAtMs;
  }

  /** Whole minutes left, rounded up (what "you have N minutes" says), never negative. */
  remainingMinutesAt(now: string | Date): number {
    return Math.max(0, Math.ceil((this.endsAtMs - new Date(now).getTime()) / MINUTE));
  }
}

/** True when a stored `grace_ends_at` has passed at `nowMs` (same half-open rule as `GracePeriod`). */
export const graceExpired = (graceEndsAt: string, nowMs: number): boolean =>
  nowMs >= new Date(graceEndsAt).getTime();
