/** Recherche de patients et notes du personnel (issue 17), chargées avec leurs panneaux (pageStrings.ts). */
export const recordsFr = {
  searchTitle: 'Trouver un patient',
  searchLabel: 'Nom, téléphone ou ticket',
  searchHint:
    'Au moins 2 caractères. L’ouverture de l’historique d’un patient est inscrite au journal d’audit.',
  noMatch: 'Aucun patient de la clinique ne correspond.',
  lastVisit: 'Dernière visite {{day}} · {{ticket}}',
  noVisit: 'Aucune visite',
  open: 'Historique de {{name}}',
  notesTitle: 'Notes du personnel — {{ticket}}',
  notesHint:
    'Seul le personnel de la clinique lit ces notes — jamais le patient, son suivi ni l’écran de la salle d’attente.',
  notesEmpty: 'Aucune note sur cette visite.',
  noteLabel: 'Nouvelle note',
  noteCount: '{{n}} / {{max}} caractères',
  noteAdd: 'Ajouter la note',
  noteBy: '{{name}}, {{time}}',
};
