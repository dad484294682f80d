/**
 * "Join today's queue from my phone" (issue 17) strings (fr), loaded with the clinic page's card
 * (src/i18n/pageStrings.ts), not with every screen's language bundle.
 */
export const joinFr = {
  title: 'Rejoindre la file d’aujourd’hui',
  body: 'Sans rendez-vous ? Prenez votre place dans la file du jour depuis votre téléphone et suivez-la en direct.',
  left: 'Encore {{count}} places en ligne aujourd’hui.',
  join: 'Rejoindre la file maintenant',
  signIn: 'Connectez-vous avec votre téléphone pour rejoindre la file.',
};
