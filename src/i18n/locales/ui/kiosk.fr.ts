/**
 * The kiosk screen's strings (fr), loaded with the kiosk page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle (issue 14).
 */
export const kioskFr = {
  title: 'Bienvenue — enregistrez votre arrivée',
  lead: 'Saisissez votre numéro de téléphone ou votre ticket (ex. A-012).',
  input: 'Téléphone ou ticket',
  submit: 'M’enregistrer',
  notFound: 'Aucune visite trouvée pour aujourd’hui. Adressez-vous à l’accueil.',
  done: 'Vous êtes enregistré, ticket {{ticket}}.',
  position: 'Vous êtes n° {{n}} dans la file. Installez-vous.',
  again: 'Patient suivant',
};
