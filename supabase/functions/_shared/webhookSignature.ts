/**
 * Webhook signatures (issue 18), Stripe's scheme: the header
 *   QueueMed-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${body}`)>
 * signs the exact body bytes with the endpoint's secret (`whsec_…`). A receiver recomputes the HMAC over the
 * raw body, compares in constant time, and refuses a timestamp outside its tolerance (replay window, 5 min).
 * Web Crypto only, so the same code runs in Deno, Node ≥ 20 and browsers (docs/api.md shows it).
 */
export const SIGNATURE_HEADER = 'QueueMed-Signature';
export const DEFAULT_TOLERANCE_S = 300;

const enc = new TextEncoder();

const hex = (buf: ArrayBuffer): string =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

const hmacHex = async (secret: string, message: string): Promise<string> => {
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return hex(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
};

/** The header value for `body` sent at `timestamp` (unix seconds). */
export const signWebhook = async (secret: string, timestamp: number, body: string): Promise<string> =>
  `t=${timestamp},v1=${await hmacHex(secret, `${timestamp}.${body}`)}`;

const equalConstantTime = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
};

export type VerifyResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'outside_tolerance' };

/** Checks a received header against the raw body; `nowS` is the receiver's clock in unix seconds. */
export const verifyWebhook = async (
  secret: string,
  header: string | null,
  body: string,
  nowS: number,
  toleranceS: number = DEFAULT_TOLERANCE_S,
): Promise<VerifyResult> => {
  if (!header) return { ok: false, reason: 'malformed' };
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const t = parts.find(([k]) => k === 't')?.[1];
  const sigs = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v as string);
  if (!t || !/^\d{1,12}$/.test(t) || sigs.length === 0) return { ok: false, reason: 'malformed' };
  const expected = await hmacHex(secret, `${t}.${body}`);
  if (!sigs.some((s) => equalConstantTime(s, expected))) return { ok: false, reason: 'bad_signature' };
  const ts = Number(t);
  if (Math.abs(nowS - ts) > toleranceS) return { ok: false, reason: 'outside_tolerance' };
  return { ok: true, timestamp: ts };
};
