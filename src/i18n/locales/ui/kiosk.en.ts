/**
 * The kiosk screen's strings (en), loaded with the kiosk page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle (issue 14).
 */
export const kioskEn = {
  title: 'Welcome — please check in',
  lead: 'Type your ticket code (e.g. A-012) and the last 4 digits of your phone number.',
  ticket: 'Ticket code',
  digits: 'Last 4 digits of your phone',
  submit: 'Check in',
  notFound:
    'The ticket and phone digits do not match a visit today. Please check them, or ask at the reception desk.',
  tooMany: 'Too many wrong answers at this kiosk. Please check in at the reception desk.',
  done: 'You are checked in, ticket {{ticket}}.',
  position: 'You are number {{n}} in line. Please take a seat.',
  again: 'Next patient',
  pairTitle: 'Use this tablet as the check-in kiosk',
  pairLead:
    'Pairing gives this tablet a kiosk key that can only check patients in. Your staff session is signed out of this tablet right after.',
  pairLabel: 'Kiosk name',
  pairDefault: 'Entrance kiosk',
  pair: 'Pair this tablet',
  paired: 'Paired kiosks',
  none: 'No kiosk is paired yet.',
  pairedAt: 'paired {{at}}',
  revoke: 'Unpair',
  revoked: 'Unpaired',
  revokedPairerLeft: 'Stopped: its pairer left',
  notPaired: 'This tablet is no longer paired as a kiosk. A staff member can pair it again.',
  pairAgain: 'Pair again',
  // kiosk17f: walk-in registration, the printed ticket, pairing by code
  noBooking: 'No appointment?',
  walkInStart: 'Take a ticket',
  // fix21d: the kiosk's settings could not be read (not an unpairing): the walk-in button waits for them
  settingsFailed: 'Walk-in tickets are unavailable right now.',
  retry: 'Try again',
};
