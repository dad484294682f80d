/**
 * Les horaires et congés des médecins (fr ; hours19, src/pages/admin/DoctorScheduleSection.tsx), chargés avec cette
 * section paresseuse, pas avec la page d’administration (son budget de taille, issue 14).
 */
export const doctorsFr = {
  title: 'Horaires et congés des médecins',
  lead: 'Un médecin sans horaires propres suit ceux du cabinet. Ses horaires propres restent dans ceux du cabinet.',
  none: 'Aucun médecin dans l’équipe pour l’instant.',
  clinicHours: 'Horaires du cabinet',
  ownHours: 'Horaires propres',
  useOwn: 'Définir des horaires propres',
  useClinic: 'Suivre les horaires du cabinet',
  off: 'Absent',
  saveHours: 'Enregistrer les horaires de {{name}}',
  leave: 'Congés',
  noLeave: 'Aucun congé prévu.',
  from: 'Premier jour',
  to: 'Dernier jour',
  reason: 'Motif (facultatif)',
  addLeave: 'Ajouter un congé',
  remove: 'Supprimer',
  removeLeave: 'Supprimer le congé {{range}}',
  confirmTitle: 'Supprimer ce congé ?',
  confirmBody: '{{name}} pourra de nouveau être réservé du {{from}} au {{to}}.',
  added: 'Congé enregistré.',
  visitsStay_one:
    '{{count}} rendez-vous reste prévu avec ce médecin ces jours-là : déplacez-le depuis l’accueil.',
  visitsStay_many:
    '{{count}} de rendez-vous restent prévus avec ce médecin ces jours-là : déplacez-les depuis l’accueil.',
  visitsStay_other:
    '{{count}} rendez-vous restent prévus avec ce médecin ces jours-là : déplacez-les depuis l’accueil.',
  outside: '{{day}} : une plage du médecin doit tenir dans une plage du cabinet.',
};
