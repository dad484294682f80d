/**
 * The kiosk screen's strings (en), loaded with the kiosk page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle (issue 14).
 */
export const kioskEn = {
  title: 'Welcome — please check in',
  lead: 'Type your phone number or your ticket code (e.g. A-012).',
  input: 'Phone number or ticket',
  submit: 'Check in',
  notFound: 'We could not find a visit for today. Please ask at the reception desk.',
  done: 'You are checked in, ticket {{ticket}}.',
  position: 'You are number {{n}} in line. Please take a seat.',
  again: 'Next patient',
};
