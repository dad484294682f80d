/**
 * Ports of the notification module. The real SMS channel (budget reservation, the send-sms edge function,
 * Twilio) is built by the notifications issue; `InMemorySmsChannel` stands in for tests.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { MessageKind, MessageLanguage, MessageTemplate } from '../api';

/** Who a queue/booking message goes to (looked up by entry id; never logged). */
export interface Recipient {
  readonly entryId: string;
  readonly clinicId: string;
  readonly patientName: string;
  /** E.164, or null (no SMS possible). */
  readonly phone: string | null;
  readonly language: MessageLanguage | null;
  readonly smsOptOut: boolean;
  readonly clinicName: string;
  readonly clinicLanguage: MessageLanguage;
  readonly timeZone: string;
  /** e.g. `A-014`. */
  readonly ticket: string;
}

export interface RecipientDirectory {
  /** null when the entry is unknown (or not visible to the caller). */
  forEntry(entryId: string): Promise<Result<Recipient | null, AppError>>;
}

export interface TemplateSource {
  /** The clinic's own (validated) templates; the built-in defaults fill the gaps. */
  clinicTemplates(clinicId: string): Promise<Result<readonly MessageTemplate[], AppError>>;
}

export interface OutgoingSms {
  readonly clinicId: string;
  readonly entryId: string;
  readonly kind: MessageKind;
  readonly language: MessageLanguage;
  readonly to: string;
  readonly body: string;
  readonly segments: number;
  /** Same message, same key: the channel sends it at most once. */
  readonly idempotencyKey: string;
  /** What the server needs to find the event (see channels/SmsChannel.ts: only this reference is sent). */
  readonly correlationId?: string;
  readonly position?: number;
  readonly trackingToken?: string;
}

export type SmsStatus = 'sent' | 'simulated' | 'duplicate' | 'skipped_budget' | 'failed';

export interface SmsChannel {
  send(
    message: OutgoingSms,
  ): Promise<Result<{ readonly status: SmsStatus; readonly providerId: string | null }, AppError>>;
}

/** Positions of a clinic's waiting patients now (for "almost your turn"); wired to the queue in the composition root. */
export interface QueuePositions {
  positions(clinicId: string): Promise<
    Result<
      {
        readonly notifyAtPosition: number;
        readonly waiting: readonly { readonly entryId: string; readonly position: number }[];
      },
      AppError
    >
  >;
}
