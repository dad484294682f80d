/**
 * The SMS channel port: NotificationService hands it one message; the adapter delivers it (in the app: the
 * `send-sms` edge function). The Supabase adapter sends only a REFERENCE — the visit, the kind and what
 * identifies the event (correlation id / event id), the position for "almost your turn", the visit's own
 * tracking token for a booking confirmation. The server decides whether the message is owed, reads the
 * recipient from the database and renders the text from the clinic's template; `to` and `body` here are the
 * browser's preview (the in-memory channel keeps them) and never leave the browser. Sending the same
 * reference twice sends one SMS.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { MessageKind, MessageLanguage } from '../models/MessageTemplate';

export interface SmsMessage {
  readonly clinicId: string;
  readonly kind: MessageKind;
  /** The visit the message is about (its patient is the recipient). */
  readonly entryId: string;
  /** See `notificationIdempotencyKey`: the key the server derives for the same event. */
  readonly idempotencyKey?: string;
  /** The command's correlation id: picks the logged event a queue message answers. */
  readonly correlationId?: string;
  /** The logged event's id, when known. */
  readonly eventId?: number;
  /** "almost your turn": the patient's position (1..notify_at_position). */
  readonly position?: number;
  /** booking_confirmed: the visit's tracking token (the server checks it against the visit). */
  readonly trackingToken?: string;
  /** Preview only (never sent): the text the browser expects and the phone on file. */
  readonly body?: string;
  readonly to?: string;
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
