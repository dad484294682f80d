/**
 * Ports of the notification module. The real SMS channel (budget reservation, the send-sms edge function,
 * Twilio) is built by the notifications issue; `InMemorySmsChannel` stands in for tests.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { MessageKind, MessageLanguage, MessageTemplate } from '../api';
import type { ChannelName, Reach } from '../models/ChannelChoice';

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
  /** The patient's preferred channel (null/absent: none stated). */
  readonly preferredChannel?: ChannelName | null;
  /** The clinic's default channel (null/absent: the fallback order). */
  readonly clinicChannel?: ChannelName | null;
  /**
   * True when the browser did not read the patient's contact (`phone`, `smsOptOut` and `language` are then
   * unknown, not absent): the channel sends only a reference and the server, which reads the recipient and
   * checks the opt-out and the phone itself (send-sms), decides whether the message reaches the patient
   * (desk25: the desk no longer reads patients / clinics / queue_entries after each step to pre-check it).
   */
  readonly contactOnServer?: boolean;
}

export interface RecipientDirectory {
  /**
   * null when the entry is unknown (or not visible to the caller). `clinicId`: the clinic the message's event
   * belongs to, when known (a directory may answer from what it already holds of that clinic's day).
   */
  forEntry(entryId: string, clinicId?: string): Promise<Result<Recipient | null, AppError>>;
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

/**
 * What a channel's send answered beside its status: the server's own finding, when it decided the message
 * reaches nobody (`opted_out`, `no_recipient`: the patient has STOPped or has no phone on the server's record).
 */
export interface SendAnswer {
  readonly status: SmsStatus;
  readonly providerId: string | null;
  readonly outcome?: string;
}

/** One message for any channel: `to` is the channel's address for the patient (E.164 for SMS). */
export type OutgoingMessage = OutgoingSms;

/**
 * The channel port (issue 20): NotificationService picks one per message (models/ChannelChoice.ts: the
 * patient's preference, the clinic's default, the fallback order) among the wired adapters, and hands it the
 * rendered message. SMS is channels/SmsMessageChannel.ts over the `SmsChannel` below.
 */
export interface MessageChannel {
  readonly name: ChannelName;
  /** Whether this channel reaches the recipient (an address, not opted out). */
  reach(who: Recipient): Reach;
  /** The recipient's address on this channel (only asked when `reach` is 'ok'). */
  address(who: Recipient): string;
  send(message: OutgoingMessage): Promise<Result<SendAnswer, AppError>>;
}

export interface SmsChannel {
  send(message: OutgoingSms): Promise<Result<SendAnswer, AppError>>;
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
