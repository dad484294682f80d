/**
 * The clinic's appointment reminder setting (issue 20): a reminder is sent 5 to 2880 minutes (2 days) before
 * a booked visit, or not at all (null). The same bounds as clinics.reminder_minutes_before and
 * public.set_reminder_minutes_before (REMINDER.INVALID_MINUTES), checked here first so the form answers at once.
 */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';

export const REMINDER_MIN_MINUTES = 5;
export const REMINDER_MAX_MINUTES = 2880;

/** null = reminders off; otherwise a whole number of minutes within the bounds. */
export const checkReminderMinutes = (minutes: number | null): Result<number | null, AppError> => {
  if (minutes === null) return ok(null);
  if (!Number.isInteger(minutes) || minutes < REMINDER_MIN_MINUTES || minutes > REMINDER_MAX_MINUTES)
    return err(
      appError(
        ErrorCodes.REMINDER_INVALID_MINUTES,
        'the reminder is sent 5 to 2880 minutes before, or not at all',
        {
          min: REMINDER_MIN_MINUTES,
          max: REMINDER_MAX_MINUTES,
        },
      ),
    );
  return ok(minutes);
};
