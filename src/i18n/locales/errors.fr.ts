import type { ErrorResources } from './errors.en';

/** The coded errors' messages in French (see ./errors.en.ts). */
export const errorsFr: ErrorResources = {
  errors: {
    'QUEUE.NO_PATIENT_PRESENT': "Aucun patient n'attend pour le moment.",
    'QUEUE.ILLEGAL_TRANSITION': "Cette action n'est pas possible pour ce patient dans son statut actuel.",
    'QUEUE.SKIP_CAP_REACHED': 'Un patient a déjà été dépassé trop de fois et doit être appelé en premier.',
    'QUEUE.ENTRY_NOT_FOUND': 'Cette visite est introuvable. Elle a peut-être été supprimée.',
    'QUEUE.REASON_REQUIRED': 'Merci d’indiquer un motif.',
    'QUEUE.GRACE_EXPIRED': 'Le délai de grâce est écoulé ; le patient a été marqué absent définitivement.',
    'QUEUE.CLOSED': "La file d'aujourd'hui est clôturée.",
    'QUEUE.DUPLICATE_ENTRY': 'Ce patient est déjà dans la file.',
    'QUEUE.WALK_IN_LIMIT_REACHED': 'La limite de patients sans rendez-vous est atteinte pour aujourd’hui.',
    'QUEUE.NOT_TODAY': "Cette visite n'est pas prévue aujourd'hui.",
    'QUEUE.INVALID_POSITION': "Cette position n'est pas valide.",
    'QUEUE.VERSION_CONFLICT': 'Quelqu’un a modifié la file au même moment. Veuillez réessayer.',
    'QUEUE.PRACTITIONER_BUSY': 'Ce praticien est déjà avec un patient.',
    'QUEUE.CALLED_NOT_STARTED':
      'Le patient appelé n’est pas encore entré : commencez la consultation ou marquez-le absent d’abord.',
    'QUEUE.COMMAND_ALREADY_APPLIED': 'La file a déjà été mise à jour par cette action.',
    'QUEUE.EVENT_MISMATCH': 'Cette modification ne correspond pas à la file. Rechargez et réessayez.',
    'QUEUE.DESK_PAUSED': 'Les appels sont en pause pour ce médecin. Reprenez les appels d’abord.',
    'QUEUE.INTAKE_CLOSED':
      'La file n’accepte plus de nouveaux patients aujourd’hui. Rouvrez-la pour en ajouter.',
    'QUEUE.REMOTE_JOIN_OFF': 'Le cabinet ne prend pas d’inscription à distance dans la file.',
    'QUEUE.REMOTE_JOIN_FULL':
      'Plus de places pour rejoindre la file en ligne aujourd’hui. Présentez-vous au cabinet.',
    'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS':
      'Le cabinet prend l’inscription à distance dans la file aux heures d’ouverture seulement.',
    'QUEUE.GRACE_MISMATCH':
      'Le délai de grâce ne correspond pas à l’horloge ou aux réglages de la clinique. Rechargez et réessayez.',
    'QUEUE.EVENT_PAYLOAD_INVALID': 'Cette modification est incomplète. Rechargez et réessayez.',
    'QUEUE.UNDO_EXPIRED': 'Trop tard pour annuler : seules les 10 dernières secondes peuvent être annulées.',
    'QUEUE.UNDO_ENTRY_CHANGED': 'Annulation impossible : la file a changé pour ce patient depuis.',
    'QUEUE.UNDO_DESK_BUSY': 'Annulation impossible : le poste a maintenant un autre patient.',
    'QUEUE.UNDO_NOT_UNDOABLE': 'Cette action ne peut pas être annulée.',
    'QUEUE.UNDO_REFUSED': 'Cette action a déjà été annulée, ou n’était pas la vôtre.',
    'QUEUE.CHECK_IN_TOO_EARLY': 'Il est trop tôt pour s’enregistrer pour ce rendez-vous.',
    'PHONE.COUNTRY_NOT_ALLOWED':
      "Les SMS ne peuvent être envoyés qu'aux numéros des pays couverts par ce service. Saisissez un numéro local.",
    'PHONE.NOT_MOBILE':
      'Ce numéro est un fixe : il ne reçoit pas les SMS. Saisissez un numéro de mobile (06… ou 07…).',
    'BOOKING.PHONE_NOT_CONFIRMED':
      'Pour réserver, confirmez d’abord votre numéro de téléphone : connectez-vous avec le code reçu par SMS.',
    'EMAIL.DOMAIN_NOT_ASCII':
      'Cette adresse e-mail contient des caractères invisibles ou trompeurs après le @. Saisissez-la de nouveau en lettres simples.',
    'CLINIC.NAME_NOT_ALLOWED':
      'Le nom d’une clinique ne peut contenir ni adresse web ni numéro de téléphone.',
    'APPOINTMENT_TYPE.NAME_NOT_ALLOWED':
      'Le nom d’un type de visite ne peut contenir ni numéro de téléphone, ni adresse web, ni adresse e-mail.',
    'PERSON.NAME_NOT_ALLOWED':
      'Un nom ne peut contenir ni adresse web, ni adresse e-mail, ni numéro de téléphone. Saisissez seulement le nom de la personne.',
    'BOOKING.TOO_MANY_VISITS':
      'Vous avez déjà le nombre maximal de rendez-vous à venir dans cette clinique. Annulez-en un pour en prendre un autre.',
    'BOOKING.SLOT_FULL': "Ce créneau vient d'être pris. Veuillez en choisir un autre.",
    'BOOKING.SLOT_UNAVAILABLE': "Ce créneau n'est pas disponible.",
    'BOOKING.TOO_SOON': 'Ce créneau est trop proche pour être réservé. Choisissez un horaire plus tard.',
    'BOOKING.BEYOND_HORIZON': 'Les réservations ne sont pas encore ouvertes aussi loin.',
    'BOOKING.CANCEL_TOO_LATE': 'Il est trop tard pour annuler en ligne. Veuillez appeler le cabinet.',
    'BOOKING.RESCHEDULE_TOO_LATE':
      'Il est trop tard pour déplacer cette visite en ligne. Veuillez appeler le cabinet.',
    'BOOKING.RESCHEDULE_SAME_SLOT': 'Votre visite est déjà à cette heure. Choisissez un autre créneau.',
    'BOOKING.RESCHEDULE_SAME_DAY': 'Votre place est déjà dans la file de ce jour. Choisissez un autre jour.',
    'CONCURRENCY.RETRY':
      'Quelqu’un d’autre a modifié ceci au même moment. Rien n’a été enregistré — veuillez réessayer.',
    'BOOKING.CLINIC_CLOSED': 'Le cabinet est fermé à cette heure-là.',
    'BOOKING.DAY_FULL': 'Il ne reste plus de place dans la file ce jour-là. Veuillez choisir un autre jour.',
    'BOOKING.DAY_UNAVAILABLE':
      'Aucun médecin ne consulte pour cette visite ce jour-là. Veuillez choisir un autre jour.',
    'BOOKING.MODE_MISMATCH':
      'Ce type de visite se réserve autrement désormais. Rechargez la page et choisissez à nouveau.',
    'BOOKING.PRACTITIONER_NOT_OFFERED':
      'Ce médecin ne propose pas ce type de visite. Choisissez un autre médecin ou « n’importe quel médecin ».',
    'BOOKING.NO_SHOW_TODAY':
      'Ce patient a manqué une visite aujourd’hui. L’accueil peut le remettre dans la file au lieu de reprendre rendez-vous.',
    'VALIDATION.FAILED': 'Certaines informations manquent ou ne sont pas valides.',
    'TEMPLATE.UNKNOWN_VARIABLE': "Le message utilise une variable qui n'existe pas.",
    'TEMPLATE.EMPTY': 'Le message ne peut pas être vide.',
    'TEMPLATE.CLINIC_HELD':
      "Les messages standard sont utilisés tant que QueueMed n'a pas validé ce cabinet.",
    'INVITATION.TOO_MANY': "Trop d'invitations. Révoquez celles en attente ou réessayez demain.",
    'MEMBER.LAST_OWNER':
      "Le cabinet doit garder au moins un propriétaire actif. Nommez d'abord quelqu'un d'autre propriétaire.",
    'MEMBER.HAS_HISTORY':
      'Ce membre a des consultations enregistrées : il ne peut pas être retiré. Désactivez-le plutôt, son historique garde son nom.',
    'PRACTITIONER.ON_LEAVE':
      'Ce médecin est en congé ce jour-là. Choisissez un autre médecin ou « tout médecin ».',
    'PRACTITIONER.OFF_HOURS':
      'Ce médecin ne travaille pas à cette heure. Choisissez une autre heure ou un autre médecin.',
    'PRACTITIONER.UNAVAILABLE':
      'Ce médecin ne prend plus de rendez-vous. Annulez cette visite et réservez avec un autre médecin, ou appelez le cabinet.',
    'LEAVE.INVALID_RANGE':
      'Vérifiez les dates : le congé finit le jour de son début ou après, n’est pas passé et dure au plus un an.',
    'LEAVE.OVERLAP': 'Ce médecin a déjà un congé sur certains de ces jours.',
    'HOURS.INVALID': "Ces horaires d'ouverture ne sont pas valides.",
    'TIMEZONE.INVALID': "Ce fuseau horaire n'est pas valide.",
    'REMINDER.INVALID_MINUTES': 'Un rappel est envoyé entre 5 minutes et 2 jours avant la visite.',
    'WEBHOOK.URL_INVALID': 'Utilisez une adresse https://.',
    'WEBHOOK.URL_PRIVATE': 'Utilisez une adresse https:// publique, pas locale.',
    'EMAIL.UNSUBSCRIBE_INVALID': 'Ce lien de désabonnement n’est pas valide. Rien n’a été modifié.',
    'VISIT.LINK_EXPIRED': 'Ce lien de suivi a expiré.',
    'WAITLIST.OFFER_EXPIRED': 'Ce créneau plus tôt n’est plus disponible. Votre visite n’a pas changé.',
    'AUTH.REQUIRED': 'Veuillez vous connecter pour continuer.',
    'AUTH.FORBIDDEN': "Vous n'avez pas l'autorisation de faire cela.",
    NOT_FOUND: 'Introuvable.',
    'SMS.BUDGET_EXCEEDED': 'Le budget SMS mensuel du cabinet est épuisé.',
    'EMAIL_PROOF.NO_ADDRESS': 'Enregistrez d’abord une adresse e-mail.',
    'EMAIL_PROOF.ALREADY_PROVED': 'Cette adresse e-mail est déjà confirmée.',
    'EMAIL_PROOF.CODE_INVALID': 'Code incorrect. Vérifiez-le ou demandez-en un nouveau.',
    'EMAIL_PROOF.CODE_EXPIRED': 'Ce code a expiré. Demandez-en un nouveau.',
    'EMAIL_PROOF.TOO_MANY_ATTEMPTS': 'Trop de codes incorrects. Demandez-en un nouveau.',
    'KIOSK.TOO_MANY_ATTEMPTS':
      'Trop de réponses erronées sur cette borne. Merci de vous enregistrer à l’accueil.',
    'KIOSK.NOT_PAIRED':
      'Cette tablette n’est plus associée comme borne. Un membre de l’équipe peut l’associer à nouveau.',
    'KIOSK.OUTSIDE_HOURS':
      'La borne enregistre les patients sans rendez-vous pendant les heures d’ouverture uniquement. Merci de vous adresser à l’accueil.',
    'KIOSK.SEE_DESK': 'La borne ne peut pas vous donner de ticket. Merci de vous adresser à l’accueil.',
    'KIOSK.WALK_INS_OFF': 'Merci de vous adresser à l’accueil.',
    'BOARD.LOW_CONTRAST': 'Ces couleurs rendraient l’écran peu lisible (contraste inférieur à 4,5:1).',
    'BOARD.LOGO_INVALID': 'Le logo doit être un PNG, JPEG ou WebP de 64 Ko au plus.',
    'BOARD.ROOM_UNKNOWN': 'Cette clinique n’a pas cette salle.',
    'RATE.LIMITED': 'Trop de tentatives. Merci de réessayer plus tard.',
    'PATIENT.RENAME_LIMIT':
      "Vous avez déjà changé votre nom le nombre maximal de fois aujourd'hui. Réessayez demain ou demandez au cabinet.",
    'PATIENT.OPT_OUT_PATIENT_ONLY':
      'Ce patient a demandé à ne plus recevoir de SMS. Seul le patient peut les réactiver, en répondant START à un SMS de la clinique.',
    'SERVER.BUSY': 'Le serveur est occupé. Rien n’a été enregistré — réessayez.',
    INTERNAL: 'Un problème est survenu de notre côté. Veuillez réessayer.',
  },
  errorHints: {
    'RATE.LIMITED|booking_address':
      'Trop de réservations depuis ce réseau au cours de la dernière heure. Merci de réessayer plus tard, ou appelez le cabinet pour réserver.',
    'QUEUE.INVALID_POSITION':
      'La position {{toPosition}} n’est pas possible pour ce patient : choisissez une position de {{min}} à {{max}}.',
    'QUEUE.ILLEGAL_TRANSITION|assigned_to_other_practitioner':
      'C’est un patient de {{doctor}}. Pour l’appeler, choisissez {{doctor}} dans « Appeler pour », ou déplacez d’abord le patient dans votre liste (⋯ → Déplacer).',
    'QUEUE.CHECK_IN_TOO_EARLY|day':
      'L’enregistrement de votre place dans la file ouvre à {{time}}, peu avant l’ouverture du cabinet. Merci de vous enregistrer à partir de cette heure.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_one':
      'L’enregistrement ouvre à {{time}}, {{count}} minute avant le rendez-vous. Merci de vous enregistrer à partir de cette heure.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_many':
      'L’enregistrement ouvre à {{time}}, {{count}} de minutes avant le rendez-vous. Merci de vous enregistrer à partir de cette heure.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_other':
      'L’enregistrement ouvre à {{time}}, {{count}} minutes avant le rendez-vous. Merci de vous enregistrer à partir de cette heure.',
    'QUEUE.CHECK_IN_TOO_EARLY_one':
      'L’enregistrement ouvre {{count}} minute avant l’heure du rendez-vous. Merci de vous enregistrer à partir de là.',
    'QUEUE.CHECK_IN_TOO_EARLY_many':
      'L’enregistrement ouvre {{count}} de minutes avant l’heure du rendez-vous. Merci de vous enregistrer à partir de là.',
    'QUEUE.CHECK_IN_TOO_EARLY_other':
      'L’enregistrement ouvre {{count}} minutes avant l’heure du rendez-vous. Merci de vous enregistrer à partir de là.',
  },
};
