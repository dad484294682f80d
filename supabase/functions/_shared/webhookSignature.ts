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

/** Loopback, private, link-local, CGNAT, multicast or unspecified: never a webhook target in production. */
export const isPrivateAddress = (ip: string): boolean => {
  const a = ip.toLowerCase().replace(/^\[|\]$/g, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) {
    const [o1, o2] = [Number(v4[1]), Number(v4[2])];
    return (
      o1 === 0 ||
      o1 === 10 ||
      o1 === 127 ||
      (o1 === 100 && o2 >= 64 && o2 <= 127) ||
      (o1 === 169 && o2 === 254) ||
      (o1 === 172 && o2 >= 16 && o2 <= 31) ||
      (o1 === 192 && o2 === 168) ||
      (o1 === 198 && (o2 === 18 || o2 === 19)) ||
      o1 >= 224
    );
  }
  if (a.includes(':')) {
    if (a === '::' || a === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    if (mapped) return isPrivateAddress(mapped[1]!);
    return /^(fc|fd|fe[89ab]|ff)/.test(a);
  }
  return false;
};
