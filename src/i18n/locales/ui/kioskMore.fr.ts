/**
 * The kiosk's walk-in form, printed ticket and pairing-by-code strings (fr; kiosk17f), loaded with those screens'
 * lazy chunks (src/i18n/pageStrings.ts), not with the kiosk's first screen (its size budget, issue 14).
 */
export const kioskMoreFr = {
  walkInTitle: 'Prendre place dans la file du jour',
  walkInLead: 'Saisissez votre nom et votre numéro de téléphone pour obtenir un ticket.',
  name: 'Votre nom',
  phone: 'Votre numéro de téléphone',
  walkInSubmit: 'Obtenir mon ticket',
  back: 'Retour',
  walkInClosed: 'La borne ne peut pas vous inscrire pour le moment. Merci de vous adresser à l’accueil.',
  walkInBusy: 'Beaucoup de tickets viennent d’être pris sur cette borne. Merci de vous adresser à l’accueil.',
  phoneInvalid: 'Merci de vérifier votre numéro (par exemple 06 12 34 56 78).',
  walkInDone: 'Vous êtes dans la file, ticket {{ticket}}.',
  ticketTitle: 'Votre ticket',
  ticketAt: 'Émis le {{at}}',
  ticketTrack: 'Suivez votre place dans la file sur votre téléphone :',
  print: 'Imprimer mon ticket',
  codeTitle: 'Associer cette tablette comme borne',
  codeLead:
    'Saisissez le code d’association affiché sur l’écran d’un membre de l’équipe (Borne → Obtenir un code).',
  codeLabel: 'Code d’association',
  codeSubmit: 'Associer cette tablette',
  codeWrong: 'Ce code n’est pas valide ou a expiré. Demandez un nouveau code.',
  codeStaff: 'Équipe : se connecter sur cette tablette à la place',
  codeGet: 'Obtenir un code d’association',
  codeShown: 'Saisissez ce code sur l’écran borne de la tablette. Il sert une fois, jusqu’à {{at}}.',
};
