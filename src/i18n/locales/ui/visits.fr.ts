/**
 * The patient's "My visits" strings (fr), loaded with that page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle.
 */
export const visitsFr = {
  title: 'Mes visites',
  upcoming: 'À venir',
  past: 'Passées',
  none: 'Vous n’avez pas encore de visite.',
  book: 'Prendre rendez-vous',
  cancel: 'Annuler',
  cancelTitle: 'Annuler cette visite ?',
  cancelBody: 'L’annulation en ligne est possible jusqu’à {{minutes}} minutes avant la visite.',
  cancelled: 'Visite annulée',
  reschedule: 'Déplacer',
  rescheduleTitle: 'Déplacer cette visite',
  rescheduleBody:
    'Choisissez un nouvel horaire. Votre visite reste à son heure tant que le nouvel horaire n’est pas confirmé. Un changement en ligne est possible jusqu’à {{minutes}} minutes avant la visite.',
  rescheduleConfirm: 'Déplacer ma visite',
  rescheduled: 'Visite déplacée au {{time}} — ticket {{ticket}}',
  moveDay: 'Un autre jour',
  moveDayBody: 'Vous gardez votre place jusqu’à la confirmation. Jusqu’à {{minutes}} min avant l’ouverture.',
  movedDay: 'Déplacée au {{day}} — ticket {{ticket}}',
  moveDayStale:
    'Cette visite a changé entre-temps (déplacée, annulée ou enregistrée, peut-être dans un autre onglet) : rien n’a été déplacé, et vos visites la montrent maintenant telle qu’elle est.',
  checkIn: 'M’enregistrer',
  fluidDay: '{{day}} — une place dans la file, sans heure fixe',
  checkedIn: 'Enregistré — suivez votre place en direct.',
  track: 'Suivre en direct',
  doctor: 'Médecin :',
  accessTitle: 'Qui a consulté mon dossier',
  accessLead:
    'Chaque consultation de votre dossier patient par le personnel du cabinet est enregistrée. Vous voyez qui, de quel cabinet, et quand.',
  accessShow: 'Voir qui a consulté mon dossier',
  accessNone: 'Aucun membre du personnel n’a encore ouvert votre dossier.',
  accessRow: '{{who}} ({{role}}) — {{clinic}}',
  accessUnknown: 'Un ancien membre du personnel',
  // the booking form's channel choice (issue 20; src/pages/clinic/ContactChoice.tsx)
  contact: {
    title: 'Messages de {{clinic}}',
    save: 'Enregistrer',
    saved: 'Enregistré : la clinique vous écrira ainsi.',
    legend: 'Comment la clinique doit-elle vous envoyer ses messages ?',
    bySms: 'SMS',
    byWhatsapp: 'WhatsApp',
    byEmail: 'E-mail',
    email: 'Adresse e-mail',
    emailOptional: 'Adresse e-mail (facultative)',
    emailRequired: 'Indiquez votre adresse e-mail pour recevoir les messages par e-mail.',
    emailInvalid: 'Cette adresse e-mail n’est pas valide.',
    emailBounced:
      'Les e-mails envoyés à cette adresse ont été refusés par son serveur : la clinique ne peut pas vous écrire par e-mail. Corrigez-la ou choisissez le SMS.',
    emailToConfirm:
      'Rien n’est envoyé à cette adresse tant que vous ne l’avez pas confirmée avec le code qu’elle recevra.',
    emailConfirmed: 'Adresse confirmée',
  },
  // liste d'attente : un horaire plus tôt le même jour (issue 17 ; src/pages/visits/EarlierSlot.tsx)
  waitlist: {
    ask: 'Demander un horaire plus tôt',
    asked:
      'Vous êtes sur la liste d’attente (n° {{position}}). Nous vous enverrons un SMS si un horaire plus tôt se libère.',
    waiting: 'Sur la liste d’attente pour un horaire plus tôt (n° {{position}})',
    leave: 'Quitter la liste d’attente',
    left: 'Vous avez quitté la liste d’attente. Votre visite n’a pas changé.',
    offerTitle: 'Horaire plus tôt proposé',
    offer: 'Un horaire plus tôt est libre : {{time}}. Il vous est réservé jusqu’à {{until}}.',
    accept: 'Prendre cet horaire',
    accepted: 'Visite déplacée au {{time}} — ticket {{ticket}}',
    minutesLeft: 'Encore {{minutes}} min pour le prendre',
    offerEnded: 'Cette offre est terminée.',
    decline: 'Non merci',
    declined: 'Offre refusée. Votre visite n’a pas changé.',
  },
};
