// CommandHold (rt24 + fix24b, desk25): the hold of a desk's realtime changes during its own command, as a table
// of transitions — state × event → next state and action — and the release's plan.
import { describe, expect, it } from 'vitest';
import {
  HOLD_IDLE,
  holdStep,
  releasePlan,
  type HoldAction,
  type HoldEvent,
  type HoldState,
} from './CommandHold';

const HELD: HoldState = { held: true };

describe('holdStep: every transition', () => {
  const table: readonly [string, HoldState, HoldEvent, HoldState, HoldAction][] = [
    // a change heard with no command running goes on, whatever the hold
    [
      'idle, change, no command',
      HOLD_IDLE,
      { type: 'heard', commandRuns: false },
      HOLD_IDLE,
      { kind: 'proceed' },
    ],
    ['held, change, no command', HELD, { type: 'heard', commandRuns: false }, HELD, { kind: 'proceed' }],
    // during the desk's own command: held; only the first held change starts the limit
    [
      'idle, change during a command',
      HOLD_IDLE,
      { type: 'heard', commandRuns: true },
      HELD,
      { kind: 'hold', startLimit: true },
    ],
    [
      'held, another change during the command',
      HELD,
      { type: 'heard', commandRuns: true },
      HELD,
      { kind: 'hold', startLimit: false },
    ],
    // the commands settle: release once; still running (another command) or nothing held: nothing
    [
      'held, commands settled',
      HELD,
      { type: 'commandsUpdated', commandRuns: false },
      HOLD_IDLE,
      { kind: 'release' },
    ],
    [
      'held, a command still runs',
      HELD,
      { type: 'commandsUpdated', commandRuns: true },
      HELD,
      { kind: 'none' },
    ],
    [
      'idle, commands settled',
      HOLD_IDLE,
      { type: 'commandsUpdated', commandRuns: false },
      HOLD_IDLE,
      { kind: 'none' },
    ],
    [
      'idle, a command starts',
      HOLD_IDLE,
      { type: 'commandsUpdated', commandRuns: true },
      HOLD_IDLE,
      { kind: 'none' },
    ],
    // the limit (fix24b): a hung command releases what it holds
    ['held, limit reached', HELD, { type: 'limitReached' }, HOLD_IDLE, { kind: 'release' }],
  ];
  it.each(table)('%s', (_name, state, event, next, action) => {
    expect(holdStep(state, event)).toEqual({ state: next, action });
  });

  it('a hung command: held, limit, then the command fails — released once, by the limit', () => {
    const events: HoldEvent[] = [
      { type: 'heard', commandRuns: true },
      { type: 'heard', commandRuns: true },
      { type: 'limitReached' },
      { type: 'commandsUpdated', commandRuns: false },
    ];
    let state = HOLD_IDLE;
    const actions = events.map((e) => {
      const t = holdStep(state, e);
      state = t.state;
      return t.action.kind;
    });
    expect(actions).toEqual(['hold', 'hold', 'release', 'none']);
    expect(state).toEqual(HOLD_IDLE);
  });
});

describe('releasePlan: what a release does', () => {
  const table: readonly [boolean, boolean, ReturnType<typeof releasePlan>][] = [
    [true, true, 'awaitRead'], // a read already running may bring it: wait for it, never cancel it
    [true, false, 'awaitRead'],
    [false, true, 'load'], // a version the command did not bring was heard: one load
    [false, false, 'none'], // the command's answer brought everything heard
  ];
  it.each(table)('read running %s, behind %s → %s', (readRunning, behind, plan) => {
    expect(releasePlan({ readRunning, behind })).toBe(plan);
  });
});
