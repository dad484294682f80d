/**
 * The patient's "My visits" strings (ar), loaded with that page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle.
 */
export const visitsAr = {
  title: 'زياراتي',
  upcoming: 'القادمة',
  past: 'السابقة',
  none: 'ليست لديك زيارات بعد.',
  book: 'حجز موعد',
  cancel: 'إلغاء',
  cancelTitle: 'إلغاء هذه الزيارة؟',
  cancelBody: 'يمكن الإلغاء عبر الإنترنت حتى {{minutes}} دقيقة قبل الزيارة.',
  cancelled: 'أُلغيت الزيارة',
  reschedule: 'تغيير الموعد',
  rescheduleTitle: 'تغيير موعد هذه الزيارة',
  rescheduleBody:
    'اختر موعدًا جديدًا. تبقى زيارتك في موعدها الحالي حتى يتم تأكيد الموعد الجديد. يمكن التغيير عبر الإنترنت حتى {{minutes}} دقيقة قبل الزيارة.',
  rescheduleConfirm: 'تغيير موعد زيارتي',
  rescheduled: 'تم نقل الزيارة إلى {{time}} — التذكرة {{ticket}}',
  moveDay: 'يوم آخر',
  moveDayBody: 'تحتفظ بمكانك حتى التأكيد. حتى {{minutes}} دقيقة قبل بدء اليوم.',
  movedDay: 'نُقلت إلى {{day}} — التذكرة {{ticket}}',
  moveDayStale:
    'تغيّرت هذه الزيارة في هذه الأثناء (نُقلت أو أُلغيت أو سُجّل حضورها، ربما في نافذة أخرى): لم يُنقل شيء، وزياراتك تعرضها الآن كما هي.',
  checkIn: 'تسجيل الوصول',
  fluidDay: '{{day}} — مكان في الطابور، دون موعد محدد',
  checkedIn: 'تم تسجيل وصولك — تابع دورك مباشرة.',
  track: 'تابع مباشرة',
  accessTitle: 'من اطّلع على ملفي',
  accessLead: 'كل اطّلاع لموظفي العيادة على ملفك الطبي يُسجَّل. يمكنك أن ترى من اطّلع، ومن أي عيادة، ومتى.',
  accessShow: 'اعرض من اطّلع على ملفي',
  accessNone: 'لم يفتح أي موظف ملفك بعد.',
  accessRow: '{{who}} ({{role}}) — {{clinic}}',
  accessUnknown: 'موظف سابق',
  // the booking form's channel choice (issue 20; src/pages/clinic/ContactChoice.tsx)
  contact: {
    title: 'رسائل {{clinic}}',
    save: 'حفظ',
    saved: 'تم الحفظ: ستراسلك العيادة بهذه الطريقة.',
    legend: 'كيف ترسل لك العيادة رسائلها؟',
    bySms: 'رسالة نصية (SMS)',
    byWhatsapp: 'واتساب (WhatsApp)',
    byEmail: 'البريد الإلكتروني',
    email: 'البريد الإلكتروني',
    emailOptional: 'البريد الإلكتروني (اختياري)',
    emailRequired: 'أدخل بريدك الإلكتروني لتلقي الرسائل عبره.',
    emailInvalid: 'عنوان البريد الإلكتروني هذا غير صالح.',
    emailBounced:
      'رفض خادم البريد الرسائل المرسلة إلى هذا العنوان، لذا لا يمكن للعيادة مراسلتك بالبريد الإلكتروني. صحّحه أو اختر الرسائل النصية.',
  },
  // قائمة الانتظار: موعد أبكر في اليوم نفسه (issue 17؛ src/pages/visits/EarlierSlot.tsx)
  waitlist: {
    ask: 'اطلب موعدًا أبكر',
    asked: 'أنت على قائمة الانتظار (رقم {{position}}). سنرسل لك رسالة إذا توفر موعد أبكر.',
    waiting: 'على قائمة الانتظار لموعد أبكر (رقم {{position}})',
    leave: 'غادر قائمة الانتظار',
    left: 'غادرت قائمة الانتظار. لم تتغير زيارتك.',
    offerTitle: 'عرض موعد أبكر',
    offer: 'يتوفر موعد أبكر: {{time}}. هو محجوز لك حتى {{until}}.',
    accept: 'خذ هذا الموعد',
    accepted: 'نُقلت زيارتك إلى {{time}} — التذكرة {{ticket}}',
    minutesLeft: 'الوقت المتبقي لأخذه: {{minutes}} د',
    offerEnded: 'انتهى هذا العرض.',
    decline: 'لا، شكرًا',
    declined: 'رفضت العرض. لم تتغير زيارتك.',
  },
};
