/**
 * The idempotency key of a message a queue event owes. The browser (NotificationService) and the
 * server's outbox sweep compute the same key for the same event — the database twin is
 * `private.event_notification_key` (supabase/migrations/20261201000500_notifications.sql) — so
 * whichever sends first wins and the other finds the key taken: one SMS, never two, never none.
 *
 *   <db kind>:<entry id>:<correlation id of the command>   (your_turn, still_next, marked_absent, returned)
 *   <db kind>:<entry id>                                   (cancelled, no_show, booking_confirmed: once per visit)
 *   almost_turn:<entry id>:once                            ("almost your turn": once per visit)
 */
import type { MessageKind } from '../models/MessageTemplate';

/** The database's `notification_kind` for a message kind: the same name (one name per kind). */
export const dbNotificationKind = (kind: MessageKind): string => kind;

const ONCE_PER_VISIT: ReadonlySet<MessageKind> = new Set(['cancelled', 'no_show', 'booking_confirmed']);

export const notificationIdempotencyKey = (input: {
  readonly kind: MessageKind;
  readonly entryId: string;
  readonly correlationId: string;
}): string =>
  input.kind === 'almost_turn'
    ? `almost_turn:${input.entryId}:once`
    : ONCE_PER_VISIT.has(input.kind)
      ? `${input.kind}:${input.entryId}`
      : `${dbNotificationKind(input.kind)}:${input.entryId}:${input.correlationId}`;
