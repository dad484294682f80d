/**
 * The SMS channel port: NotificationService hands it one rendered message; the adapter delivers it (in
 * the app: the `send-sms` edge function, which reserves budget, records the message under its
 * idempotency key and calls Twilio). Sending the same key twice sends one SMS.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { MessageKind, MessageLanguage } from '../models/MessageTemplate';

export interface SmsMessage {
  readonly clinicId: string;
  readonly kind: MessageKind;
  /** See `notificationIdempotencyKey`: the same event always gives the same key. */
  readonly idempotencyKey: string;
  /** The rendered text (the channel renders nothing). */
  readonly body: string;
  /** E.164; optional when `entryId` is given (the visit's patient phone is used). */
  readonly to?: string;
  readonly entryId?: string;
  readonly language?: MessageLanguage;
}

/** What happened: `sent`/`simulated` went out; `skipped_budget`, `opted_out`, `no_recipient` did not; a
 * duplicate reports the status of the first send (`queued` while it is in flight, later `delivered`). */
export const SMS_SEND_STATUSES = [
  'sent',
  'simulated',
  'failed',
  'skipped_budget',
  'opted_out',
  'no_recipient',
  'queued',
  'delivered',
] as const;
export type SmsSendStatus = (typeof SMS_SEND_STATUSES)[number];

export interface SmsSendResult {
  readonly notificationId: string | null;
  readonly status: SmsSendStatus;
  readonly duplicate: boolean;
  readonly attempts: number;
  readonly segments: number;
  readonly cost: number;
  readonly providerId: string | null;
  /** True for the message that took the clinic's monthly usage to budget_alert_ratio: warn the owners. */
  readonly budgetAlert: boolean;
  readonly error: string | null;
}

export interface SmsChannel {
  send(message: SmsMessage): Promise<Result<SmsSendResult, AppError>>;
}
