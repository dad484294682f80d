import type { QueueEventBase } from './QueueEventBase';

/** The grace period passed without a return: absent → no_show (the patient's no-show). */
export interface GraceExpiredPayload {
  readonly ticket: string;
  readonly graceEndsAt: string;
  /** Set by the database's grace sweep (private.expire_grace): the server expired it, no one at a desk. */
  readonly automatic?: boolean;
}

export type GraceExpiredEvent = QueueEventBase<'GraceExpired', GraceExpiredPayload>;
