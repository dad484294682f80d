/** « Votre nom chez {clinic} » sur Mes visites (issue 12 ; src/pages/visits/MyNameCard.tsx), fr — chargé avec la carte. */
export const myNameFr = {
  title: 'Votre nom chez {{clinic}}',
  lead: 'C’est le nom de vos tickets et des messages de la clinique. Corrigez-le s’il est faux (jusqu’à 3 fois par jour).',
  edit: 'Corriger mon nom',
  label: 'Nom complet',
  save: 'Enregistrer mon nom',
  cancel: 'Annuler',
  saved: 'Nom enregistré : {{name}}',
  unchanged: 'Votre nom est déjà {{name}}.',
  required: 'Saisissez votre nom.',
};
