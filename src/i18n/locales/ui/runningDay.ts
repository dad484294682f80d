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
  tracker: {
    room: 'You will be seen in room {{room}}',
    deskPaused: 'Your doctor is on a short break. You keep your place.',
    intakeClosed: 'The clinic takes no new patients today.',
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

export const dayAr: typeof dayEn = {
  transfer: {
    title: 'تحويل {{ticket}}',
    body: 'يحتفظ المريض بمكانه في الدور (حسب وقت الوصول أو الموعد) في قائمة الطبيب الجديد. يُسجَّل السبب باسمك.',
    to: 'التحويل إلى',
    doctorRoom: '{{name}} · القاعة {{room}}',
    confirm: 'تحويل',
  },
  tracker: {
    room: 'سيتم استقبالك في القاعة {{room}}',
    deskPaused: 'طبيبك في استراحة قصيرة. تحتفظ بمكانك.',
    intakeClosed: 'لا تستقبل العيادة مرضى جددًا اليوم.',
  },
  pause: {
    region: 'الإيقاف وإعادة الفتح',
    pause: 'إيقاف النداء — {{name}}',
    resume: 'استئناف النداء — {{name}}',
    pauseTitle: 'إيقاف النداء لـ {{name}}؟',
    pauseBody:
      'لن يُنادى أحد لهذا الطبيب حتى استئناف النداء (باستثناء الحالات الطارئة). يحتفظ المرضى بأماكنهم، وتعرض شاشة القاعة وصفحات المتابعة أن الطبيب في استراحة قصيرة.',
    pauseConfirm: 'إيقاف النداء',
    closeIntake: 'إغلاق أمام المرضى الجدد',
    reopenIntake: 'إعادة الفتح أمام المرضى الجدد',
    closeTitle: 'الإغلاق أمام المرضى الجدد اليوم؟',
    closeBody:
      'لا مزيد من المرضى بدون موعد ولا التسجيل عبر الإنترنت اليوم (الحالات الطارئة مقبولة دائمًا). كل من في القائمة سيتم استقباله.',
    closeConfirm: 'إغلاق',
    reasonOptional: 'السبب (اختياري)',
    pausedList: 'النداء متوقف: {{names}}',
    intakeClosedSince: 'مغلق أمام المرضى الجدد منذ {{time}}',
    done: {
      pauseDesk: 'تم إيقاف النداء لـ {{name}}',
      resumeDesk: 'تم استئناف النداء لـ {{name}}',
      closeIntake: 'مغلق أمام المرضى الجدد',
      reopenIntake: 'مفتوح أمام المرضى الجدد من جديد',
    },
  },
  board: {
    paused: 'القاعة {{rooms}}: استراحة قصيرة — تحتفظون بأماكنكم',
    intakeClosed: 'لا مرضى جدد اليوم',
  },
};
