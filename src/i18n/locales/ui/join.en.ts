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
};
