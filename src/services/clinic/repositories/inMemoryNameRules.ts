/**
 * The database's name rules as the in-memory fakes apply them (mend22): N1 (`private.clinic_name_allowed`: no web
 * address, no phone-number-like run of 6+ digits) and P1 (`private.is_clean_person_name`: N1 plus no e-mail
 * address, and no control, bidi or invisible characters). The characters rule is the common cases of
 * `private.person_name_chars_clean`, not its every code point; the contracts run the same cases on the database.
 */

/** Arabic-Indic, extended Arabic-Indic and fullwidth digits read as 0-9 (the database's translate). */
const asciiDigits = (s: string): string =>
  s.replace(/[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= 0xff10 ? c - 0xff10 : c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
  });

const WEB_ADDRESS =
  /([a-z][a-z0-9+.-]*:\/\/|www\.|[a-z0-9-]\.(com|net|org|info|biz|ma|fr|io|ly|co|me|app|link|site|online|top|xyz|click|gl|to|sh|cc|tk|ru|uk|de|es|be|ch|tn|dz|us|eu|live|shop|store|page|dev)([^a-z0-9]|$))/;

/** N1: no web address and no phone-number-like run (6+ digits with only separators between them). */
export function clinicNameAllowed(name: string): boolean {
  if (WEB_ADDRESS.test(asciiDigits(name.toLowerCase()).replace(/．/g, '.'))) return false;
  const runs = asciiDigits(name).match(/[0-9][0-9 ().\-/\u00a0]*[0-9]/g) ?? [];
  return !runs.some((run) => run.replace(/[^0-9]/g, '').length >= 6);
}

/** Control, bidi, zero-width and other invisible characters (person_name_chars_clean's common cases). */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  /[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u115f\u1160\u3164\uffa0]/;

/** P1: a person's name holds no web address, e-mail address or phone number, nor invisible characters. */
export function isCleanPersonName(name: string): boolean {
  if (INVISIBLE.test(name)) return false;
  const email = /[^\s@]@[^\s@]+\.[^\s@.]/.test(name.replace(/[＠﹫]/g, '@').replace(/[．。]/g, '.'));
  return !email && clinicNameAllowed(name);
}

/** private.public_person_name: a name that holds '@' is never shown. */
export const publicPersonName = (name: string | null): string | null =>
  name === null || name.includes('@') ? null : name;
