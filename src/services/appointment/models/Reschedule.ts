/**
 * Rescheduling a booked visit (issue 17) — the patient moves their visit to another free slot from "My visits".
 * A visit's day, ticket and tracking link are its identity (they never change on a row), so a move is one
 * operation that CANCELS the current visit (reason `rescheduled`) and BOOKS a new one of the same type and
 * practitioner, linked to it (`rescheduledFrom`); the old slot is released only if the new one is taken.
 * The moved visit therefore has a new ticket and tracking link, and its confirmation and reminder follow it.
 *
 * The rules (each has a test named after it; the database function public.reschedule_appointment applies
 * the same ones, the fake repository uses this module):
 *   RS1 only a scheduled booked visit with a slot can be moved (QUEUE.ILLEGAL_TRANSITION);
 *   RS2 the patient moves it no later than the clinic's `min_cancel_notice_minutes` before its current slot —
 *       the cancel rule (BOOKING.RESCHEDULE_TOO_LATE);
 *   RS3 the new slot obeys the booking rules: booking notice (BOOKING.TOO_SOON), horizon, grid, capacity —
 *       checked by the booking itself; here the notice, so the page can refuse early;
 *   RS4 the new slot differs from the current one (BOOKING.RESCHEDULE_SAME_SLOT).
 * A FLUID visit (a place in a day's line, no time; docs/fluid-queues.md) moves to another day's line
 * (public.reschedule_fluid_place): RS1 a scheduled booked fluid visit (a visit with a time: BOOKING.MODE_MISMATCH),
 * RS2 no later than `min_cancel_notice_minutes` before its day opens, RS4 another day
 * (BOOKING.RESCHEDULE_SAME_DAY); the new day's rules (F2: full, closed, past, horizon) are the booking's.
 * Pure: `now` comes in as an argument.
 */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';

export interface ReschedulableVisit {
  readonly status: string;
  readonly kind: 'booked' | 'walk_in';
  /** ISO-8601 instant of the current slot; null for a visit without one. */
  readonly slotStart: string | null;
}

export interface RescheduleNotice {
  readonly minCancelNoticeMinutes: number;
  readonly minBookingNoticeMinutes: number;
}

const MIN = 60_000;

/** RS1 + RS2: may this visit be moved at `now`? (The "Reschedule" button and the fake ask this.) */
export function canReschedule(
  visit: ReschedulableVisit,
  notice: Pick<RescheduleNotice, 'minCancelNoticeMinutes'>,
  now: Date,
): Result<true, AppError> {
  if (visit.status !== 'scheduled' || visit.kind !== 'booked' || visit.slotStart === null)
    return err(appError(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'only a scheduled booked visit can be moved'));
  if (Date.parse(visit.slotStart) < now.getTime() + notice.minCancelNoticeMinutes * MIN)
    return err(
      appError(ErrorCodes.BOOKING_RESCHEDULE_TOO_LATE, 'too late to move the visit; call the clinic'),
    );
  return ok(true);
}

/** RS1–RS4 for a move of `visit` to `newSlotStart` at `now`. */
export function rescheduleDecision(
  visit: ReschedulableVisit,
  newSlotStart: string,
  notice: RescheduleNotice,
  now: Date,
): Result<true, AppError> {
  const may = canReschedule(visit, notice, now);
  if (!may.ok) return may;
  const target = Date.parse(newSlotStart);
  if (Number.isNaN(target)) return err(appError(ErrorCodes.VALIDATION_FAILED, 'p_slot_start is required'));
  if (visit.slotStart !== null && Date.parse(visit.slotStart) === target)
    return err(appError(ErrorCodes.BOOKING_RESCHEDULE_SAME_SLOT, 'the visit is already at that time'));
  if (target <= now.getTime() || target < now.getTime() + notice.minBookingNoticeMinutes * MIN)
    return err(appError(ErrorCodes.BOOKING_TOO_SOON, 'the slot starts too soon to book'));
  return ok(true);
}

export interface ReschedulableFluidVisit {
  readonly status: string;
  readonly kind: 'booked' | 'walk_in';
  readonly fluid: boolean;
  /** The visit's day (`YYYY-MM-DD`, the clinic's). */
  readonly day: string;
  /** When that day's first opening hour begins (ISO instant; the day's midnight when it has none). */
  readonly dayOpensAt: string;
}

/** RS1, RS2, RS4 for a move of a fluid visit to `newDay`'s line at `now`. */
export function rescheduleFluidDecision(
  visit: ReschedulableFluidVisit,
  newDay: string,
  notice: Pick<RescheduleNotice, 'minCancelNoticeMinutes'>,
  now: Date,
): Result<true, AppError> {
  if (visit.status !== 'scheduled' || visit.kind !== 'booked')
    return err(appError(ErrorCodes.QUEUE_ILLEGAL_TRANSITION, 'only a scheduled booked visit can be moved'));
  if (!visit.fluid)
    return err(appError(ErrorCodes.BOOKING_MODE_MISMATCH, 'this visit has a time: move it to another slot'));
  if (Date.parse(visit.dayOpensAt) < now.getTime() + notice.minCancelNoticeMinutes * MIN)
    return err(
      appError(ErrorCodes.BOOKING_RESCHEDULE_TOO_LATE, 'too late to move the visit; call the clinic'),
    );
  if (newDay === visit.day)
    return err(appError(ErrorCodes.BOOKING_RESCHEDULE_SAME_DAY, "the visit is already in that day's line"));
  return ok(true);
}
