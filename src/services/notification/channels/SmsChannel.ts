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

/** What the send-sms function reported (the detailed outcome). A duplicate reports the status of the
 * first send (`queued` while it is in flight, later `sent`/`delivered`). */
export const SMS_SEND_OUTCOMES = [
  'sent',
  'simulated',
  'failed',
  'skipped_budget',
  'opted_out',
  'no_recipient',
  'queued',
  'delivered',
] as const;
export type SmsSendOutcome = (typeof SMS_SEND_OUTCOMES)[number];

/** The status NotificationService acts on (the union of repositories/NotificationPorts.ts `SmsStatus`):
 * `duplicate` when the key was already used; opted-out / no phone count as `failed` (see `outcome`). */
export type SmsSendStatus = 'sent' | 'simulated' | 'duplicate' | 'skipped_budget' | 'failed';

export interface SmsSendResult {
  readonly status: SmsSendStatus;
  readonly outcome: SmsSendOutcome;
  readonly notificationId: string | null;
  readonly attempts: number;
  readonly segments: number;
  readonly cost: number;
  readonly providerId: string | null;
  /** True for the message that took the clinic's monthly usage to budget_alert_ratio: warn the owners. */
  readonly budgetAlert: boolean;
  readonly error: string | null;
}

/** Maps the function's answer to the status the service acts on. */
export const smsSendStatus = (outcome: SmsSendOutcome, duplicate: boolean): SmsSendStatus =>
  duplicate
    ? 'duplicate'
    : outcome === 'sent' || outcome === 'delivered' || outcome === 'queued'
      ? 'sent'
      : outcome === 'simulated' || outcome === 'skipped_budget'
        ? outcome
        : 'failed';

/** Structurally the same port as repositories/NotificationPorts.ts (which NotificationService uses): an
 * `OutgoingSms` is an `SmsMessage`, and an `SmsSendResult` is what that port expects back. */
export interface SmsChannel {
  send(message: SmsMessage): Promise<Result<SmsSendResult, AppError>>;
}
