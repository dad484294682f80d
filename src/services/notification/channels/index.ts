// The notification module's channels: the SMS port, its supabase-js adapter and the idempotency key.
export {
  SMS_SEND_OUTCOMES,
  smsSendStatus,
  type SmsChannel,
  type SmsMessage,
  type SmsSendOutcome,
  type SmsSendResult,
  type SmsSendStatus,
} from './SmsChannel';
export { SupabaseSmsChannel } from './SupabaseSmsChannel';
export { dbNotificationKind, notificationIdempotencyKey } from './idempotency';
