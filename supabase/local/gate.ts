/**
 * The API gateway's checks, as Supabase's gateway and PostgREST apply them: the `apikey` must be the
 * project's anon or service key (401 otherwise); `Authorization: Bearer <jwt>` must verify (401 with
 * PGRST301 / PGRST303 otherwise); without one, the request runs as the apikey's role.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, header, pgrstError } from './http.js';
import { type JwtClaims, type StackKeys, verifyJwt } from './keys.js';

export interface RequestAuth {
  role: JwtClaims['role'];
  claims: JwtClaims;
  token: string | null;
}

export const invalidApiKey = (): HttpError =>
  new HttpError(401, {
    message: 'Invalid API key',
    hint: 'Double check your Supabase `anon` or `service_role` API key.',
  });

export function apiKeyRole(keys: StackKeys, apikey: string | undefined): 'anon' | 'service_role' | null {
  if (apikey === keys.anonKey) return 'anon';
  if (apikey === keys.serviceKey) return 'service_role';
  return null;
}

export function bearer(req: IncomingMessage): string | null {
  const h = header(req, 'authorization');
  if (!h) return null;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m?.[1] ?? null;
}

export function requireApiKey(req: IncomingMessage, keys: StackKeys, url: URL): 'anon' | 'service_role' {
  const role = apiKeyRole(keys, header(req, 'apikey') ?? url.searchParams.get('apikey') ?? undefined);
  if (!role) throw invalidApiKey();
  return role;
}

/** Verifies a token for the REST/functions paths, throwing PostgREST's 401 errors. */
export async function authFromToken(keys: StackKeys, token: string): Promise<RequestAuth> {
  const v = await verifyJwt(keys.jwtSecret, token);
  if (!v.ok) {
    const code = v.reason === 'expired' ? 'PGRST303' : 'PGRST301';
    throw new HttpError(
      401,
      { code, details: null, hint: null, message: v.message },
      { 'www-authenticate': `Bearer error="invalid_token", error_description="${v.message}"` },
    );
  }
  return { role: v.claims.role, claims: v.claims, token };
}

export async function authenticate(req: IncomingMessage, keys: StackKeys, url: URL): Promise<RequestAuth> {
  const keyRole = requireApiKey(req, keys, url);
  const token = bearer(req);
  if (token) return authFromToken(keys, token);
  return { role: keyRole, claims: { role: keyRole }, token: null };
}

export { pgrstError };
