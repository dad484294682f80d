/**
 * "Join today's queue from my phone" (issue 17) strings (en), loaded with the clinic page's card
 * (src/i18n/pageStrings.ts), not with every screen's language bundle.
 */
export const joinEn = {
  title: 'Join today’s queue',
  body: 'No appointment? Take your place in today’s line from your phone and follow it live.',
  left: '{{count}} places left online today.',
  join: 'Join the queue now',
  signIn: 'Sign in with your phone to join the queue.',
  why: {
    off: 'This clinic does not offer joining the queue online.',
    outside_hours: 'Joining the queue online opens during the clinic’s opening hours.',
    full: 'No more places to join the queue online today.',
    intake_closed: 'The clinic takes no more patients today.',
    day_closed: 'Today’s queue is closed.',
    closed_day: 'The clinic is closed today.',
  },
};
