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

const clean = (v: string | number): string =>
  Array.from(String(v), (ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? ' ' : ch)).join('');

/**
 * Fills a template's `{variables}` (see the file's header). `language` labels rooms; `keepUnknown` (the
 * preview, while an admin types) leaves a variable that has no value visible instead of dropping it.
 */
export const renderTemplate = (
  body: string,
  values: SmsValues,
  language?: SmsLanguage,
  options: { keepUnknown?: boolean } = {},
): string =>
  body
    .replace(/\{([a-z_]+)\}/g, (m, name: string, offset: number) => {
      const v = values[name];
      if (v === null || v === undefined) return options.keepUnknown && !(name in values) ? m : '';
      if (name === 'room' && language !== undefined && !NAMES_ROOM.test(body.slice(0, offset))) {
        return clean(roomLabel(String(v), language));
      }
      if (name === 'eta' && SAYS_ABOUT.test(body.slice(0, offset))) {
        return clean(String(v).replace(ABOUT_WORD, ''));
      }
      return clean(v);
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ ([,.،])/g, '$1')
    .trim();
