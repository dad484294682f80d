import type { dayEn } from './runningDay';

/** Arabic of ./runningDay.ts (one file per language: a screen loads only its reader's). */
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
    arriveBy: 'يرجى الحضور إلى العيادة قبل {{time}}.',
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
