/**
 * The kiosk screen's strings (ar), loaded with the kiosk page (src/i18n/pageStrings.ts), not with every
 * screen's language bundle (issue 14).
 */
export const kioskAr = {
  title: 'مرحبًا — يرجى تسجيل وصولك',
  lead: 'اكتب رقم هاتفك أو رمز تذكرتك (مثال: A-012).',
  input: 'رقم الهاتف أو التذكرة',
  submit: 'تسجيل الوصول',
  notFound: 'لم نجد زيارة لهذا اليوم. يرجى مراجعة الاستقبال.',
  done: 'تم تسجيل وصولك، التذكرة {{ticket}}.',
  position: 'أنت رقم {{n}} في الطابور. تفضل بالجلوس.',
  again: 'المريض التالي',
};
