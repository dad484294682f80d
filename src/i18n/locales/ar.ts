import { uiAr } from './ui/ar';
import type { Resources } from './en';

export const ar: Resources = {
  app: {
    name: 'QueueMed',
    tagline: 'نظام طابور المرضى الذي تعتمد عليه عيادتك.',
    language: 'اللغة',
  },
  common: {
    loading: 'جارٍ التحميل…',
    retry: 'أعد المحاولة',
    cancel: 'إلغاء',
    confirm: 'تأكيد',
    save: 'حفظ',
    close: 'إغلاق',
    empty: 'لا شيء هنا بعد.',
    minutes_zero: '{{count}} دقيقة',
    minutes_one: 'دقيقة واحدة',
    minutes_two: 'دقيقتان',
    minutes_few: '{{count}} دقائق',
    minutes_many: '{{count}} دقيقة',
    minutes_other: '{{count}} دقيقة',
  },
  errors: {
    'PHONE.INVALID': 'رقم الهاتف هذا غير صالح.',
    unknown: 'حدث خطأ ما. يرجى المحاولة مرة أخرى.',
  },
  ...uiAr,
};
