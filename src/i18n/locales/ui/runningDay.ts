/**
 * Strings of issue 17's "Running the day" screens (transfer, pause / reopen, undo, patient search and
 * notes), kept in one file so the three languages are edited side by side. English is the reference.
 */
export const dayEn = {
  transfer: {
    title: 'Transfer {{ticket}}',
    body: 'The patient keeps their place in line (by arrival or booked time) in the new doctor’s queue. The reason is recorded with your name.',
    to: 'Transfer to',
    doctorRoom: '{{name}} · room {{room}}',
    confirm: 'Transfer',
  },
  tracker: { room: 'You will be seen in room {{room}}' },
};

export const dayFr: typeof dayEn = {
  transfer: {
    title: 'Transférer {{ticket}}',
    body: 'Le patient garde sa place (heure d’arrivée ou de rendez-vous) dans la file du nouveau médecin. Le motif est enregistré à votre nom.',
    to: 'Transférer vers',
    doctorRoom: '{{name}} · salle {{room}}',
    confirm: 'Transférer',
  },
  tracker: { room: 'Vous serez reçu en salle {{room}}' },
};

export const dayAr: typeof dayEn = {
  transfer: {
    title: 'تحويل {{ticket}}',
    body: 'يحتفظ المريض بمكانه في الدور (حسب وقت الوصول أو الموعد) في قائمة الطبيب الجديد. يُسجَّل السبب باسمك.',
    to: 'التحويل إلى',
    doctorRoom: '{{name}} · القاعة {{room}}',
    confirm: 'تحويل',
  },
  tracker: { room: 'سيتم استقبالك في القاعة {{room}}' },
};
