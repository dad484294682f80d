/** The localized confirmations of two-way SMS (DOMAIN.md "Notifications"): ar, fr, en. */
export type Lang = 'ar' | 'fr' | 'en';
export type ReplyKey =
  | 'late'
  | 'cancel'
  | 'stop'
  | 'start'
  | 'stop_whatsapp'
  | 'start_whatsapp'
  | 'no_visit'
  | 'ambiguous'
  | 'already_called'
  | 'help'
  | 'offer_declined'
  | 'offer_already_taken'
  | 'offer_expired'
  | 'no_offer';

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
    fr: 'Vous ne recevrez plus de SMS de QueueMed. Répondez START pour les recevoir à nouveau.',
    en: 'You will no longer receive SMS from QueueMed. Reply START to receive them again.',
    ar: 'لن تتلقى بعد الآن رسائل نصية من QueueMed. أرسل START لتلقيها من جديد.',
  },
  // names27 (mreview26 F7): an SMS START takes back the STOP (the clinics STOP reached)
  start: {
    fr: 'Vous recevrez à nouveau les SMS de QueueMed. Répondez STOP pour les arrêter.',
    en: 'You will receive SMS from QueueMed again. Reply STOP to stop them.',
    ar: 'ستتلقى من جديد الرسائل النصية من QueueMed. أرسل STOP لإيقافها.',
  },
  stop_whatsapp: {
    fr: 'Vous ne recevrez plus de messages WhatsApp de QueueMed. Les SMS restent possibles.',
    en: 'You will no longer receive WhatsApp messages from QueueMed. SMS may still be sent.',
    ar: 'لن تتلقى بعد الآن رسائل واتساب من QueueMed. قد تصلك الرسائل النصية.',
  },
  start_whatsapp: {
    fr: 'Vous recevrez à nouveau les messages WhatsApp de QueueMed. Répondez STOP pour les arrêter.',
    en: 'You will receive WhatsApp messages from QueueMed again. Reply STOP to stop them.',
    ar: 'ستتلقى من جديد رسائل واتساب من QueueMed. أرسل STOP لإيقافها.',
  },
  no_visit: {
    fr: "Nous n'avons pas trouvé de rendez-vous aujourd'hui pour ce numéro.",
    en: 'We found no visit today for this number.',
    ar: 'لم نجد أي موعد اليوم لهذا الرقم.',
  },
  // visits today at several clinics that share the platform's number: nothing is guessed (docs/security.md)
  ambiguous: {
    fr: "Vous avez des rendez-vous aujourd'hui dans plusieurs cliniques : rien n'a été modifié. Utilisez le lien de suivi de votre rendez-vous ou appelez la clinique.",
    en: "You have visits today at several clinics: nothing was changed. Use your visit's tracking link or call the clinic.",
    ar: 'لديك مواعيد اليوم في عدة عيادات: لم يتم تغيير أي شيء. استعمل رابط تتبع موعدك أو اتصل بالعيادة.',
  },
  already_called: {
    fr: "{clinic} : votre ticket {ticket} a déjà été appelé. Merci de vous présenter à l'accueil.",
    en: '{clinic}: your ticket {ticket} was already called. Please come to reception.',
    ar: '{clinic}: تمت المناداة على تذكرتك {ticket}. يرجى التوجه إلى الاستقبال.',
  },
  // waitlist offers answered by SMS (W6); taking one is confirmed by the booking's confirmation SMS (outbox)
  offer_declined: {
    fr: "{clinic} : c'est noté, vous gardez votre rendez-vous de {time} (ticket {ticket}).",
    en: '{clinic}: noted, you keep your appointment at {time} (ticket {ticket}).',
    ar: '{clinic}: تم تسجيل ردك، تحتفظ بموعدك في {time} (التذكرة {ticket}).',
  },
  offer_already_taken: {
    fr: '{clinic} : vous avez déjà pris cette place, votre rendez-vous est à {time} (ticket {ticket}).',
    en: '{clinic}: you already took this slot, your appointment is at {time} (ticket {ticket}).',
    ar: '{clinic}: لقد حجزت هذا الموعد من قبل، موعدك في {time} (التذكرة {ticket}).',
  },
  offer_expired: {
    fr: "{clinic} : désolé, cette proposition n'est plus valable. Votre rendez-vous reste inchangé.",
    en: '{clinic}: sorry, this offer has ended. Your appointment stays as it was.',
    ar: '{clinic}: عذرا، انتهى هذا العرض. يبقى موعدك كما هو.',
  },
  no_offer: {
    fr: "Nous n'avons pas de place à vous proposer pour ce numéro en ce moment.",
    en: 'We have no slot on offer for this number right now.',
    ar: 'لا يوجد موعد معروض على هذا الرقم حاليا.',
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
  v: { clinic?: string | null; ticket?: string | null; time?: string | null } = {},
): string =>
  T[key][lang]
    .replace('{clinic}', v.clinic ?? 'QueueMed')
    .replace('{ticket}', v.ticket ?? '')
    .replace('{time}', v.time ?? '');

/** The language the patient wrote in: Arabic script → ar; a French or English keyword → that language. */
export const languageOfText = (normalizedFirstWord: string, raw: string): Lang | null => {
  if (/[\u0600-\u06FF]/.test(raw)) return 'ar';
  if (['RETARD', 'ANNULER', 'ANNULE', 'ARRET', 'EN', 'OUI', 'NON', 'DEMARRER'].includes(normalizedFirstWord))
    return 'fr';
  if (['LATE', 'CANCEL', 'YES', 'NO', 'START', 'UNSTOP'].includes(normalizedFirstWord)) return 'en';
  return null;
};
