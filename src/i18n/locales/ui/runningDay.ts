/**
 * Strings of issue 17's "Running the day" screens (transfer, pause / reopen, undo, patient search and
 * notes), one file per language so a screen loads only its reader's language (issue 14); English is the reference.
 */
export const dayEn = {
  transfer: {
    title: 'Transfer {{ticket}}',
    body: 'The patient keeps their place in line (by arrival or booked time) in the new doctor’s queue. The reason is recorded with your name.',
    to: 'Transfer to',
    doctorRoom: '{{name}} · room {{room}}',
    confirm: 'Transfer',
  },
  tracker: {
    room: 'You will be seen in room {{room}}',
    deskPaused: 'Your doctor is on a short break. You keep your place.',
    intakeClosed: 'The clinic takes no new patients today.',
    arriveBy: 'Please be at the clinic by {{time}}.',
  },
  pause: {
    region: 'Pause and reopen',
    pause: 'Pause calls — {{name}}',
    resume: 'Resume calls — {{name}}',
    pauseTitle: 'Pause calls for {{name}}?',
    pauseBody:
      'Nobody is called to this doctor until calls resume (an emergency still is). Patients keep their place; the board and their trackers say the doctor is on a break.',
    pauseConfirm: 'Pause calls',
    closeIntake: 'Close to new patients',
    reopenIntake: 'Reopen to new patients',
    closeTitle: 'Close to new patients for today?',
    closeBody:
      'No more walk-ins or online joins today (emergencies are always taken). Everyone already in the queue is still seen.',
    closeConfirm: 'Close',
    reasonOptional: 'Reason (optional)',
    pausedList: 'Calls paused: {{names}}',
    intakeClosedSince: 'Closed to new patients since {{time}}',
    done: {
      pauseDesk: 'Calls paused for {{name}}',
      resumeDesk: 'Calls resumed for {{name}}',
      closeIntake: 'Closed to new patients',
      reopenIntake: 'Open to new patients again',
    },
  },
  board: {
    paused: 'Room {{rooms}}: short break — you keep your place',
    intakeClosed: 'No new patients today',
  },
};
