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
  why: {
    off: 'Ce cabinet ne propose pas de rejoindre la file en ligne.',
    outside_hours: 'L’inscription en ligne dans la file ouvre pendant les heures d’ouverture du cabinet.',
    full: 'Plus de places pour rejoindre la file en ligne aujourd’hui.',
    intake_closed: 'Le cabinet ne prend plus de patients aujourd’hui.',
    day_closed: 'La file du jour est close.',
    closed_day: 'Le cabinet est fermé aujourd’hui.',
  },
};
