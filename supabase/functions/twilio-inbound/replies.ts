/** The localized confirmations of two-way SMS (DOMAIN.md "Notifications"): ar, fr, en. */
export type Lang = 'ar' | 'fr' | 'en';
export type ReplyKey = 'late' | 'cancel' | 'stop' | 'stop_whatsapp' | 'no_visit' | 'already_called' | 'help';

const T: Record<ReplyKey, Record<Lang, string>> = {
  late: {
    fr: "{clinic} : c'est noté, nous avons prévenu l'accueil de votre retard (ticket {ticket}).",
    en: '{clinic}: noted, reception knows you are running late (ticket {ticket}).',
    ar: '{clinic}: تم إبلاغ الاستقبال بتأخرك (التذكرة {ticket}).',
  },
  cancel: {
    fr: '{clinic} : votre rendez-vous (ticket {ticket}) est annulé.',
    en: '{clinic}: your appointment (ticket {ticket}) is cancelled.',
    ar: '{clinic}: تم إلغاء موعدك (التذكرة {ticket}).',
  },
  stop: {
    fr: 'Vous ne recevrez plus de SMS de QueueMed.',
    en: 'You will no longer receive SMS from QueueMed.',
    ar: 'لن تتلقى بعد الآن رسائل نصية من QueueMed.',
  },
  stop_whatsapp: {
    fr: 'Vous ne recevrez plus de messages WhatsApp de QueueMed. Les SMS restent possibles.',
    en: 'You will no longer receive WhatsApp messages from QueueMed. SMS may still be sent.',
    ar: 'لن تتلقى بعد الآن رسائل واتساب من QueueMed. قد تصلك الرسائل النصية.',
  },
  no_visit: {
    fr: "Nous n'avons pas trouvé de rendez-vous aujourd'hui pour ce numéro.",
    en: 'We found no visit today for this number.',
    ar: 'لم نجد أي موعد اليوم لهذا الرقم.',
  },
  already_called: {
    fr: "{clinic} : votre ticket {ticket} a déjà été appelé. Merci de vous présenter à l'accueil.",
    en: '{clinic}: your ticket {ticket} was already called. Please come to reception.',
    ar: '{clinic}: تمت المناداة على تذكرتك {ticket}. يرجى التوجه إلى الاستقبال.',
  },
  help: {
    fr: 'Répondez RETARD si vous êtes en retard, ANNULER pour annuler, STOP pour ne plus recevoir de SMS.',
    en: 'Reply LATE if you are running late, CANCEL to cancel, STOP to receive no more SMS.',
    ar: 'أرسل "متأخر" إذا كنت ستتأخر، "إلغاء" لإلغاء موعدك، أو STOP لإيقاف الرسائل.',
  },
};

export const reply = (
  key: ReplyKey,
  lang: Lang,
  v: { clinic?: string | null; ticket?: string | null } = {},
): string => T[key][lang].replace('{clinic}', v.clinic ?? 'QueueMed').replace('{ticket}', v.ticket ?? '');

/** The language the patient wrote in: Arabic script → ar; a French or English keyword → that language. */
export const languageOfText = (normalizedFirstWord: string, raw: string): Lang | null => {
  if (/[\u0600-\u06FF]/.test(raw)) return 'ar';
  if (['RETARD', 'ANNULER', 'ANNULE', 'ARRET', 'EN'].includes(normalizedFirstWord)) return 'fr';
  if (['LATE', 'CANCEL'].includes(normalizedFirstWord)) return 'en';
  return null;
};
