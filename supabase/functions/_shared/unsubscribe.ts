/**
 * One-click email unsubscribe (RFC 8058, issue 20). Every patient email carries
 *   List-Unsubscribe: <https://<project>/functions/v1/email-unsubscribe?token=<token>>
 *   List-Unsubscribe-Post: List-Unsubscribe=One-Click
 * The token is signed per patient record: `<patient id>.<base64url HMAC-SHA256(secret, "queuemed-unsubscribe:v1:<id>")>`,
 * so a link cannot be forged for another patient nor altered (the email-unsubscribe function refuses it with
 * EMAIL.UNSUBSCRIBE_INVALID). The secret is UNSUBSCRIBE_SECRET, else the service role key (present in every
 * Supabase function; never leaves the server). Web Crypto only.
 */
import type { Env } from './http.ts';

const enc = new TextEncoder();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const b64url = (buf: ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(buf)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const mac = async (secret: string, patientId: string): Promise<string> => {
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return b64url(await crypto.subtle.sign('HMAC', key, enc.encode(`queuemed-unsubscribe:v1:${patientId}`)));
};

const equalConstantTime = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
};

export interface UnsubscribeConfig {
  secret: string;
  /** The function's absolute URL (…/functions/v1/email-unsubscribe). */
  url: string;
}

/** UNSUBSCRIBE_SECRET (else the service role key) and the function's URL; null without a secret. */
export const unsubscribeFromEnv = (env: Env): UnsubscribeConfig | null => {
  const secret = (env.get('UNSUBSCRIBE_SECRET') || env.get('SUPABASE_SERVICE_ROLE_KEY') || '').trim();
  if (secret === '') return null;
  const base = (env.get('SUPABASE_URL') ?? '').replace(/\/$/, '');
  return { secret, url: `${base}/functions/v1/email-unsubscribe` };
};

export const signUnsubscribe = async (secret: string, patientId: string): Promise<string> =>
  `${patientId}.${await mac(secret, patientId.toLowerCase())}`;

/** The patient id a token was signed for, or null (malformed, forged or altered). */
export const verifyUnsubscribe = async (secret: string, token: string | null): Promise<string | null> => {
  if (!token || token.length > 200) return null;
  const dot = token.indexOf('.');
  const id = token.slice(0, dot).toLowerCase();
  if (dot < 0 || !UUID.test(id)) return null;
  return equalConstantTime(token.slice(dot + 1), await mac(secret, id)) ? id : null;
};

/** The two RFC 8058 headers of a patient's email. */
export const unsubscribeHeaders = async (
  cfg: UnsubscribeConfig,
  patientId: string,
): Promise<Record<string, string>> => ({
  'List-Unsubscribe': `<${cfg.url}?token=${encodeURIComponent(await signUnsubscribe(cfg.secret, patientId))}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});
