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

export interface HoldState {
  /** Changes were heard during the desk's own command and wait for its end (or the limit). */
  readonly held: boolean;
}

export const HOLD_IDLE: HoldState = { held: false };

export type HoldEvent =
  /** A change to apply or load was heard; `commandRuns`: one of this desk's commands is in flight. */
  | { readonly type: 'heard'; readonly commandRuns: boolean }
  /** The desk's commands changed state (the mutation cache said 'updated'). */
  | { readonly type: 'commandsUpdated'; readonly commandRuns: boolean }
  /** HOLD_LIMIT_MS passed since the hold began. */
  | { readonly type: 'limitReached' };

export type HoldAction =
  /** Go on with the change now (apply it or load). */
  | { readonly kind: 'proceed' }
  /** Keep the change back; `startLimit`: start the HOLD_LIMIT_MS timer (the hold just began). */
  | { readonly kind: 'hold'; readonly startLimit: boolean }
  /** End the hold: stop the limit's timer and follow `releasePlan`. */
  | { readonly kind: 'release' }
  /** Nothing to do. */
  | { readonly kind: 'none' };

export interface HoldTransition {
  readonly state: HoldState;
  readonly action: HoldAction;
}

const NONE: HoldAction = { kind: 'none' };

export function holdStep(state: HoldState, event: HoldEvent): HoldTransition {
  switch (event.type) {
    case 'heard':
      if (!event.commandRuns) return { state, action: { kind: 'proceed' } };
      return { state: { held: true }, action: { kind: 'hold', startLimit: !state.held } };
    case 'commandsUpdated':
      if (!state.held || event.commandRuns) return { state, action: NONE };
      return { state: HOLD_IDLE, action: { kind: 'release' } };
    case 'limitReached':
      return { state: HOLD_IDLE, action: { kind: 'release' } };
  }
}

/**
 * What a release does: `awaitRead` — let the day's read already running land, then load if still `behind`
 * (ask again with `readRunning: false`); `load` — one load (the caller's one-load-at-a-time); `none`.
 */
export function releasePlan(input: {
  readonly readRunning: boolean;
  readonly behind: boolean;
}): 'awaitRead' | 'load' | 'none' {
  if (input.readRunning) return 'awaitRead';
  return input.behind ? 'load' : 'none';
}
