/**
 * "Join today's queue from my phone" (issue 17) strings (ar), loaded with the clinic page's card
 * (src/i18n/pageStrings.ts), not with every screen's language bundle.
 */
export const joinAr = {
  title: 'انضم إلى طابور اليوم',
  body: 'بدون موعد؟ خذ مكانك في طابور اليوم من هاتفك وتابعه مباشرة.',
  left: 'تبقّى {{count}} مكانًا عبر الإنترنت اليوم.',
  join: 'انضم إلى الطابور الآن',
  signIn: 'سجّل الدخول برقم هاتفك للانضمام إلى الطابور.',
  why: {
    off: 'لا تتيح هذه العيادة الانضمام إلى الطابور عبر الإنترنت.',
    outside_hours: 'يُفتح الانضمام إلى الطابور عبر الإنترنت خلال ساعات عمل العيادة.',
    full: 'لم تعد هناك أماكن للانضمام إلى الطابور عبر الإنترنت اليوم.',
    intake_closed: 'لا تستقبل العيادة مرضى آخرين اليوم.',
    day_closed: 'طابور اليوم مغلق.',
    closed_day: 'العيادة مغلقة اليوم.',
  },
};
