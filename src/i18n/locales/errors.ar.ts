import type { ErrorResources } from './errors.en';

/** The coded errors' messages in Arabic (see ./errors.en.ts). */
export const errorsAr: ErrorResources = {
  errors: {
    'QUEUE.NO_PATIENT_PRESENT': 'لا يوجد مريض في الانتظار حاليًا.',
    'QUEUE.ILLEGAL_TRANSITION': 'لا يمكن تنفيذ هذا الإجراء لهذا المريض في حالته الحالية.',
    'QUEUE.SKIP_CAP_REACHED': 'تم تجاوز أحد المرضى عدة مرات ويجب مناداته أولًا.',
    'QUEUE.ENTRY_NOT_FOUND': 'تعذر العثور على هذه الزيارة. ربما تم حذفها.',
    'QUEUE.REASON_REQUIRED': 'يرجى ذكر السبب.',
    'QUEUE.GRACE_EXPIRED': 'انتهت مهلة الانتظار؛ تم تسجيل المريض كغائب.',
    'QUEUE.CLOSED': 'تم إغلاق طابور اليوم.',
    'QUEUE.DUPLICATE_ENTRY': 'هذا المريض موجود بالفعل في الطابور.',
    'QUEUE.WALK_IN_LIMIT_REACHED': 'تم بلوغ الحد الأقصى للمرضى بدون موعد لهذا اليوم.',
    'QUEUE.NOT_TODAY': 'هذه الزيارة ليست لليوم.',
    'QUEUE.INVALID_POSITION': 'هذا الترتيب غير صالح.',
    'QUEUE.VERSION_CONFLICT': 'قام شخص آخر بتعديل الطابور في نفس اللحظة. يرجى المحاولة مرة أخرى.',
    'QUEUE.PRACTITIONER_BUSY': 'هذا الطبيب مع مريض حاليًا.',
    'QUEUE.CALLED_NOT_STARTED': 'المريض الذي تمت مناداته لم يدخل بعد: ابدأ الزيارة أو سجّله غائبًا أولًا.',
    'QUEUE.COMMAND_ALREADY_APPLIED': 'تم تحديث قائمة الانتظار بهذا الإجراء من قبل.',
    'QUEUE.EVENT_MISMATCH': 'هذا التغيير لا يطابق قائمة الانتظار. أعد التحميل وحاول مرة أخرى.',
    'QUEUE.DESK_PAUSED': 'النداء متوقف مؤقتًا لهذا الطبيب. استأنف النداء أولًا.',
    'QUEUE.INTAKE_CLOSED': 'لا تقبل القائمة مرضى جددًا اليوم. أعد فتحها لإضافة مريض.',
    'QUEUE.REMOTE_JOIN_OFF': 'لا تقبل العيادة الانضمام إلى الطابور عن بُعد.',
    'QUEUE.REMOTE_JOIN_FULL':
      'لم تعد هناك أماكن للانضمام إلى الطابور عبر الإنترنت اليوم. يرجى الحضور إلى العيادة.',
    'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS': 'تقبل العيادة الانضمام إلى الطابور عن بُعد خلال ساعات العمل فقط.',
    'QUEUE.GRACE_MISMATCH': 'مهلة الانتظار لا تطابق ساعة العيادة أو إعداداتها. أعد التحميل وحاول مرة أخرى.',
    'QUEUE.EVENT_PAYLOAD_INVALID': 'هذا التغيير غير مكتمل. أعد التحميل وحاول مرة أخرى.',
    'QUEUE.UNDO_EXPIRED': 'فات الأوان للتراجع: يمكن التراجع فقط خلال آخر 10 ثوانٍ.',
    'QUEUE.UNDO_ENTRY_CHANGED': 'لا يمكن التراجع: تغيّر وضع هذا المريض في الطابور منذ ذلك.',
    'QUEUE.UNDO_DESK_BUSY': 'لا يمكن التراجع: لدى المكتب مريض آخر الآن.',
    'QUEUE.UNDO_NOT_UNDOABLE': 'لا يمكن التراجع عن هذه الخطوة.',
    'QUEUE.UNDO_REFUSED': 'تم التراجع عن هذه الخطوة من قبل، أو لم تكن خطوتك.',
    'QUEUE.CHECK_IN_TOO_EARLY': 'الوقت مبكر جدًا لتسجيل الحضور لهذا الموعد.',
    'BOOKING.PHONE_NOT_CONFIRMED': 'للحجز، أكّد رقم هاتفك أولًا: سجّل الدخول بالرمز الذي نرسله إليك عبر SMS.',
    'CLINIC.NAME_NOT_ALLOWED': 'لا يمكن أن يحتوي اسم العيادة على عنوان موقع أو رقم هاتف.',
    'BOOKING.TOO_MANY_VISITS':
      'لديك بالفعل أقصى عدد من المواعيد القادمة المسموح به في هذه العيادة. ألغِ موعدًا لتحجز آخر.',
    'BOOKING.SLOT_FULL': 'تم حجز هذا الموعد للتو. يرجى اختيار موعد آخر.',
    'BOOKING.SLOT_UNAVAILABLE': 'هذا الموعد غير متاح.',
    'BOOKING.TOO_SOON': 'هذا الموعد قريب جدًا للحجز. يرجى اختيار وقت لاحق.',
    'BOOKING.BEYOND_HORIZON': 'الحجز غير مفتوح لهذا التاريخ بعد.',
    'BOOKING.CANCEL_TOO_LATE': 'فات وقت الإلغاء عبر الإنترنت. يرجى الاتصال بالعيادة.',
    'BOOKING.RESCHEDULE_TOO_LATE': 'فات وقت تغيير موعد هذه الزيارة عبر الإنترنت. يرجى الاتصال بالعيادة.',
    'BOOKING.RESCHEDULE_SAME_SLOT': 'زيارتك في هذا الموعد بالفعل. اختر موعدًا آخر.',
    'BOOKING.RESCHEDULE_SAME_DAY': 'مكانك في طابور هذا اليوم بالفعل. اختر يومًا آخر.',
    'CONCURRENCY.RETRY': 'قام شخص آخر بتغيير هذا في اللحظة نفسها. لم يُحفظ أي شيء — يرجى المحاولة مرة أخرى.',
    'BOOKING.CLINIC_CLOSED': 'العيادة مغلقة في هذا الوقت.',
    'BOOKING.DAY_FULL': 'لم يعد هناك مكان في الطابور ذلك اليوم. يرجى اختيار يوم آخر.',
    'BOOKING.MODE_MISMATCH':
      'تغيّرت طريقة حجز هذا النوع من الزيارات. يرجى إعادة تحميل الصفحة والاختيار من جديد.',
    'BOOKING.NO_SHOW_TODAY':
      'فات هذا المريض موعد زيارته اليوم. يمكن للاستقبال إعادته إلى الطابور بدل حجز موعد جديد.',
    'VALIDATION.FAILED': 'بعض المعلومات ناقصة أو غير صحيحة.',
    'TEMPLATE.UNKNOWN_VARIABLE': 'تستخدم الرسالة متغيرًا غير موجود.',
    'TEMPLATE.EMPTY': 'لا يمكن أن تكون الرسالة فارغة.',
    'HOURS.INVALID': 'أوقات العمل هذه غير صحيحة.',
    'TIMEZONE.INVALID': 'المنطقة الزمنية غير صالحة.',
    'REMINDER.INVALID_MINUTES': 'يُرسل التذكير قبل الموعد بما بين 5 دقائق ويومين.',
    'WEBHOOK.URL_INVALID': 'أدخل عنوانًا يبدأ بـ https://.',
    'WEBHOOK.URL_PRIVATE': 'استخدم عنوان https:// عامًا، لا محليًا.',
    'EMAIL.UNSUBSCRIBE_INVALID': 'رابط إلغاء الاشتراك هذا غير صالح. لم يتغير شيء.',
    'WAITLIST.OFFER_EXPIRED': 'هذا الموعد الأبكر لم يعد متاحًا. لم تتغير زيارتك.',
    'AUTH.REQUIRED': 'يرجى تسجيل الدخول للمتابعة.',
    'AUTH.FORBIDDEN': 'ليست لديك صلاحية للقيام بذلك.',
    NOT_FOUND: 'غير موجود.',
    'SMS.BUDGET_EXCEEDED': 'تم استنفاد رصيد الرسائل القصيرة الشهري للعيادة.',
    'RATE.LIMITED': 'محاولات كثيرة. يرجى المحاولة لاحقًا.',
    'PATIENT.RENAME_LIMIT':
      'لقد غيّرت اسمك العدد الأقصى من المرات اليوم. حاول مرة أخرى غدًا أو اطلب ذلك من العيادة.',
    INTERNAL: 'حدث خطأ من جهتنا. يرجى المحاولة مرة أخرى.',
  },
  errorHints: {
    'QUEUE.INVALID_POSITION':
      'الترتيب {{toPosition}} غير ممكن لهذا المريض: اختر ترتيبًا من {{min}} إلى {{max}}.',
    'QUEUE.ILLEGAL_TRANSITION|assigned_to_other_practitioner':
      'هذا المريض من مرضى {{doctor}}. لمناداته اختر {{doctor}} في «النداء لـ»، أو انقل المريض إلى قائمتك أولًا (⋯ ← نقل).',
    'QUEUE.CHECK_IN_TOO_EARLY|day':
      'يبدأ تسجيل الوصول لمكانك في الطابور في {{time}}، قبيل افتتاح العيادة. يرجى تسجيل الوصول ابتداءً من ذلك الوقت.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_zero':
      'يبدأ تسجيل الوصول في {{time}}، عند موعدك. يرجى تسجيل الوصول ابتداءً من ذلك الوقت.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_one':
      'يبدأ تسجيل الوصول في {{time}}، قبل الموعد بدقيقة واحدة. يرجى تسجيل الوصول ابتداءً من ذلك الوقت.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_two':
      'يبدأ تسجيل الوصول في {{time}}، قبل الموعد بدقيقتين. يرجى تسجيل الوصول ابتداءً من ذلك الوقت.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_few':
      'يبدأ تسجيل الوصول في {{time}}، قبل الموعد بـ{{count}} دقائق. يرجى تسجيل الوصول ابتداءً من ذلك الوقت.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_many':
      'يبدأ تسجيل الوصول في {{time}}، قبل الموعد بـ{{count}} دقيقة. يرجى تسجيل الوصول ابتداءً من ذلك الوقت.',
    'QUEUE.CHECK_IN_TOO_EARLY|at_other':
      'يبدأ تسجيل الوصول في {{time}}، قبل الموعد بـ{{count}} دقيقة. يرجى تسجيل الوصول ابتداءً من ذلك الوقت.',
    'QUEUE.CHECK_IN_TOO_EARLY_zero': 'يبدأ تسجيل الوصول عند وقت الموعد.',
    'QUEUE.CHECK_IN_TOO_EARLY_one': 'يبدأ تسجيل الوصول قبل وقت الموعد بدقيقة واحدة.',
    'QUEUE.CHECK_IN_TOO_EARLY_two': 'يبدأ تسجيل الوصول قبل وقت الموعد بدقيقتين.',
    'QUEUE.CHECK_IN_TOO_EARLY_few': 'يبدأ تسجيل الوصول قبل وقت الموعد بـ{{count}} دقائق.',
    'QUEUE.CHECK_IN_TOO_EARLY_many': 'يبدأ تسجيل الوصول قبل وقت الموعد بـ{{count}} دقيقة.',
    'QUEUE.CHECK_IN_TOO_EARLY_other': 'يبدأ تسجيل الوصول قبل وقت الموعد بـ{{count}} دقيقة.',
  },
};
