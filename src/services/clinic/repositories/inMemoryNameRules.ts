/**
 * The database's name rules as the in-memory fakes apply them (mend22; folded as name22 folds them, mend23): N1
 * (`private.clinic_name_allowed`: no web address, no phone-number-like run of 6+ digits) and P1
 * (`private.is_clean_person_name`: N1 plus no e-mail address, and no control, bidi or invisible characters), each
 * a transcription of the latest SQL body (20261222800001). The characters rule is the common cases of
 * `private.person_name_chars_clean`, not its every code point. inMemoryNameRules.test.ts runs the shared case table
 * (test/fixtures/contracts/personNameCases.ts) that supabase/tests/personNameP1.test.ts runs on the database: a
 * change to the SQL rule changes that table, and this copy must follow.
 */

/**
 * private.contact_fold (name22, 20261222800001): NFKC (math-bold, full-width, circled forms become plain letters and
 * digits), lower case, every decimal digit of any script (\p{Nd}: runs of ten consecutive code points 0…9) becomes
 * 0-9, the full stops 。｡．﹒ become '.', the slashes ⧸∕⁄╱ '/', the at signs ＠﹫ '@'.
 */
export function contactFold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[。｡．﹒⧸∕⁄╱＠﹫]/gu, (c) => ('。｡．﹒'.includes(c) ? '.' : '＠﹫'.includes(c) ? '@' : '/'))
    .replace(/\p{Nd}/gu, (d) => {
      const cp = d.codePointAt(0)!;
      let zero = cp;
      while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
      return String((cp - zero) % 10);
    });
}

// the database's letters after the fold (lower-case ASCII, Latin with accents, Greek, Cyrillic, Arabic letters,
// Tifinagh): anything else between two digits is a separator
const LETTERS =
  'a-z\\u00aa\\u00b5\\u00ba\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f\\u0370-\\u03ff\\u0400-\\u052f\\u0620-\\u063f' +
  '\\u0641-\\u064a\\u066e-\\u066f\\u0671-\\u06d3\\u06d5\\u06fa-\\u06fc\\u0750-\\u077f\\u08a0-\\u08c9\\u1e00-\\u1fff\\u2d30-\\u2d7f';
const TLD =
  '([a-z]{2}|com|net|org|info|biz|xyz|top|club|online|site|store|shop|app|dev|page|link|click|live|life|world|' +
  'today|news|blog|email|tech|pro|vip|win|bid|icu|cyou|buzz|fun|space|website|host|press|agency|digital|network|' +
  'social|media|money|cash|bet|casino|promo|sale|deals|gift|gifts|free|cloud|best|ltd|work|lol|rest|sbs|cfd|mobi|' +
  'asia|tel|xxx|date|loan|loans|credit|bank|trade|market|services|support|help|center|guru|zone|group|company|' +
  'global|travel|games|stream|video|chat|web|gle)';
// the links of private.clinic_name_allowed (latest 20261222800001), tested on the folded text
const LINKS = [
  /[a-z][a-z0-9+.-]*:\/|www\./,
  /[a-z0-9]\.[a-z]{2,24}\//,
  new RegExp(`[a-z0-9]\\s{0,3}\\.\\s{0,3}${TLD}\\s{0,3}/`),
  new RegExp(
    `(^|[^a-z0-9])(?!(dr|pr|mr|mme|mlle|me|st|ste|sr|jr)\\.)[a-z0-9-]*[a-z0-9]{2}\\.${TLD}([^${LETTERS}]|$)`,
  ),
  new RegExp(`[a-z0-9]{2}\\s{1,3}\\.\\s{0,3}${TLD}([^${LETTERS}]|$)`),
];
// a phone number: 6 or more digits, at most 3 non-letters between two of them
const DIGIT_RUN = new RegExp(`[0-9](?:[^0-9${LETTERS}]{0,3}[0-9])*`, 'g');

/** N1 (private.clinic_name_allowed): no web address and no phone-number-like run, on the folded text. */
export function clinicNameAllowed(name: string): boolean {
  const t = contactFold(name);
  if (LINKS.some((link) => link.test(t))) return false;
  return !(t.match(DIGIT_RUN) ?? []).some((run) => run.replace(/[^0-9]/g, '').length >= 6);
}

/** Control, bidi, zero-width and other invisible characters (person_name_chars_clean's common cases). */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  /[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u115f\u1160\u3164\uffa0]/;

/**
 * P1: a person's name holds no web address, e-mail address (also spelled out: "(at)", "[dot]") or phone number,
 * nor invisible characters (private.person_name_no_contact, latest 20261222800001, on the folded text).
 */
export function isCleanPersonName(name: string): boolean {
  if (INVISIBLE.test(name)) return false;
  const t = contactFold(name);
  const email =
    /[^\s@]\s{0,3}@\s{0,3}[^\s@]+\s{0,3}\.\s{0,3}[^\s@.]/.test(t) ||
    /[([{<]\s*(at|dot|arobase|point)\s*[\])}>]/.test(t);
  return !email && clinicNameAllowed(name);
}

/** private.public_person_name: a name that holds '@' is never shown. */
export const publicPersonName = (name: string | null): string | null =>
  name === null || name.includes('@') ? null : name;
