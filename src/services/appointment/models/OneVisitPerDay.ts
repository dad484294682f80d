/**
 * One visit per patient per day (issue 12) — whether a patient may book (online, by staff, at the kiosk) or
 * join remotely on a day where they already have visits.
 *
 * The rules (each has a test named after it; private.book and private.remote_join apply the same ones, the fake
 * repository uses this module):
 *   V1 a patient has at most one open visit a day (scheduled, waiting, called, in service, absent):
 *      a second one is refused (QUEUE.DUPLICATE_ENTRY);
 *   V2 a no-show of that day still counts: the patient may not book again that day (BOOKING.NO_SHOW_TODAY).
 *      Staff re-activate the no-show instead (a fresh arrival, rule D10) — booking again would let that
 *      re-activation give the patient two open visits, and would hide the missed visit from the desk;
 *   V3 a completed or cancelled visit does not count: the patient may book again that day.
 * Pure: the statuses of the patient's visits of that day come in as an argument.
 *
 * DOMAIN.md's queue rules do not list V1–V3 yet (the shared file is edited by the owner, not by a branch): this
 * comment is where they are written down until then. In DOMAIN.md's words, V2 reads: "a no-show of that day
 * counts in one-visit-per-day; staff re-activate it instead of booking again". Its tests, by name:
 *   - OneVisitPerDay.test.ts  'V2 a no-show of that day still counts: the patient may not book again that day'
 *   - supabase/tests/oneVisitPerDay.test.ts  'V2 a no-show of that day still counts: the patient may not book
 *     again that day, the desk re-activates it' and 'V2 a no-show of that day refuses a remote join too'
 *     (private.book and join_queue_remotely on PGlite and PostgreSQL, through private.check_same_day_visit).
 */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';

const OPEN = ['scheduled', 'waiting', 'called', 'in_service', 'absent'] as const;

/** May the patient get a new visit on a day where their visits have these statuses? */
export const sameDayVisitDecision = (statuses: readonly string[]): Result<void, AppError> => {
  if (statuses.some((s) => (OPEN as readonly string[]).includes(s)))
    return err(appError(ErrorCodes.QUEUE_DUPLICATE_ENTRY, 'the patient already has a visit that day'));
  if (statuses.includes('no_show'))
    return err(
      appError(ErrorCodes.BOOKING_NO_SHOW_TODAY, 'the patient missed a visit that day: staff re-activate it'),
    );
  return ok(undefined);
};
