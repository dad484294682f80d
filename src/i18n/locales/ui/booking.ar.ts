import type { bookingEn } from './booking.en';

/** The booking screens' strings (see ./booking.en.ts). */
export const bookingAr: typeof bookingEn = {
  title: 'حجز موعد',
  hours: 'أوقات العمل',
  closedDay: 'مغلق',
  step1: 'نوع الزيارة',
  doctorLegend: 'الطبيب',
  anyDoctor: 'أي طبيب',
  // fix21d: طبيب لا يصلح اسمه للصفحة العامة (كان يحتوي على بريد إلكتروني)
  unnamedDoctor: 'الطبيب {{n}}',
  withDoctor: 'مع',
  step2: 'اليوم',
  step3: 'الوقت',
  step4: 'التأكيد',
  fluidLegend: 'اليوم — مكان في الطابور دون وقت محدد',
  fluidHint: 'تعال في أي وقت خلال ساعات العمل: يُستقبل المرضى حسب ترتيب الوصول.',
  fluidPlaces: 'الأماكن المتبقية: {{n}}',
  noFluidDays: 'لا توجد أماكن متبقية في الأيام القادمة.',
  takePlace: 'احجز مكانًا في طابور يوم {{day}}',
  successFluid:
    'التذكرة {{ticket}} ليوم {{day}}. تعال خلال ساعات العمل وسجّل وصولك عند قدومك. احتفظ بهذا الرابط لمتابعة دورك مباشرة:',
  noSlots: 'لا توجد أوقات متاحة في هذا اليوم. جرّب يومًا آخر.',
  yourName: 'اسمك',
  nameRequired: 'يرجى إدخال اسمك: تناديك العيادة به.',
  confirm: 'تأكيد الحجز',
  signInFirst: 'سجّل الدخول برقم هاتفك للحجز.',
  success: 'تم الحجز!',
  successBody: 'التذكرة {{ticket}} في {{time}}. احتفظ بهذا الرابط لمتابعة دورك مباشرة:',
  openTracker: 'افتح المتابعة المباشرة',
  weekday: {
    '0': 'الأحد',
    '1': 'الاثنين',
    '2': 'الثلاثاء',
    '3': 'الأربعاء',
    '4': 'الخميس',
    '5': 'الجمعة',
    '6': 'السبت',
  },
  minutes: '{{m}} دقيقة',
  back: 'رجوع',
};
