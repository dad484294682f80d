import type { dayEn } from './runningDay';

/** French of ./runningDay.ts (one file per language: a screen loads only its reader's). */
export const dayFr: typeof dayEn = {
  transfer: {
    title: 'Transférer {{ticket}}',
    body: 'Le patient garde sa place (heure d’arrivée ou de rendez-vous) dans la file du nouveau médecin. Le motif est enregistré à votre nom.',
    to: 'Transférer vers',
    doctorRoom: '{{name}} · salle {{room}}',
    confirm: 'Transférer',
  },
  tracker: {
    room: 'Vous serez reçu en salle {{room}}',
    deskPaused: 'Votre médecin fait une courte pause. Vous gardez votre place.',
    intakeClosed: 'Le cabinet ne prend plus de nouveaux patients aujourd’hui.',
    arriveBy: 'Merci d’être au cabinet avant {{time}}.',
  },
  pause: {
    region: 'Pause et réouverture',
    pause: 'Suspendre les appels — {{name}}',
    resume: 'Reprendre les appels — {{name}}',
    pauseTitle: 'Suspendre les appels pour {{name}} ?',
    pauseBody:
      'Personne n’est appelé pour ce médecin jusqu’à la reprise (une urgence l’est toujours). Les patients gardent leur place ; l’écran de la salle et leur suivi indiquent une courte pause.',
    pauseConfirm: 'Suspendre',
    closeIntake: 'Fermer aux nouveaux patients',
    reopenIntake: 'Rouvrir aux nouveaux patients',
    closeTitle: 'Fermer aux nouveaux patients pour aujourd’hui ?',
    closeBody:
      'Plus de patients sans rendez-vous ni d’inscriptions en ligne aujourd’hui (les urgences sont toujours prises). Tous ceux déjà dans la file seront reçus.',
    closeConfirm: 'Fermer',
    reasonOptional: 'Motif (facultatif)',
    pausedList: 'Appels suspendus : {{names}}',
    intakeClosedSince: 'Fermé aux nouveaux patients depuis {{time}}',
    done: {
      pauseDesk: 'Appels suspendus pour {{name}}',
      resumeDesk: 'Appels repris pour {{name}}',
      closeIntake: 'Fermé aux nouveaux patients',
      reopenIntake: 'De nouveau ouvert aux nouveaux patients',
    },
  },
  board: {
    paused: 'Salle {{rooms}} : courte pause — vous gardez votre place',
    intakeClosed: 'Plus de nouveaux patients aujourd’hui',
  },
};
