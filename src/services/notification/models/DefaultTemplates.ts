/**
 * The built-in texts every clinic starts with, for every message kind in Arabic, French and English, and
 * the rule that picks the text a patient receives.
 *
 * Wording: short, polite, what a Moroccan clinic's reception would write. French and English texts are
 * kept inside the GSM-7 alphabet (no ê/ç/â/œ, straight apostrophes) so they cost one segment where they
 * fit; Arabic is UCS-2 by nature. `{eta}` is expected to be a phrase like "about 25 min (20-35)" (see
 * `formatWaitForPatient` in the queue module), `{room}` a room name ("Salle 2"), `{appointment_time}` a
 * localized date and time.
 */
import { MESSAGE_KINDS, MessageTemplate, isMessageLanguage } from './MessageTemplate';
import type { MessageKind, MessageLanguage } from './MessageTemplate';

type Texts = Record<MessageKind, Record<MessageLanguage, string>>;

export const DEFAULT_TEMPLATE_TEXTS: Readonly<Texts> = Object.freeze({
  booking_confirmed: {
    ar: '{clinic_name}: {patient_name}، تم تأكيد موعدك يوم {appointment_time}. رقم تذكرتك {ticket}. تابع دورك هنا: {tracking_url}\nللإلغاء: {cancel_url}',
    fr: '{clinic_name} : {patient_name}, votre rendez-vous du {appointment_time} est confirmé. Ticket {ticket}. Suivez votre tour ici : {tracking_url}\nPour annuler : {cancel_url}',
    en: '{clinic_name}: {patient_name}, your appointment on {appointment_time} is confirmed. Ticket {ticket}. Follow your turn here: {tracking_url}\nTo cancel: {cancel_url}',
  },
  appointment_reminder: {
    ar: '{clinic_name}: {patient_name}، تذكير بموعدك يوم {appointment_time}. رقم تذكرتك {ticket}. تابع دورك هنا: {tracking_url}\nللإلغاء: {cancel_url}',
    fr: '{clinic_name} : {patient_name}, rappel de votre rendez-vous du {appointment_time}. Ticket {ticket}. Suivez votre tour ici : {tracking_url}\nPour annuler : {cancel_url}',
    en: '{clinic_name}: {patient_name}, reminder of your appointment on {appointment_time}. Ticket {ticket}. Follow your turn here: {tracking_url}\nTo cancel: {cancel_url}',
  },
  fluid_reminder: {
    ar: '{clinic_name}: {patient_name}، مكانك في الطابور غدًا ({appointment_time}). تعال في أي وقت خلال ساعات العمل. رقم تذكرتك {ticket}. تابع دورك هنا: {tracking_url}\nللإلغاء: {cancel_url}',
    fr: "{clinic_name} : {patient_name}, votre place dans la file est demain ({appointment_time}). Venez pendant les heures d'ouverture. Ticket {ticket}. Suivez votre tour ici : {tracking_url}\nPour annuler : {cancel_url}",
    en: '{clinic_name}: {patient_name}, your place in the line is tomorrow ({appointment_time}). Come during opening hours. Ticket {ticket}. Follow your turn here: {tracking_url}\nTo cancel: {cancel_url}',
  },
  waitlist_offer: {
    ar: '{clinic_name}: {patient_name}، توفر موعد أبكر: {appointment_time}. هو محجوز لك حتى {offer_expires_at}. أرسل 1 لقبوله أو 2 لرفضه، أو: {offer_url}',
    fr: "{clinic_name} : {patient_name}, une place plus proche s'est libérée : {appointment_time}. Elle vous est réservée jusqu'à {offer_expires_at}. Répondez 1 pour l'accepter, 2 pour la refuser, ou : {offer_url}",
    en: '{clinic_name}: {patient_name}, an earlier slot is free: {appointment_time}. It is held for you until {offer_expires_at}. Reply 1 to take it, 2 to decline, or: {offer_url}',
  },
  remote_join_confirmed: {
    ar: '{clinic_name}: {patient_name}، انضممت إلى طابور اليوم. رقم تذكرتك {ticket}، ترتيبك {position}. تابع دورك هنا: {tracking_url}',
    fr: "{clinic_name} : {patient_name}, vous avez rejoint la file d'attente du jour. Ticket {ticket}, position {position}. Suivez votre tour ici : {tracking_url}",
    en: "{clinic_name}: {patient_name}, you have joined today's queue. Ticket {ticket}, position {position}. Follow your turn here: {tracking_url}",
  },
  almost_turn: {
    ar: '{clinic_name}: {patient_name}، اقترب دورك. ترتيبك {position}، الانتظار المتوقع {eta}. يرجى البقاء قرب قاعة الانتظار. {tracking_url}',
    fr: "{clinic_name} : {patient_name}, votre tour approche. Position {position}, attente {eta}. Merci de rester près de la salle d'attente. {tracking_url}",
    en: '{clinic_name}: {patient_name}, your turn is coming up. Position {position}, wait {eta}. Please stay close to the waiting room. {tracking_url}',
  },
  your_turn: {
    ar: '{clinic_name}: {patient_name}، حان دورك! التذكرة {ticket}. تفضل إلى: {room}.',
    fr: "{clinic_name} : {patient_name}, c'est votre tour ! Ticket {ticket}. Merci de vous présenter : {room}.",
    en: "{clinic_name}: {patient_name}, it's your turn! Ticket {ticket}. Please go to: {room}.",
  },
  still_next: {
    ar: '{clinic_name}: {patient_name}، لا تقلق، ما زلت محتفظًا بمكانك في الدور (الترتيب {position}). شكرًا على صبرك.',
    fr: '{clinic_name} : {patient_name}, rassurez-vous, vous gardez votre place (position {position}). Merci de votre patience.',
    en: "{clinic_name}: {patient_name}, don't worry, you keep your place in line (position {position}). Thank you for your patience.",
  },
  marked_absent: {
    ar: '{clinic_name}: {patient_name}، تمت المناداة على التذكرة {ticket} ولم تكن حاضرًا. لديك {grace_minutes} دقيقة للعودة إلى الاستقبال والاحتفاظ بدورك.',
    fr: "{clinic_name} : {patient_name}, le ticket {ticket} a été appelé mais vous n'étiez pas là. Vous avez {grace_minutes} minutes pour revenir à l'accueil et garder votre tour.",
    en: '{clinic_name}: {patient_name}, ticket {ticket} was called but you were not there. You have {grace_minutes} minutes to come back to reception and keep your turn.',
  },
  returned: {
    ar: '{clinic_name}: مرحبًا بعودتك {patient_name}. رجعت إلى قائمة الانتظار، ترتيبك الآن {position} (التذكرة {ticket}).',
    fr: "{clinic_name} : bon retour, {patient_name}. Vous reprenez votre place dans la file d'attente, position {position} (ticket {ticket}).",
    en: '{clinic_name}: welcome back, {patient_name}. You are back in line at position {position} (ticket {ticket}).',
  },
  cancelled: {
    ar: '{clinic_name}: {patient_name}، تم إلغاء زيارتك (التذكرة {ticket}). إذا كان ذلك عن طريق الخطأ، يرجى الاتصال بنا.',
    fr: "{clinic_name} : {patient_name}, votre visite (ticket {ticket}) a été annulée. S'il s'agit d'une erreur, merci de nous contacter.",
    en: '{clinic_name}: {patient_name}, your visit (ticket {ticket}) has been cancelled. If this is a mistake, please contact us.',
  },
  no_show: {
    ar: '{clinic_name}: {patient_name}، لم نرك اليوم (التذكرة {ticket}). يمكنك حجز موعد جديد في أي وقت.',
    fr: "{clinic_name} : {patient_name}, nous ne vous avons pas vu aujourd'hui (ticket {ticket}). Vous pouvez reprendre rendez-vous quand vous le souhaitez.",
    en: '{clinic_name}: {patient_name}, we missed you today (ticket {ticket}). You can book a new appointment at any time.',
  },
  staff_invitation: {
    ar: 'تدعوك {clinic_name} للانضمام إلى فريقها على QueueMed. الرابط صالح لمدة 7 أيام: {invitation_url}',
    fr: '{clinic_name} vous invite à rejoindre son équipe sur QueueMed. Lien valable 7 jours : {invitation_url}',
    en: '{clinic_name} invites you to join its team on QueueMed. The link is valid for 7 days: {invitation_url}',
  },
  webhook_disabled: {
    ar: '{clinic_name}: أوقف QueueMed نقطة استقبال webhook {webhook_url} بعد {failures} محاولة إرسال فاشلة متتالية. أصلح الخادم المستقبِل ثم أعد تشغيلها من الإدارة > مفاتيح API.',
    fr: "{clinic_name} : QueueMed a désactivé votre webhook {webhook_url} après {failures} envois échoués d'affilée. Réparez le récepteur puis réactivez-le dans Administration > Clés API.",
    en: '{clinic_name}: QueueMed switched off your webhook {webhook_url} after {failures} failed deliveries in a row. Fix the receiver, then switch it back on in Admin > API keys.',
  },
  otp: {
    ar: '{code} هو رمز التحقق الخاص بك في QueueMed. لا تشاركه مع أي أحد.',
    fr: '{code} est votre code QueueMed. Ne le communiquez à personne.',
    en: '{code} is your QueueMed code. Do not share it with anyone.',
  },
});

const build = (): ReadonlyMap<string, MessageTemplate> => {
  const map = new Map<string, MessageTemplate>();
  for (const kind of MESSAGE_KINDS) {
    for (const language of ['ar', 'fr', 'en'] as const) {
      const created = MessageTemplate.create({
        kind,
        language,
        body: DEFAULT_TEMPLATE_TEXTS[kind][language],
      });
      // A broken built-in text is a bug in this file, not an expected failure.
      if (!created.ok) throw new Error(`Built-in template ${kind}/${language}: ${created.error.message}`);
      map.set(`${kind}/${language}`, created.value);
    }
  }
  return map;
};

const DEFAULTS = build();

/** The built-in template of a kind in a language. */
export const defaultTemplate = (kind: MessageKind, language: MessageLanguage): MessageTemplate => {
  const t = DEFAULTS.get(`${kind}/${language}`);
  if (t === undefined) throw new Error(`No built-in template ${kind}/${language}`);
  return t;
};

/** The language used when neither the patient's nor the clinic's is usable. */
export const FALLBACK_LANGUAGE: MessageLanguage = 'fr';

export interface ResolvedTemplate {
  readonly template: MessageTemplate;
  readonly language: MessageLanguage;
  /** `clinic`: the clinic's own text; `default`: the built-in one. */
  readonly source: 'clinic' | 'default';
}

/**
 * Picks the text a patient receives.
 * 1. Language: the patient's (if ar/fr/en), else the clinic's, else French.
 * 2. Text: the clinic's template for that kind and language, else the built-in default in that language.
 *
 * A patient is never sent a clinic text in a language they did not choose when a built-in text in their
 * own language exists: being understood matters more than the clinic's wording.
 */
export const resolveTemplate = (input: {
  kind: MessageKind;
  patientLanguage?: string | null;
  clinicLanguage?: string | null;
  clinicTemplates?: readonly MessageTemplate[];
}): ResolvedTemplate => {
  const language: MessageLanguage = isMessageLanguage(input.patientLanguage)
    ? input.patientLanguage
    : isMessageLanguage(input.clinicLanguage)
      ? input.clinicLanguage
      : FALLBACK_LANGUAGE;
  const own = (input.clinicTemplates ?? []).find((t) => t.kind === input.kind && t.language === language);
  return own !== undefined
    ? { template: own, language, source: 'clinic' }
    : { template: defaultTemplate(input.kind, language), language, source: 'default' };
};
