import type { QueueEventBase } from './QueueEventBase';

/** The grace period passed without a return: absent → no_show (the patient's no-show). */
export interface GraceExpiredPayload {
  readonly ticket: string;
  readonly graceEndsAt: string;
}

export type GraceExpiredEvent = QueueEventBase<'GraceExpired', GraceExpiredPayload>;
