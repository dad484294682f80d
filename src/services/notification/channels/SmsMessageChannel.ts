/**
 * The SMS adapter of the channel port (repositories/NotificationPorts.ts `MessageChannel`): reaches a patient
 * with a phone who did not opt out (STOP), and sends through the `SmsChannel` (in the app: the send-sms
 * edge function, which checks the opt-out and the budget again on the server).
 */
import type { MessageChannel, SmsChannel } from '../repositories/NotificationPorts';

export const smsMessageChannel = (sms: SmsChannel): MessageChannel => ({
  name: 'sms',
  reach: (who) => (who.smsOptOut ? 'opted_out' : who.phone ? 'ok' : 'no_address'),
  address: (who) => who.phone ?? '',
  send: (message) => sms.send(message),
});
