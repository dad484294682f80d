// A copy of src/services/notification/models/InboundSms.ts (edge functions deploy without src/);
// inbound_parity.test.ts fails if the two ever disagree.
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
