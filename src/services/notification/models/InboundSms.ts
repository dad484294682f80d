/**
 * What a patient's SMS reply asks for (DOMAIN.md "Notifications"): a "late" keyword (RETARD / LATE /
 * متأخر), a "cancel" keyword (ANNULER / CANCEL / إلغاء), and STOP to opt out.
 *
 * The first word decides ("RETARD 10 min" is late). Case, French accents, Arabic diacritics, tatweel and
 * the hamza forms of alef are ignored, so "retard", "Rétard", "متاخر", "مُتَأَخِّر" and "الغاء" all count:
 * people type on whatever keyboard they have. Anything else is not a command (null) and is left for staff.
 */
export type InboundIntent = 'late' | 'cancel' | 'stop';

const KEYWORDS: Readonly<Record<string, InboundIntent>> = {
  RETARD: 'late',
  LATE: 'late',
  متاخر: 'late',
  متاخره: 'late',
  متاخرة: 'late',
  ANNULER: 'cancel',
  ANNULE: 'cancel',
  CANCEL: 'cancel',
  الغاء: 'cancel',
  STOP: 'stop',
  ARRET: 'stop',
};
/** Two-word forms whose first word alone means nothing. */
const PHRASES: Readonly<Record<string, InboundIntent>> = {
  'EN RETARD': 'late',
};

/** Upper-case Latin without accents; Arabic without diacritics/tatweel and with plain alef. */
export const normalizeInboundText = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // Latin combining accents
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '') // Arabic harakat, superscript alef, tatweel
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627') // آ أ إ ٱ → ا
    .toUpperCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export const parseInboundSms = (text: string): InboundIntent | null => {
  const words = normalizeInboundText(text).split(' ');
  const first = words[0] ?? '';
  const pair = words.slice(0, 2).join(' ');
  return KEYWORDS[first] ?? PHRASES[pair] ?? null;
};

/**
 * A patient's answer to a waitlist offer (issue 17, rule W6): 1 / OUI / YES / نعم takes the offered slot,
 * 2 / NON / NO / لا declines it. The first word decides, with the same tolerance as the keywords (case,
 * accents, Arabic diacritics), and Arabic-Indic digits count as digits (١ = 1). Anything else: null.
 */
export type OfferAnswer = 'accept' | 'decline';

const OFFER_ANSWERS: Readonly<Record<string, OfferAnswer>> = {
  '1': 'accept',
  OUI: 'accept',
  YES: 'accept',
  نعم: 'accept',
  '2': 'decline',
  NON: 'decline',
  NO: 'decline',
  لا: 'decline',
};

/** ٠–٩ (Arabic-Indic) and ۰–۹ (Eastern Arabic-Indic) → 0–9. */
const asciiDigits = (text: string): string =>
  text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.codePointAt(0) ?? 0) & 0xf));

export const parseOfferReply = (text: string): OfferAnswer | null =>
  OFFER_ANSWERS[normalizeInboundText(asciiDigits(text)).split(' ')[0] ?? ''] ?? null;
