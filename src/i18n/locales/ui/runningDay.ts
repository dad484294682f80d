/**
 * What the tracker and the board say about issue 17's "Running the day" (a doctor's room, a paused desk, intake
 * closed), one file per language so a screen loads only its reader's language (issue 14); English is the
 * reference. The desk's own transfer and pause / reopen strings travel with the desk (`dash.day.*`, dash.en.ts).
 */
export const dayEn = {
  tracker: {
    room: 'You will be seen in room {{room}}',
    deskPaused: 'Your doctor is on a short break. You keep your place.',
    intakeClosed: 'The clinic takes no new patients today.',
    arriveBy: 'Please be at the clinic by {{time}}.',
    doctor: 'Doctor: {{name}}',
    anyDoctor: 'Doctor: any doctor',
  },
  board: {
    paused: 'Room {{rooms}}: short break — you keep your place',
    intakeClosed: 'No new patients today',
  },
};
