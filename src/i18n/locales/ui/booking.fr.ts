import type { bookingEn } from './booking.en';

/** The booking screens' strings (see ./booking.en.ts). */
export const bookingFr: typeof bookingEn = {
  title: 'Prendre rendez-vous',
  hours: 'Horaires',
  closedDay: 'Fermé',
  step1: 'Type de visite',
  doctorLegend: 'Médecin',
  anyDoctor: 'Tout médecin',
  // fix21d : un médecin dont le nom ne peut pas être affiché publiquement (il contenait une adresse e-mail)
  unnamedDoctor: 'Médecin {{n}}',
  withDoctor: 'Avec',
  step2: 'Jour',
  step3: 'Heure',
  step4: 'Confirmation',
  fluidLegend: 'Jour — une place dans la file, sans heure fixe',
  fluidHint: 'Venez à tout moment pendant les heures d’ouverture : les patients passent par ordre d’arrivée.',
  fluidPlaces: 'Places restantes : {{n}}',
  noFluidDays: 'Plus de place dans les prochains jours.',
  takePlace: 'Prendre une place dans la file du {{day}}',
  successFluid:
    'Ticket {{ticket}} pour le {{day}}. Venez pendant les heures d’ouverture et enregistrez-vous à votre arrivée. Gardez ce lien pour suivre votre place en direct :',
  noSlots: 'Aucun créneau libre ce jour-là. Essayez un autre jour.',
  yourName: 'Votre nom',
  nameRequired: 'Indiquez votre nom : la clinique vous appelle par ce nom.',
  confirm: 'Confirmer le rendez-vous',
  signInFirst: 'Connectez-vous avec votre téléphone pour réserver.',
  success: 'Rendez-vous confirmé !',
  successBody: 'Ticket {{ticket}} le {{time}}. Gardez ce lien pour suivre votre place en direct :',
  openTracker: 'Ouvrir mon suivi en direct',
  weekday: {
    '0': 'Dimanche',
    '1': 'Lundi',
    '2': 'Mardi',
    '3': 'Mercredi',
    '4': 'Jeudi',
    '5': 'Vendredi',
    '6': 'Samedi',
  },
  minutes: '{{m}} min',
  back: 'Retour',
};
