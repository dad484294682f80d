import type { dayEn } from './runningDay';

/** French of ./runningDay.ts (one file per language: a screen loads only its reader's). */
export const dayFr: typeof dayEn = {
  tracker: {
    room: 'Vous serez reçu en salle {{room}}',
    deskPaused: 'Votre médecin fait une courte pause. Vous gardez votre place.',
    intakeClosed: 'Le cabinet ne prend plus de nouveaux patients aujourd’hui.',
    arriveBy: 'Merci d’être au cabinet avant {{time}}.',
    doctor: 'Médecin : {{name}}',
    anyDoctor: 'Médecin : tout médecin',
  },
  board: {
    paused: 'Salle {{rooms}} : courte pause — vous gardez votre place',
    intakeClosed: 'Plus de nouveaux patients aujourd’hui',
  },
};
