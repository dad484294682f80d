/**
 * What may go into a log line, with no I/O and no logger: shared by the app's pino logger (./Logger), the
 * browser's logger (composition/browserLogger), the local stack's POST /client-logs and the hosted
 * `client-logs` edge function (Deno imports this file), so every path masks the same way.
 * - `scrub`: phone-like digit runs in free text masked.
 * - `maskNames`: the names of people the page has shown (patients, staff), wherever they sit in free text.
 * - `scrubText`, `maskPath`, `sanitizeLogValue`: in ./logTextSanitize (what only the browser logger, loaded after
 *   the first render, and the ingest need — kept out of the module every screen's first load carries).
 */

export const SENSITIVE_KEYS = [
  'phone',
  'phoneNumber',
  'phone_number',
  'to',
  'from',
  'patientName',
  'patient_name',
  'name',
  'fullName',
  'full_name',
  'firstName',
  'lastName',
  'email',
  'password',
  'token',
  'access_token',
  'refresh_token',
  'otp',
  'code',
  // review26 L4: credentials a page may log with a request's headers
  'authorization',
  'apikey',
  'cookie',
  'bearer',
];

/**
 * Masks phone-like digit runs (7+ digits, optionally with + or a full-width ＋, and any of spaces, dots, commas,
 * dashes, slashes or parentheses between them: "+212 6-12-34-56-78", "06.12.34.56.78", "06,12,34,56,78",
 * "+212 (0)6 12 34 56 78") inside free text. Digits are any script's (Unicode Nd): Arabic-Indic "+٢١٢٦٠٠٠٠٠١٠٠"
 * and Eastern Arabic-Indic "۰۶۰۰۰۰۰۱۰۰" are phones too, as are the Arabic comma and dash-like separators.
 * The edge functions' `redactPhones` (supabase/functions/_shared/log.ts) is this function.
 */
const PHONE_RUN = /[+\uFF0B]?\p{Nd}[\p{Nd}\s.,\u060C\u066B\u066C()/\u2010-\u2015\u2212-]{5,}\p{Nd}/gu;
export function scrub(text: string): string {
  return text.replace(PHONE_RUN, (match) => {
    const digits = [...match.replace(/\P{Nd}/gu, '')];
    if (digits.length < 7) return match;
    return `${/^[+\uFF0B]/.test(match) ? '+' : ''}${digits.slice(0, 3).join('')}••••${digits.slice(-2).join('')}`;
  });
}

/** What a masked name becomes in a log line. */
export const NAME_MASK = '[name]';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A masker for the given people's names: every whole-word occurrence (any case; Latin or Arabic script) of a
 * full name, or of one of its words of 3+ letters ("Amina" of "Amina Benali"), becomes "[name]". Longest first,
 * so a full name is one mask. Words are whole: "Ali" does not mask "Alimentation".
 */
export function nameMasker(names: Iterable<string>): (text: string) => string {
  const parts = new Set<string>();
  for (const raw of names) {
    const n = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
    if ([...n].length < 2) continue;
    parts.add(n);
    for (const w of n.split(' ')) if ([...w].length >= 3) parts.add(w);
  }
  if (parts.size === 0) return (t) => t;
  const alts = [...parts].sort((a, b) => b.length - a.length).map((p) => escapeRe(p).replace(/ /g, '\\s+'));
  const re = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{M}\\p{N}])`, 'giu');
  return (text) => text.normalize('NFC').replace(re, NAME_MASK);
}

/** `nameMasker(names)(text)` for one text. */
export const maskNames = (text: string, names: Iterable<string>): string => nameMasker(names)(text);

/** Keys whose string values are people's names (harvested by `collectNames`). */
const NAME_KEYS = new Set(
  [
    'patientName',
    'patient_name',
    'name',
    'fullName',
    'full_name',
    'firstName',
    'lastName',
    'displayName',
    'display_name',
    'practitionerName',
    'practitioner_name',
    'staffName',
    'staff_name',
  ].map((k) => k.toLowerCase()),
);

/** The people's names inside a value (strings under name-like keys, 6 levels deep), added to `out`. */
export function collectNames(value: unknown, out: Set<string>, depth = 0): Set<string> {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    for (const v of value) collectNames(v, out, depth + 1);
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') {
      if (NAME_KEYS.has(k.toLowerCase()) && v.trim() !== '') out.add(v);
    } else collectNames(v, out, depth + 1);
  }
  return out;
}
