/**
 * Keys and tokens: the JWT secret, the anon and service_role API keys (JWTs signed with that secret, as
 * Supabase's are) and verification of bearer tokens. Keys are generated on first start and kept in the
 * data folder so that sessions and the SPA's configuration survive restarts.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';

export interface StackKeys {
  jwtSecret: string;
  anonKey: string;
  serviceKey: string;
}

export type ApiRole = 'anon' | 'authenticated' | 'service_role';
export const API_ROLES: readonly ApiRole[] = ['anon', 'authenticated', 'service_role'];

export type JwtClaims = Record<string, unknown> & { role: ApiRole; sub?: string; exp?: number };

const secretKey = (secret: string): Uint8Array => new TextEncoder().encode(secret);

export async function signJwt(
  secret: string,
  claims: Record<string, unknown>,
  expiresInSeconds: number,
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresInSeconds)
    .sign(secretKey(secret));
}

export async function makeKeys(jwtSecret = randomBytes(32).toString('base64url')): Promise<StackKeys> {
  const tenYears = 10 * 365 * 24 * 3600;
  const anonKey = await signJwt(
    jwtSecret,
    { iss: 'supabase-local', role: 'anon', ref: 'queuemed-local' },
    tenYears,
  );
  const serviceKey = await signJwt(
    jwtSecret,
    { iss: 'supabase-local', role: 'service_role', ref: 'queuemed-local' },
    tenYears,
  );
  return { jwtSecret, anonKey, serviceKey };
}

const KeysFile = z.object({
  jwtSecret: z.string().min(32),
  anonKey: z.string().min(20),
  serviceKey: z.string().min(20),
});

/** Loads `keys.json` from the data folder, creating it (mode 600) on first start. */
export async function loadOrCreateKeys(dataDir: string): Promise<StackKeys> {
  const file = join(dataDir, 'keys.json');
  if (existsSync(file)) return KeysFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  mkdirSync(dataDir, { recursive: true });
  const keys = await makeKeys();
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** A VAPID key pair for web push (issue 20): the P-256 public key (65 bytes) and private key (32), base64url. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const VapidFile = z.object({
  publicKey: z.string().regex(/^B[A-Za-z0-9_-]{86}$/),
  privateKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export function makeVapidKeys(): VapidKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const d = ecdh.getPrivateKey(); // 32 bytes, or fewer when it starts with zeros: left-padded
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: Buffer.concat([Buffer.alloc(32 - d.length), d]).toString('base64url'),
  };
}

/**
 * The stack's VAPID keys: VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY when the operator set them, else a throwaway pair
 * made on first start and kept in the data folder (`vapid.json`, mode 600 — never in the repository), so the
 * browsers subscribed before a restart still accept our pushes.
 */
export function loadOrCreateVapidKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): VapidKeys {
  const fromEnv = VapidFile.safeParse({ publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY });
  if (fromEnv.success) return fromEnv.data;
  const file = join(dataDir, 'vapid.json');
  if (existsSync(file)) {
    const stored = VapidFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (stored.success) return stored.data;
  }
  mkdirSync(dataDir, { recursive: true });
  const keys = makeVapidKeys();
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

export type VerifyResult =
  { ok: true; claims: JwtClaims } | { ok: false; reason: 'expired' | 'invalid'; message: string };

/** Verified tokens, until they expire: every API call presents the same few tokens again and again. */
const verified = new Map<string, { secret: string; claims: JwtClaims; exp: number }>();

/** Verifies an HS256 token signed with the stack's secret and carrying one of the API roles. */
export async function verifyJwt(secret: string, token: string): Promise<VerifyResult> {
  const hit = verified.get(token);
  if (hit && hit.secret === secret) {
    if (hit.exp * 1000 > Date.now()) return { ok: true, claims: hit.claims };
    verified.delete(token);
  }
  const result = await verifyUncached(secret, token);
  if (result.ok && typeof result.claims.exp === 'number') {
    if (verified.size >= 5000) verified.clear();
    verified.set(token, { secret, claims: result.claims, exp: result.claims.exp });
  }
  return result;
}

async function verifyUncached(secret: string, token: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: ['HS256'] });
    const role = payload.role;
    if (typeof role !== 'string' || !API_ROLES.includes(role as ApiRole)) {
      return { ok: false, reason: 'invalid', message: 'JWT role is not allowed' };
    }
    return { ok: true, claims: payload as JwtClaims };
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired', message: 'JWT expired' };
    return { ok: false, reason: 'invalid', message: 'JWSError JWSInvalidSignature' };
  }
}
