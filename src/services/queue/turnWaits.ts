/**
 * How long a command waiting in a queue day's turn line may go between two checks (issue 12, session 18). Each
 * check refreshes its claim, so the waits must stay well inside the claims' lease — and the database is the one
 * source of that lease (private.queue_turn_settings, answered by every turn check as TurnCheck.leaseMs): the
 * client derives its waits from the lease it was told, so changing the database's lease moves them with it.
 *  - `lined`: the last-resort bound of a waiter that follows the line (every claim ahead ends in a signal): half
 *    the lease, so a live waiter's claim lapses only when a check's round trip takes longer than the other half.
 *  - `poll`: the longest poll without a line (an older database, or no Realtime): a fifth of the lease.
 */
export interface TurnWaits {
  readonly lined: number;
  readonly poll: number;
}

/** The lease assumed when the database does not say (an older one): private.queue_turn_settings' default. */
export const DEFAULT_TURN_LEASE_MS = 10_000;

export const turnWaits = (leaseMs: number | undefined): TurnWaits => {
  const lease = leaseMs !== undefined && leaseMs > 0 ? leaseMs : DEFAULT_TURN_LEASE_MS;
  return { lined: Math.round(lease / 2), poll: Math.round(lease / 5) };
};
