import type { emailProofEn } from './emailProof.en';

/** « Confirmez votre e-mail » sur Mes visites (email18 ; src/pages/visits/EmailProof.tsx), fr — chargé avec le panneau. */
export const emailProofFr = {
  title: 'Confirmez votre e-mail',
  explain:
    'La clinique n’envoie rien à {{email}} tant que vous n’avez pas confirmé qu’elle est à vous. Nous vous envoyons un code à 6 chiffres par e-mail.',
  send: 'Envoyer le code',
  sent: 'Nous avons envoyé un code à {{email}}. Il est valable 15 minutes.',
  code: 'Code reçu par e-mail',
  confirm: 'Confirmer',
  resend: 'Envoyer un nouveau code',
  confirmed: 'E-mail confirmé : la clinique peut vous y écrire.',
  sendFailed: 'Impossible d’envoyer un code à cette adresse. Vérifiez-la ou utilisez-en une autre.',
  wrongCode: 'Code erroné ou expiré. Vérifiez-le ou demandez-en un nouveau.',
  codeShape: 'Saisissez les 6 chiffres reçus par e-mail.',
  note: 'Cette confirmation vaut seulement pour les messages de la clinique : votre connexion ne change pas.',
} satisfies Record<keyof typeof emailProofEn, string>;
