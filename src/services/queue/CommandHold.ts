/**
 * The hold of a desk's realtime changes while its own command runs (rt24, fix24b; issues 12/14), as a pure
 * state machine beside QueueDeltas (desk25: it was a few variables inside useQueueRealtime's effect). No I/O,
 * no clock: the hook feeds it what happened and carries out what it answers (a timer, a load).
 *
 * Why: while this desk's own command runs, the change it hears is almost always the one the command's answer
 * brings (the save's NOTIFY outruns the answer, which waits for the estimates' store), so a new patient's name
 * look-up or a reload of the whole day would only compete with that store and the other screens' reads.
 *  - a change heard while a command runs is held; the first one held starts the limit (HOLD_LIMIT_MS: a
 *    command that hangs must not hold other desks' changes for ever);
 *  - a change heard while no command runs goes on at once (whether or not an earlier hold is still open);
 *  - the hold is released when the commands settle (the mutation cache updated with none running) or when the
 *    limit is reached, whichever comes first; releasing ends the limit;
 *  - on release (`releasePlan`): a read of the day already running (a failed command's re-read) may bring what
 *    was heard — wait for it instead of cancelling it for a second read, and load only if the screen is still
 *    behind the newest version heard; with no read running, load when behind, else nothing.
 */

/** The longest the desk holds realtime changes heard while its own command runs (a hung command releases them). */
export const HOLD_LIMIT_MS = 2_000;

/** What happened: a change was heard, the desk's commands changed state (the mutation cache said 'updated'), or
 * HOLD_LIMIT_MS passed since the hold began. */
export type HoldEvent = 'heard' | 'commandsUpdated' | 'limitReached';

/**
 * What to do: `proceed` with the change now (apply it or load); `hold` it back, and `holdAndLimit` also starts
 * the HOLD_LIMIT_MS timer (the hold just began); `release` the hold (stop the timer, follow `releasePlan`);
 * `none`.
 */
export type HoldAction = 'proceed' | 'hold' | 'holdAndLimit' | 'release' | 'none';

/** → [whether changes are held after the event, what to do]. `commandRuns`: one of the desk's commands is in flight. */
export function holdStep(
  held: boolean,
  event: HoldEvent,
  commandRuns: boolean,
): readonly [held: boolean, action: HoldAction] {
  if (event === 'limitReached') return [false, 'release'];
  if (event === 'heard') return commandRuns ? [true, held ? 'hold' : 'holdAndLimit'] : [held, 'proceed'];
  return held && !commandRuns ? [false, 'release'] : [held, 'none'];
}

/**
 * What a release does: `awaitRead` — let the day's read already running land, then load if the screen is still
 * behind; `load` — one load (the caller's one-load-at-a-time); `none`.
 */
export const releasePlan = (readRunning: boolean, behind: boolean): 'awaitRead' | 'load' | 'none' =>
  readRunning ? 'awaitRead' : behind ? 'load' : 'none';
