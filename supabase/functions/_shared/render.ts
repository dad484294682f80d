/**
 * THE SMS renderer: the sender (send-sms, the outbox sweep) and the admin's template preview
 * (src/hooks/ui/admin.ts imports this very file) fill a template with this code, so what the preview
 * shows is what the patient receives. No imports: it runs unchanged in Deno and in the browser bundle.
 *
 * - A value never re-expands, control characters become spaces, and a variable without a value becomes
 *   empty (the database only stores templates whose variables are known).
 * - `{room}` is the room's label: a bare room number ("2") reads "Salle 2" / "Room 2" / "القاعة 2" in the
 *   message's language, unless the template already says so right before it ("salle {room}").
 * - `{eta}` is a phrase: `etaPhrase` of the stored estimate ("environ 25 min (20-35)"); after a template's
 *   own "environ" / "about" / "حوالي" it drops its own ("(environ {eta})" → "(environ 25 min (20-35))").
 * - Arabic messages survive the bidi algorithm of any phone (issue 15.8): a value that is not plain Arabic
 *   text or digits (a ticket "A-007", a link, a phone, a Latin name) is isolated (FSI … PDI, so "A-007"
 *   never reads "007-A" and a full stop after it stays at the sentence's end), and a message that would
 *   start with a left-to-right letter (a Latin clinic name) starts with RLM, so the phone lays out the
 *   whole text right to left. A value's own bidi controls are dropped (no name can reorder a message).
 */
export type SmsLanguage = 'ar' | 'fr' | 'en';

export type SmsValues = Record<string, string | number | null | undefined>;

/** What the patient is shown of a wait (the queue model's WaitDisplay). */
export type EtaDisplay =
  | { readonly kind: 'minutes'; readonly minutes: number; readonly low: number; readonly high: number }
  | { readonly kind: 'soon' }
  | { readonly kind: 'unknown' };

const ETA_WORDS: Record<SmsLanguage, { about: string; min: string; soon: string; unknown: string }> = {
  en: { about: 'about', min: 'min', soon: 'a few minutes', unknown: 'not known yet' },
  fr: { about: 'environ', min: 'min', soon: 'quelques minutes', unknown: 'pas encore connue' },
  ar: { about: 'حوالي', min: 'دقيقة', soon: 'بضع دقائق', unknown: 'غير معروفة بعد' },
};

/**
 * "about 25 min (20-35)", "environ 25 min (20-35)", "حوالي 25 دقيقة (20-35)" — the queue module's
 * `formatWaitForPatient(display, language, { gsm: true })` (a plain hyphen keeps fr/en GSM-7).
 */
export const etaPhrase = (display: EtaDisplay, language: SmsLanguage): string => {
  const w = ETA_WORDS[language] ?? ETA_WORDS.fr;
  if (display.kind === 'soon') return w.soon;
  if (display.kind === 'unknown') return w.unknown;
  return `${w.about} ${display.minutes} ${w.min} (${display.low}-${display.high})`;
};

const ROOM_WORD: Record<SmsLanguage, string> = { en: 'Room', fr: 'Salle', ar: 'القاعة' };
/** A template that already names the room before `{room}` ("salle {room}", "Room {room}", "القاعة {room}"). */
const NAMES_ROOM = /(?:salle|room|cabinet|bureau|box|قاعة|القاعة|غرفة|الغرفة)\s*(?:n°|no\.?|#)?\s*$/i;

/** The room's label: a bare number gets the language's word for room. */
export const roomLabel = (room: string, language: SmsLanguage): string =>
  /^\s*\d{1,4}\s*$/.test(room) ? `${ROOM_WORD[language] ?? ROOM_WORD.fr} ${room.trim()}` : room;

/** A template that already says "about" before `{eta}` ("(environ {eta})", the built-in templates). */
const SAYS_ABOUT = /(?:environ|about|approximately|approx\.?|حوالي|~)\s*$/i;
const ABOUT_WORD = /^\s*(?:environ|about|حوالي)\s+/;

/** Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): never taken from a value. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

const clean = (v: string | number): string =>
  Array.from(String(v).replace(BIDI_CONTROLS, ''), (ch) =>
    ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? ' ' : ch,
  ).join('');

/** Letters of a left-to-right script; letters of Arabic; a bare number. */
const LTR_LETTER = /(?![\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff])\p{L}/u;
const ARABIC_LETTER = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
const BARE_NUMBER = /^[\s\d\u0660-\u0669]*$/;
/**
 * Safe as is inside Arabic text: an Arabic phrase (its numbers and brackets are laid out by the sentence) or
 * a bare number. Anything with a left-to-right letter (A-007, a link, a Latin name) or made of digits and
 * symbols (+212…, 20-35) is isolated.
 */
const plainInArabic = (v: string): boolean =>
  !LTR_LETTER.test(v) && (ARABIC_LETTER.test(v) || BARE_NUMBER.test(v));
const FSI = '\u2068';
const PDI = '\u2069';
const RLM = '\u200f';
/** In an Arabic message, a value that is not plain Arabic text is isolated (see the file's header). */
const isolate = (v: string, language: SmsLanguage | undefined): string =>
  language === 'ar' && v !== '' && !plainInArabic(v) ? `${FSI}${v}${PDI}` : v;
/**
 * Its first letter is left to right — isolates NOT skipped: a phone whose renderer predates isolates
 * (Unicode 6.3) would take a Latin clinic name for the paragraph's direction.
 */
const startsLeftToRight = (text: string): boolean => {
  const first = /\p{L}/u.exec(text)?.[0];
  return first !== undefined && LTR_LETTER.test(first);
};

/**
 * Fills a template's `{variables}` (see the file's header). `language` labels rooms; `keepUnknown` (the
 * preview, while an admin types) leaves a variable that has no value visible instead of dropping it.
 */
export const renderTemplate = (
  body: string,
  values: SmsValues,
  language?: SmsLanguage,
  options: { keepUnknown?: boolean } = {},
): string => {
  const text = body
    .replace(/\{([a-z_]+)\}/g, (m, name: string, offset: number) => {
      const v = values[name];
      if (v === null || v === undefined) return options.keepUnknown && !(name in values) ? m : '';
      if (name === 'room' && language !== undefined && !NAMES_ROOM.test(body.slice(0, offset))) {
        return isolate(clean(roomLabel(String(v), language)), language);
      }
      if (name === 'eta' && SAYS_ABOUT.test(body.slice(0, offset))) {
        return isolate(clean(String(v).replace(ABOUT_WORD, '')), language);
      }
      return isolate(clean(v), language);
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ ([,.،])/g, '$1')
    .trim();
  return language === 'ar' && startsLeftToRight(text) ? `${RLM}${text}` : text;
};
