import type { dayEn } from './runningDay';

/** Arabic of ./runningDay.ts (one file per language: a screen loads only its reader's). */
export const dayAr: typeof dayEn = {
  tracker: {
    room: 'سيتم استقبالك في القاعة {{room}}',
    deskPaused: 'طبيبك في استراحة قصيرة. تحتفظ بمكانك.',
    intakeClosed: 'لا تستقبل العيادة مرضى جددًا اليوم.',
    arriveBy: 'يرجى الحضور إلى العيادة قبل {{time}}.',
    doctor: 'الطبيب: {{name}}',
    anyDoctor: 'الطبيب: أي طبيب',
  },
  board: {
    paused: 'القاعة {{rooms}}: استراحة قصيرة — تحتفظون بأماكنكم',
    intakeClosed: 'لا مرضى جدد اليوم',
  },
};
