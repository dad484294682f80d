/**
 * The SMS adapter of the channel port (repositories/NotificationPorts.ts `MessageChannel`): reaches a patient
 * with a phone who did not opt out (STOP), and sends through the `SmsChannel` (in the app: the send-sms
 * edge function, which checks the opt-out and the budget again on the server).
 */
import type { MessageChannel, SmsChannel } from '../repositories/NotificationPorts';

export const smsMessageChannel = (sms: SmsChannel): MessageChannel => ({
  name: 'sms',
  // a recipient whose contact only the server read (contactOnServer): send-sms checks the phone and the opt-out
  reach: (who) => (who.smsOptOut ? 'opted_out' : who.phone || who.contactOnServer ? 'ok' : 'no_address'),
  address: (who) => who.phone ?? '',
  send: (message) => sms.send(message),
});
