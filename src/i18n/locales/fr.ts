import { uiFr } from './ui/fr';
import type { Resources } from './en';

export const fr: Resources = {
  app: {
    name: 'QueueMed',
    tagline: "La file d'attente patients sur laquelle votre cabinet s'appuie.",
    language: 'Langue',
  },
  common: {
    loading: 'Chargement…',
    retry: 'Réessayer',
    cancel: 'Annuler',
    confirm: 'Confirmer',
    save: 'Enregistrer',
    close: 'Fermer',
    empty: "Rien pour l'instant.",
    minutes_one: '{{count}} minute',
    minutes_many: '{{count}} de minutes',
    minutes_other: '{{count}} minutes',
  },
  errors: {
    'PHONE.INVALID': "Ce numéro de téléphone n'est pas valide.",
    unknown: 'Un problème est survenu. Veuillez réessayer.',
  },
  ...uiFr,
};
