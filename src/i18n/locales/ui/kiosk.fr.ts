/**
 * The kiosk screen's strings (fr), loaded with the kiosk page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle (issue 14).
 */
export const kioskFr = {
  title: 'Bienvenue — enregistrez votre arrivée',
  lead: 'Saisissez votre ticket (ex. A-012) et les 4 derniers chiffres de votre téléphone.',
  ticket: 'Ticket',
  digits: '4 derniers chiffres de votre téléphone',
  submit: 'M’enregistrer',
  notFound:
    'Le ticket et les chiffres du téléphone ne correspondent à aucune visite aujourd’hui. Vérifiez-les ou adressez-vous à l’accueil.',
  tooMany: 'Trop de réponses erronées sur cette borne. Merci de vous enregistrer à l’accueil.',
  done: 'Vous êtes enregistré, ticket {{ticket}}.',
  position: 'Vous êtes n° {{n}} dans la file. Installez-vous.',
  again: 'Patient suivant',
  pairTitle: 'Utiliser cette tablette comme borne d’accueil',
  pairLead:
    'L’association donne à cette tablette une clé de borne qui ne peut qu’enregistrer les arrivées. Votre session est ensuite fermée sur cette tablette.',
  pairLabel: 'Nom de la borne',
  pairDefault: 'Borne de l’entrée',
  pair: 'Associer cette tablette',
  paired: 'Bornes associées',
  none: 'Aucune borne associée pour l’instant.',
  pairedAt: 'associée le {{at}}',
  revoke: 'Dissocier',
  revoked: 'Dissociée',
  revokedPairerLeft: 'Arrêtée : son auteur est parti',
  notPaired:
    'Cette tablette n’est plus associée comme borne. Un membre de l’équipe peut l’associer à nouveau.',
  pairAgain: 'Associer à nouveau',
  // kiosk17f : inscription sans rendez-vous, ticket imprimé, association par code
  noBooking: 'Pas de rendez-vous ?',
  walkInStart: 'Prendre un ticket',
  // fix21d : les réglages de la borne n’ont pas pu être lus (pas une dissociation) : le bouton sans rendez-vous les attend
  settingsFailed: 'Tickets sans rendez-vous indisponibles pour le moment.',
  retry: 'Réessayer',
};
