import { describe, expect, it } from 'vitest';
import { decideSmsBudget } from './SmsBudget';
import type { SmsBudgetLimits } from './SmsBudget';

const limits: SmsBudgetLimits = { monthlySegmentLimit: 100, monthlyAmountLimit: 5_000, alertRatio: 0.8 };

describe('A clinic has a monthly limit (count and amount); a message that would exceed it is not sent and is recorded as skipped_budget; owners are warned at budget_alert_ratio', () => {
  it('sends within both limits and reports the usage after', () => {
    const d = decideSmsBudget({
      limits,
      used: { segments: 10, amount: 350 },
      message: { segments: 2, cost: 70 },
    });
    expect(d).toEqual({
      status: 'send',
      usage: { segments: 12, amount: 420 },
      ratio: 0.12,
      warnOwners: false,
    });
  });

  it('skips a message that would exceed the count limit, even by one segment', () => {
    expect(
      decideSmsBudget({ limits, used: { segments: 99, amount: 0 }, message: { segments: 1, cost: 35 } })
        .status,
    ).toBe('send');
    const d = decideSmsBudget({
      limits,
      used: { segments: 99, amount: 0 },
      message: { segments: 2, cost: 70 },
    });
    expect(d).toEqual({
      status: 'skipped_budget',
      usage: { segments: 99, amount: 0 },
      ratio: 0.99,
      exceeded: 'segments',
      warnOwners: false,
    });
  });

  it('skips a message that would exceed the amount limit', () => {
    const d = decideSmsBudget({
      limits,
      used: { segments: 0, amount: 4_990 },
      message: { segments: 1, cost: 35 },
    });
    expect(d.status === 'skipped_budget' && d.exceeded).toBe('amount');
  });

  it('warns the owners once: on the message that reaches the alert ratio, not before nor after', () => {
    const at = (segments: number) =>
      decideSmsBudget({ limits, used: { segments, amount: 0 }, message: { segments: 1, cost: 0 } })
        .warnOwners;
    expect([at(78), at(79), at(80), at(90)]).toEqual([false, true, false, false]);
    // the amount can trigger it too
    const byAmount = decideSmsBudget({
      limits,
      used: { segments: 0, amount: 3_990 },
      message: { segments: 1, cost: 20 },
    });
    expect(byAmount.warnOwners).toBe(true);
  });

  it('a null limit means unlimited; a zero limit sends nothing', () => {
    const open = { monthlySegmentLimit: null, monthlyAmountLimit: null, alertRatio: 0.8 };
    const d = decideSmsBudget({
      limits: open,
      used: { segments: 1e6, amount: 1e8 },
      message: { segments: 3, cost: 105 },
    });
    expect(d).toMatchObject({ status: 'send', ratio: 0, warnOwners: false });
    const zero = { monthlySegmentLimit: 0, monthlyAmountLimit: 0, alertRatio: 0.8 };
    expect(
      decideSmsBudget({ limits: zero, used: { segments: 0, amount: 0 }, message: { segments: 1, cost: 1 } }),
    ).toMatchObject({
      status: 'skipped_budget',
      ratio: 1,
    });
  });
});
