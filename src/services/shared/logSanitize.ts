/**
 * What may go into a log line, with no I/O and no logger: shared by the app's pino logger (./Logger), the
 * browser's logger (composition/browserLogger), the local stack's POST /client-logs and the hosted
 * `client-logs` edge function (Deno imports this file), so every path masks the same way.
 * - `scrub`: phone-like digit runs in free text masked.
 * - `maskNames`: the names of people the page has shown (patients, staff), wherever they sit in free text.
 * - `scrubText`: free text from outside (a browser's message, path or context string) made safe: format
 *   characters dropped, credentials, token-like path segments, e-mail addresses and phone-like runs masked.
 * - `sanitizeLogValue`: a value from outside made safe: sensitive keys redacted, strings scrubbed, sizes capped.
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

/**
 * A path without what identifies a visit or a person: long token-like segments (16+ of [A-Za-z0-9_-] with a
 * digit: tracking and invitation tokens, ids) become ":token"; a function's name (`/rest/v1/rpc/get_queue_view`)
 * stays.
 */
export const maskPath = (path: string): string =>
  scrubText(
    path
      .replace(FORMAT_CHARS, '')
      .split('?')[0]!
      .split('/')
      .map((s) => (/^[A-Za-z0-9_-]{16,}$/.test(s) && /\d/.test(s) ? ':token' : s))
      .join('/'),
  ).slice(0, 200);

/**
 * Unicode format characters (category Cf: zero-width space/joiners, word joiner, soft hyphen, bidi marks and
 * overrides): invisible, so they hide a phone ("0661\u200b234567") from the digit-run mask and reorder what a
 * reader sees in a log. Dropped from free text before anything else is judged.
 */
const FORMAT_CHARS = /\p{Cf}/gu;
/** `Bearer <credential>` (an Authorization header's value logged as text). */
const BEARER = /\bBearer\s+\S+/giu;
/** A JWT (three base64url parts, the first `eyJ`…): an access token wherever it sits. */
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/gu;
/**
 * A token-like run — 16+ of [A-Za-z0-9_-] with a digit, the rule of `maskPath` — after a '/' or an '=' (a path
 * segment or a query value: "/t/<token>", "https://q.ma/t/<token>", "?p_tracking_token=<token>"), or standing
 * alone at 40+ characters (a tracking token or a key pasted as text). A uuid standing alone (36 with dashes, hex
 * parts ≤ 12) is kept: it names a clinic or a visit, not a capability.
 */
const TOKEN_AFTER = /(?<=[/=])[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/gu;
const TOKEN_ALONE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_]{40,}(?![A-Za-z0-9_-])/gu;
const tokenMask = (m: string): string => (/\d/.test(m) ? ':token' : m);
/** An e-mail address (any script's letters in its local part and domain). */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** What a masked e-mail address becomes in a log line. */
export const EMAIL_MASK = '[email]';

/**
 * Free text from outside made safe to log (review26 L4): format characters dropped, `Bearer …` and JWTs
 * redacted, token-like path segments and query values ":token" (as `maskPath` does to a page), e-mail
 * addresses "[email]", then phone-like runs masked (`scrub`). Ordinary text — Arabic, French place names,
 * "room 12", a uuid — is left as it is.
 */
export function scrubText(text: string): string {
  return scrub(
    text
      .replace(FORMAT_CHARS, '')
      .replace(BEARER, 'Bearer [redacted]')
      .replace(JWT, '[jwt]')
      .replace(TOKEN_AFTER, tokenMask)
      .replace(TOKEN_ALONE, tokenMask)
      .replace(EMAIL, EMAIL_MASK),
  );
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

const SENSITIVE = new Set(SENSITIVE_KEYS.map((k) => k.toLowerCase()));
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

/**
 * A value from outside (the browser's log entries) made safe to log: sensitive keys (phone, name, token …, any
 * case) replaced by "[redacted]", every string through `scrubText` (and names masked, with `mask`),
 * strings cut at 1000 characters, at most 20 keys or items per level and 4 levels deep.
 */
export function sanitizeLogValue(value: unknown, depth = 0, mask: (t: string) => string = (t) => t): unknown {
  if (typeof value === 'string')
    return mask(scrubText(value.length > 1000 ? `${value.slice(0, 1000)}…` : value));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value !== 'object') return undefined;
  if (depth >= 4) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => sanitizeLogValue(v, depth + 1, mask));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 20)) {
    const key = mask(scrubText(k.slice(0, 60)));
    out[key] = SENSITIVE.has(k.toLowerCase()) ? '[redacted]' : sanitizeLogValue(v, depth + 1, mask);
  }
  return out;
}
