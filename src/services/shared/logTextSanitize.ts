/**
 * Free text and values from outside made safe to log (review26 L4): the browser logger (loaded after the first
 * render) and the ingest (the local stack's POST /client-logs and the `client-logs` edge function) use it. Apart
 * from ./logSanitize, which every screen's first load carries for the log masker's names: what is here is loaded
 * only with the logger (the dashboard's first-render budget, issue 14).
 * - `scrubText`: free text (a browser's message, path or context string): format characters dropped, credentials,
 *   token-like path segments, e-mail addresses and phone-like runs masked.
 * - `maskPath`: a page's path without tokens.
 * - `sanitizeLogValue`: a value from outside: sensitive keys redacted, strings scrubbed, sizes capped.
 */
import { SENSITIVE_KEYS, scrub } from './logSanitize';

const SENSITIVE = new Set(SENSITIVE_KEYS.map((k) => k.toLowerCase()));

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
