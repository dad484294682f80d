/**
 * A clinic's monthly SMS budget (DOMAIN.md "Notifications"): a limit on the SMS count and on the
 * amount; a message that would exceed either is not sent and is recorded as `skipped_budget`; owners are
 * warned once usage reaches `budget_alert_ratio` (0.8).
 *
 * Counting: the SMS count is in segments, as providers bill (a 2-segment message counts 2); amounts are
 * in minor units (centimes) so sums stay exact. A limit of `null` means no limit on that measure.
 */
export interface SmsBudgetLimits {
  readonly monthlySegmentLimit: number | null;
  readonly monthlyAmountLimit: number | null;
  /** `budget_alert_ratio` from ClinicSettings. */
  readonly alertRatio: number;
}

export interface SmsUsage {
  readonly segments: number;
  readonly amount: number;
}

export type BudgetDecision =
  | {
      readonly status: 'send';
      /** Usage after this message. */
      readonly usage: SmsUsage;
      /** The highest share of a limit used after this message (0 when unlimited). */
      readonly ratio: number;
      /** True for the message that takes usage to or past the alert ratio: warn the owners now. */
      readonly warnOwners: boolean;
    }
  | {
      readonly status: 'skipped_budget';
      readonly usage: SmsUsage;
      readonly ratio: number;
      /** Which limit would be exceeded. */
      readonly exceeded: 'segments' | 'amount';
      readonly warnOwners: false;
    };

const ratioOf = (used: SmsUsage, limits: SmsBudgetLimits): number =>
  Math.max(
    limits.monthlySegmentLimit === null
      ? 0
      : limits.monthlySegmentLimit === 0
        ? 1
        : used.segments / limits.monthlySegmentLimit,
    limits.monthlyAmountLimit === null
      ? 0
      : limits.monthlyAmountLimit === 0
        ? 1
        : used.amount / limits.monthlyAmountLimit,
  );

/** Whether a message of `message.segments` costing `message.cost` may be sent with this month's usage. */
export const decideSmsBudget = (input: {
  readonly limits: SmsBudgetLimits;
  readonly used: SmsUsage;
  readonly message: { readonly segments: number; readonly cost: number };
}): BudgetDecision => {
  const { limits, used, message } = input;
  const after: SmsUsage = { segments: used.segments + message.segments, amount: used.amount + message.cost };
  const before = ratioOf(used, limits);
  if (limits.monthlySegmentLimit !== null && after.segments > limits.monthlySegmentLimit) {
    return { status: 'skipped_budget', usage: used, ratio: before, exceeded: 'segments', warnOwners: false };
  }
  if (limits.monthlyAmountLimit !== null && after.amount > limits.monthlyAmountLimit) {
    return { status: 'skipped_budget', usage: used, ratio: before, exceeded: 'amount', warnOwners: false };
  }
  const ratio = ratioOf(after, limits);
  return {
    status: 'send',
    usage: after,
    ratio,
    warnOwners: before < limits.alertRatio && ratio >= limits.alertRatio,
  };
};
