/**
 * Credentials of REST /v1: a clinic API key (`qmk_` + 64 hex, sent as `Authorization: Bearer qmk_…` or
 * `X-API-Key`) or a user's JWT. A key is looked up by its SHA-256 (the database stores nothing else); the
 * gateway then acts as the key's own server identity with a short-lived JWT it signs (HS256, the
 * project's JWT secret in API_JWT_SECRET), so PostgREST applies the same RLS as for staff of that clinic.
 */

const enc = new TextEncoder();

const hex = (buf: ArrayBuffer): string =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

const b64url = (bytes: Uint8Array | string): string => {
  const bin = typeof bytes === 'string' ? bytes : String.fromCharCode(...bytes);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

export const API_KEY_PATTERN = /^qmk_[0-9a-f]{64}$/;

export const sha256Hex = async (text: string): Promise<string> =>
  hex(await crypto.subtle.digest('SHA-256', enc.encode(text)));

export type Presented =
  | { readonly kind: 'none' }
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'jwt'; readonly token: string }
  | { readonly kind: 'malformed' };

/** What the request presents. A `qmk_`-looking value that is not a well-formed key is malformed. */
export const presented = (headers: Headers): Presented => {
  const x = headers.get('x-api-key')?.trim();
  const auth = headers.get('authorization')?.trim() ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const value = x || bearer;
  if (!value) return auth === '' ? { kind: 'none' } : { kind: 'malformed' };
  if (value.startsWith('qmk_'))
    return API_KEY_PATTERN.test(value) ? { kind: 'key', key: value } : { kind: 'malformed' };
  if (x) return { kind: 'malformed' };
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value) ? { kind: 'jwt', token: value } : { kind: 'malformed' };
};

// the claims of a JWT, NOT verified (moved to _shared: send-sms keys its held callers by them too)
export { unverifiedClaims } from '../_shared/http.ts';

/** HS256 JWT with `claims`, valid `ttlSeconds` from `nowSeconds`. */
export const signJwt = async (
  secret: string,
  claims: Record<string, unknown>,
  nowSeconds: number,
  ttlSeconds: number,
): Promise<string> => {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(
    unescape(
      encodeURIComponent(JSON.stringify({ ...claims, iat: nowSeconds, exp: nowSeconds + ttlSeconds })),
    ),
  );
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`${header}.${payload}`)));
  return `${header}.${payload}.${b64url(sig)}`;
};

/** The identity a key acts as: its own auth user, an `authenticated` member of the key's clinic only. */
export const keyIdentityClaims = (k: { userId: string; keyId: string; clinicId: string }) => ({
  sub: k.userId,
  role: 'authenticated',
  aud: 'authenticated',
  iss: 'queuemed-api',
  app_metadata: { provider: 'api_key', api_key_id: k.keyId, clinic_id: k.clinicId },
});

/**
 * Whether a key's scopes allow a route: `read` routes are open to every key of the clinic, `queue` and
 * `bookings` routes need that scope, `admin` allows everything.
 */
export const scopeAllows = (scopes: readonly string[], needed: string | null): boolean =>
  needed === null ||
  (needed === 'read' && scopes.length > 0) ||
  scopes.includes('admin') ||
  scopes.includes(needed);
