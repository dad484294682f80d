// CommandHold (rt24 + fix24b, desk25): the hold of a desk's realtime changes during its own command, as a table
// of transitions — held × event × a command running → held after, action — and the release's plan.
import { describe, expect, it } from 'vitest';
import { holdStep, releasePlan, type HoldAction, type HoldEvent } from './CommandHold';

describe('holdStep: every transition', () => {
  const table: readonly [string, boolean, HoldEvent, boolean, boolean, HoldAction][] = [
    // name, held, event, a command runs → held after, action
    // a change heard with no command running goes on, whatever the hold
    ['idle, change, no command', false, 'heard', false, false, 'proceed'],
    ['held, change, no command', true, 'heard', false, true, 'proceed'],
    // during the desk's own command: held; only the first held change starts the limit
    ['idle, change during a command', false, 'heard', true, true, 'holdAndLimit'],
    ['held, another change during the command', true, 'heard', true, true, 'hold'],
    // the commands settle: release once; a command still running, or nothing held: nothing
    ['held, commands settled', true, 'commandsUpdated', false, false, 'release'],
    ['held, a command still runs', true, 'commandsUpdated', true, true, 'none'],
    ['idle, commands settled', false, 'commandsUpdated', false, false, 'none'],
    ['idle, a command starts', false, 'commandsUpdated', true, false, 'none'],
    // the limit (fix24b): a hung command releases what it holds
    ['held, limit reached, the command hangs', true, 'limitReached', true, false, 'release'],
  ];
  it.each(table)('%s', (_name, held, event, commandRuns, heldAfter, action) => {
    expect(holdStep(held, event, commandRuns)).toEqual([heldAfter, action]);
  });

  it('a hung command: held, the limit, then the command fails — released once, by the limit', () => {
    const events: [HoldEvent, boolean][] = [
      ['heard', true],
      ['heard', true],
      ['limitReached', true],
      ['commandsUpdated', false],
    ];
    let held = false;
    const actions = events.map(([event, runs]) => {
      const [next, action] = holdStep(held, event, runs);
      held = next;
      return action;
    });
    expect(actions).toEqual(['holdAndLimit', 'hold', 'release', 'none']);
    expect(held).toBe(false);
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
    expect(releasePlan(readRunning, behind)).toBe(plan);
  });
});
