/**
 * The kiosk's walk-in form, printed ticket and pairing-by-code strings (en; kiosk17f), loaded with those screens'
 * lazy chunks (src/i18n/pageStrings.ts), not with the kiosk's first screen (its size budget, issue 14).
 */
export const kioskMoreEn = {
  walkInTitle: 'Take a place in today’s line',
  walkInLead: 'Type your name and your phone number to get a ticket.',
  name: 'Your name',
  phone: 'Your phone number',
  walkInSubmit: 'Get my ticket',
  back: 'Back',
  walkInClosed: 'The kiosk cannot register you right now. Please ask at the reception desk.',
  walkInBusy: 'Many tickets were just taken at this kiosk. Please ask at the reception desk.',
  phoneInvalid: 'Please check your phone number (for example 06 12 34 56 78).',
  walkInDone: 'You are in line, ticket {{ticket}}.',
  ticketTitle: 'Your ticket',
  ticketAt: 'Issued {{at}}',
  ticketTrack: 'Follow your place in line on your phone:',
  print: 'Print my ticket',
  codeTitle: 'Pair this tablet as the kiosk',
  codeLead: 'Type the pairing code a staff member got on their screen (Kiosk → Get a pairing code).',
  codeLabel: 'Pairing code',
  codeSubmit: 'Pair this tablet',
  codeWrong: 'This code is not valid or has expired. Ask for a new code.',
  codeStaff: 'Staff: sign in on this tablet instead',
  codeGet: 'Get a pairing code',
  codeShown: 'Type this code on the tablet’s kiosk screen. It works once, until {{at}}.',
};
