/**
 * The kiosk's walk-in form, printed ticket and pairing-by-code strings (ar; kiosk17f), loaded with those screens'
 * lazy chunks (src/i18n/pageStrings.ts), not with the kiosk's first screen (its size budget, issue 14).
 */
export const kioskMoreAr = {
  walkInTitle: 'احجز مكانك في طابور اليوم',
  walkInLead: 'اكتب اسمك ورقم هاتفك للحصول على تذكرة.',
  name: 'اسمك',
  phone: 'رقم هاتفك',
  walkInSubmit: 'احصل على تذكرتي',
  back: 'رجوع',
  walkInClosed: 'لا يمكن للجهاز تسجيلك الآن. يرجى التوجه إلى الاستقبال.',
  walkInBusy: 'أُخذت تذاكر كثيرة من هذا الجهاز للتو. يرجى التوجه إلى الاستقبال.',
  phoneInvalid: 'يرجى التحقق من رقم هاتفك (مثال: 06 12 34 56 78).',
  walkInDone: 'أنت في الطابور، التذكرة {{ticket}}.',
  ticketTitle: 'تذكرتك',
  ticketAt: 'صدرت في {{at}}',
  ticketTrack: 'تابع مكانك في الطابور على هاتفك:',
  print: 'اطبع تذكرتي',
  codeTitle: 'اربط هذا الجهاز اللوحي كجهاز استقبال ذاتي',
  codeLead: 'اكتب رمز الربط الظاهر على شاشة أحد الموظفين (جهاز الاستقبال ← الحصول على رمز ربط).',
  codeLabel: 'رمز الربط',
  codeSubmit: 'اربط هذا الجهاز',
  codeWrong: 'هذا الرمز غير صالح أو انتهت صلاحيته. اطلب رمزًا جديدًا.',
  codeStaff: 'للموظفين: سجّل الدخول على هذا الجهاز بدلًا من ذلك',
  codeGet: 'الحصول على رمز ربط',
  codeShown: 'اكتب هذا الرمز على شاشة جهاز الاستقبال. يصلح مرة واحدة حتى {{at}}.',
};
