/**
 * /auth/v1: the GoTrue endpoints @supabase/auth-js calls — signup, token (password, refresh_token),
 * user (GET/PUT), logout, otp (phone) and verify (sms) — over auth.users / auth.sessions /
 * auth.refresh_tokens in the same database. Sign-ups are confirmed at once (Supabase's local default).
 * Refresh tokens rotate; presenting a revoked one after the reuse interval revokes the whole session.
 */
import { randomBytes, randomInt, randomUUID, createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import bcrypt from 'bcryptjs';
import type { Logger } from 'pino';
import type { Db, DbTx } from '../db/types.js';
import { bearer, invalidApiKey, apiKeyRole } from '../gate.js';
import { HttpError, clientIp, header, readBody, sendJson, send } from '../http.js';
import { type StackKeys, signJwt, verifyJwt } from '../keys.js';
import { RateLimiter, type RateLimit, maskPhone } from '../rateLimit.js';

export interface AuthOptions {
  accessTokenTtlSeconds: number;
  refreshTokenReuseIntervalSeconds: number;
  otpTtlSeconds: number;
  signInLimit: RateLimit;
  otpLimit: RateLimit;
  minPasswordLength: number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  accessTokenTtlSeconds: 3600,
  refreshTokenReuseIntervalSeconds: 10,
  otpTtlSeconds: 300,
  signInLimit: { max: 30, windowMs: 5 * 60_000 },
  otpLimit: { max: 5, windowMs: 15 * 60_000 },
  minPasswordLength: 6,
};

export interface OtpMessage {
  id: string;
  at: string;
  to: string;
  kind: 'otp';
  body: string;
}

export interface AuthContext {
  db: Db;
  keys: StackKeys;
  log: Logger;
  issuer: () => string;
  options: AuthOptions;
  onOtp: (phone: string, code: string) => void | Promise<void>;
}

interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | string | null;
  phone_confirmed_at: Date | string | null;
  last_sign_in_at: Date | string | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date | string | null;
  updated_at: Date | string | null;
  is_anonymous: boolean | null;
}

const USER_COLS = `id::text as id, aud, role, email, phone, encrypted_password, email_confirmed_at, phone_confirmed_at,
  last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, coalesce(is_anonymous, false) as is_anonymous`;

/** GoTrue-style error: HTTP status, `code` (error_code) and message. */
export function authError(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, { code, error_code: code, msg: message, message }, headers);
}

const iso = (v: Date | string | null | undefined): string | null => (v == null ? null : new Date(v).toISOString());
const normPhone = (p: string): string => p.replace(/\D/g, '');
const normEmail = (e: string): string => e.trim().toLowerCase();

export function userJson(u: UserRow): Record<string, unknown> {
  const confirmed = u.email_confirmed_at ?? u.phone_confirmed_at;
  return {
    id: u.id,
    aud: u.aud ?? 'authenticated',
    role: u.role ?? 'authenticated',
    email: u.email ?? '',
    phone: u.phone ?? '',
    email_confirmed_at: iso(u.email_confirmed_at) ?? undefined,
    phone_confirmed_at: iso(u.phone_confirmed_at) ?? undefined,
    confirmed_at: iso(confirmed) ?? undefined,
    last_sign_in_at: iso(u.last_sign_in_at) ?? undefined,
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    identities: [],
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    is_anonymous: u.is_anonymous ?? false,
  };
}

const hashToken = (t: string): string => createHash('sha256').update(t).digest('hex');

export class GoTrue {
  private signIn: RateLimiter;
  private otpLimiter: RateLimiter;
  /** Pending phone codes: phone digits → sha256(code), expiry and attempts left. */
  private otps = new Map<string, { hash: string; expiresAt: number; attempts: number }>();

  constructor(private readonly ctx: AuthContext) {
    this.signIn = new RateLimiter(ctx.options.signInLimit);
    this.otpLimiter = new RateLimiter(ctx.options.otpLimit);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const headers = { 'x-supabase-api-version': '2024-01-01' };
    try {
      if (!apiKeyRole(this.ctx.keys, header(req, 'apikey') ?? url.searchParams.get('apikey') ?? undefined)) throw invalidApiKey();
      const method = req.method ?? 'GET';
      const route = `${method} ${path}`;
      let out: { status: number; body: unknown };
      switch (route) {
        case 'POST /signup':
          out = await this.signup(await this.body(req));
          break;
        case 'POST /token':
          out = await this.token(req, url, await this.body(req));
          break;
        case 'GET /user':
          out = { status: 200, body: userJson((await this.requireSession(req)).user) };
          break;
        case 'PUT /user':
          out = await this.updateUser(req, await this.body(req));
          break;
        case 'POST /logout':
          out = await this.logout(req, url);
          break;
        case 'POST /otp':
          out = await this.otp(req, await this.body(req));
          break;
        case 'POST /verify':
          out = await this.verify(req, await this.body(req));
          break;
        case 'GET /health':
          out = { status: 200, body: { version: 'queuemed-local', name: 'GoTrue', description: 'QueueMed local auth' } };
          break;
        case 'GET /settings':
          out = {
            status: 200,
            body: { external: { email: true, phone: true }, disable_signup: false, mailer_autoconfirm: true, phone_autoconfirm: true, sms_provider: 'queuemed' },
          };
          break;
        default: {
          const admin = /^\/admin\/users(?:\/([0-9a-fA-F-]{36}))?$/.exec(path);
          if (!admin) throw authError(404, 'not_found', 'Not found');
          out = await this.admin(req, url, method, admin[1]);
        }
      }
      if (out.status === 204) send(res, 204, null, headers);
      else sendJson(res, out.status, out.body, headers);
    } catch (e) {
      if (e instanceof HttpError) {
        sendJson(res, e.status, e.body, { ...headers, ...e.headers });
      } else {
        this.ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, 'auth error');
        sendJson(res, 500, { code: 'unexpected_failure', error_code: 'unexpected_failure', msg: 'Unexpected failure', message: 'Unexpected failure' }, headers);
      }
    }
  }

  private async body(req: IncomingMessage): Promise<Record<string, unknown>> {
    const raw = await readBody(req).catch((e: unknown) => {
      if (e instanceof HttpError && e.status === 413) throw authError(413, 'request_too_large', 'Request body too large');
      throw e;
    });
    if (raw.length === 0) return {};
    try {
      const v = JSON.parse(raw.toString('utf8')) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      return v as Record<string, unknown>;
    } catch {
      throw authError(400, 'bad_json', 'Could not parse request body as JSON');
    }
  }

  // ---- sessions -------------------------------------------------------------------------------

  private async issueSession(tx: DbTx, user: UserRow, method: string, sessionId?: string): Promise<Record<string, unknown>> {
    const sid = sessionId ?? randomUUID();
    if (!sessionId) {
      await tx.query(`insert into auth.sessions (id, user_id, created_at, updated_at) values ($1, $2, now(), now())`, [sid, user.id]);
    }
    const refresh = randomBytes(24).toString('base64url');
    await tx.query(
      `insert into auth.refresh_tokens (token, user_id, session_id, revoked, created_at, updated_at) values ($1, $2, $3, false, now(), now())`,
      [refresh, user.id, sid],
    );
    return this.sessionJson(user, sid, refresh, method);
  }

  private async sessionJson(user: UserRow, sid: string, refresh: string, method: string): Promise<Record<string, unknown>> {
    const ttl = this.ctx.options.accessTokenTtlSeconds;
    const now = Math.floor(Date.now() / 1000);
    const u = userJson(user);
    const accessToken = await signJwt(
      this.ctx.keys.jwtSecret,
      {
        iss: this.ctx.issuer(),
        sub: user.id,
        aud: 'authenticated',
        email: user.email ?? '',
        phone: user.phone ?? '',
        app_metadata: u.app_metadata,
        user_metadata: u.user_metadata,
        role: user.role ?? 'authenticated',
        aal: 'aal1',
        amr: [{ method, timestamp: now }],
        session_id: sid,
        is_anonymous: user.is_anonymous ?? false,
      },
      ttl,
    );
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: ttl,
      expires_at: now + ttl,
      refresh_token: refresh,
      user: u,
    };
  }

  private async userBy(tx: DbTx, where: string, value: string): Promise<UserRow | null> {
    const { rows } = await tx.query<UserRow>(`select ${USER_COLS} from auth.users where ${where} limit 1`, [value]);
    return rows[0] ?? null;
  }

  private async requireSession(req: IncomingMessage): Promise<{ user: UserRow; sessionId: string; claims: Record<string, unknown> }> {
    const token = bearer(req);
    if (!token) throw authError(401, 'no_authorization', 'This endpoint requires a Bearer token');
    const v = await verifyJwt(this.ctx.keys.jwtSecret, token);
    if (!v.ok) throw authError(401, 'bad_jwt', v.reason === 'expired' ? 'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired' : 'invalid JWT: unable to parse or verify signature');
    const sub = v.claims.sub;
    const sid = v.claims.session_id;
    if (typeof sub !== 'string' || typeof sid !== 'string') throw authError(403, 'bad_jwt', 'invalid claim: missing sub claim');
    return this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query(`select 1 from auth.sessions where id = $1 and user_id = $2`, [sid, sub]);
      if (rows.length === 0) throw authError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
      const user = await this.userBy(tx, 'id = $1::uuid', sub);
      if (!user) throw authError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
      return { user, sessionId: sid, claims: v.claims };
    });
  }

  private limit(limiter: RateLimiter, req: IncomingMessage, identifier: string, code: string): void {
    const key = `${clientIp(req)}|${identifier}`;
    if (!limiter.take(key)) {
      throw authError(429, code, 'Request rate limit reached', { 'retry-after': String(limiter.retryAfterSeconds(key)) });
    }
  }

  // ---- endpoints ------------------------------------------------------------------------------

  private async signup(b: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const email = typeof b.email === 'string' && b.email.trim() !== '' ? normEmail(b.email) : null;
    const phone = typeof b.phone === 'string' && b.phone.trim() !== '' ? normPhone(b.phone) : null;
    const password = typeof b.password === 'string' ? b.password : '';
    if (!email && !phone) throw authError(400, 'validation_failed', 'To signup, please provide your email or phone');
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw authError(400, 'email_address_invalid', 'Unable to validate email address: invalid format');
    if (phone && !/^\d{8,15}$/.test(phone)) throw authError(400, 'validation_failed', 'Invalid phone number format (E.164 required)');
    if (password.length < this.ctx.options.minPasswordLength) {
      throw new HttpError(422, {
        code: 'weak_password',
        error_code: 'weak_password',
        msg: `Password should be at least ${this.ctx.options.minPasswordLength} characters.`,
        message: `Password should be at least ${this.ctx.options.minPasswordLength} characters.`,
        weak_password: { reasons: ['length'] },
      });
    }
    const data = typeof b.data === 'object' && b.data !== null && !Array.isArray(b.data) ? b.data : {};
    const hash = await bcrypt.hash(password, 10);
    const provider = email ? 'email' : 'phone';
    return this.ctx.db.transaction(async (tx) => {
      const exists = email ? await this.userBy(tx, 'lower(email) = $1', email) : await this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone ?? '');
      if (exists) throw authError(422, email ? 'user_already_exists' : 'phone_exists', 'User already registered');
      const id = randomUUID();
      const { rows } = await tx.query<UserRow>(
        `insert into auth.users (id, aud, role, email, phone, encrypted_password, email_confirmed_at, phone_confirmed_at,
                                 raw_app_meta_data, raw_user_meta_data, created_at, updated_at, last_sign_in_at)
         values ($1::uuid, 'authenticated', 'authenticated', $2::text, $3::text, $4::text, case when $2::text is null then null else now() end,
                 case when $3::text is null then null else now() end, $5::jsonb, $6::jsonb, now(), now(), now())
         returning ${USER_COLS}`,
        [id, email, phone, hash, JSON.stringify({ provider, providers: [provider] }), JSON.stringify(data)],
      );
      const user = rows[0] as UserRow;
      return { status: 200, body: await this.issueSession(tx, user, 'password') };
    });
  }

  private async token(req: IncomingMessage, url: URL, b: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const grant = url.searchParams.get('grant_type');
    if (grant === 'password') return this.passwordGrant(req, b);
    if (grant === 'refresh_token') return this.refreshGrant(b);
    throw authError(400, 'unsupported_grant_type', 'unsupported_grant_type');
  }

  private async passwordGrant(req: IncomingMessage, b: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const email = typeof b.email === 'string' && b.email.trim() !== '' ? normEmail(b.email) : null;
    const phone = typeof b.phone === 'string' && b.phone.trim() !== '' ? normPhone(b.phone) : null;
    const password = typeof b.password === 'string' ? b.password : '';
    if (!email && !phone) throw authError(400, 'validation_failed', 'missing email or phone');
    // Failed attempts count against IP + identifier; once over the limit even a right password waits.
    const key = `${clientIp(req)}|${email ?? phone ?? ''}`;
    if (this.signIn.blocked(key)) {
      throw authError(429, 'over_request_rate_limit', 'Request rate limit reached', { 'retry-after': String(this.signIn.retryAfterSeconds(key)) });
    }
    const user = await this.ctx.db.transaction((tx) =>
      email ? this.userBy(tx, 'lower(email) = $1', email) : this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone ?? ''),
    );
    const ok = user?.encrypted_password ? await bcrypt.compare(password, user.encrypted_password) : false;
    if (!user || !ok) {
      this.signIn.take(key);
      throw authError(400, 'invalid_credentials', 'Invalid login credentials');
    }
    return this.ctx.db.transaction(async (tx) => {
      await tx.query(`update auth.users set last_sign_in_at = now() where id = $1::uuid`, [user.id]);
      return { status: 200, body: await this.issueSession(tx, user, 'password') };
    });
  }

  private async refreshGrant(b: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const token = typeof b.refresh_token === 'string' ? b.refresh_token : '';
    if (!token) throw authError(400, 'validation_failed', 'Refresh Token is missing');
    const result = await this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; user_id: string; session_id: string | null; revoked: boolean; updated_at: Date | string }>(
        `select id::text as id, user_id::text as user_id, session_id::text as session_id, revoked, updated_at
           from auth.refresh_tokens where token = $1 for update`,
        [token],
      );
      const row = rows[0];
      if (!row || !row.session_id) return { error: authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found') };
      const session = await tx.query(`select 1 from auth.sessions where id = $1`, [row.session_id]);
      if (session.rows.length === 0) return { error: authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found') };
      const user = await this.userBy(tx, 'id = $1::uuid', row.user_id);
      if (!user) return { error: authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found') };
      if (row.revoked) {
        const revokedAgo = (Date.now() - new Date(row.updated_at).getTime()) / 1000;
        const child = await tx.query<{ token: string }>(
          `select token from auth.refresh_tokens where parent = $1 and revoked = false order by id desc limit 1`,
          [token],
        );
        const active = child.rows[0];
        if (revokedAgo <= this.ctx.options.refreshTokenReuseIntervalSeconds && active) {
          // Concurrent refreshes (two tabs): hand out the token that replaced this one, as GoTrue does.
          return { body: await this.sessionJson(user, row.session_id, active.token, 'token_refresh') };
        }
        // Reuse of a revoked token: the family is compromised; end the session.
        await tx.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1`, [row.session_id]);
        await tx.query(`delete from auth.sessions where id = $1`, [row.session_id]);
        this.ctx.log.warn({ session: row.session_id }, 'refresh token reused; session revoked');
        return { error: authError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used') };
      }
      await tx.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1::bigint`, [row.id]);
      const next = randomBytes(24).toString('base64url');
      await tx.query(
        `insert into auth.refresh_tokens (token, user_id, session_id, parent, revoked, created_at, updated_at)
         values ($1, $2, $3, $4, false, now(), now())`,
        [next, row.user_id, row.session_id, token],
      );
      await tx.query(`update auth.sessions set updated_at = now() where id = $1`, [row.session_id]);
      return { body: await this.sessionJson(user, row.session_id, next, 'token_refresh') };
    });
    if ('error' in result && result.error) throw result.error;
    return { status: 200, body: (result as { body: unknown }).body };
  }

  private async updateUser(req: IncomingMessage, b: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const { user } = await this.requireSession(req);
    const sets: string[] = [];
    const params: unknown[] = [user.id];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      sets.push(sql.replace('?', `$${params.length}`));
    };
    if (typeof b.password === 'string') {
      if (b.password.length < this.ctx.options.minPasswordLength) throw authError(422, 'weak_password', `Password should be at least ${this.ctx.options.minPasswordLength} characters.`);
      add('encrypted_password = ?', await bcrypt.hash(b.password, 10));
    }
    if (typeof b.email === 'string') add('email = ?, email_confirmed_at = now()', normEmail(b.email));
    if (typeof b.phone === 'string') add('phone = ?, phone_confirmed_at = now()', normPhone(b.phone));
    if (typeof b.data === 'object' && b.data !== null && !Array.isArray(b.data)) {
      add(`raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || ?::jsonb`, JSON.stringify(b.data));
    }
    const updated = await this.ctx.db.transaction(async (tx) => {
      if (sets.length === 0) return user;
      const { rows } = await tx.query<UserRow>(
        `update auth.users set ${sets.join(', ')}, updated_at = now() where id = $1::uuid returning ${USER_COLS}`,
        params,
      );
      return rows[0] as UserRow;
    });
    return { status: 200, body: userJson(updated) };
  }

  private async logout(req: IncomingMessage, url: URL): Promise<{ status: number; body: unknown }> {
    const { user, sessionId } = await this.requireSession(req);
    const scope = url.searchParams.get('scope') ?? 'global';
    await this.ctx.db.transaction(async (tx) => {
      const where = scope === 'local' ? 'id = $2' : scope === 'others' ? 'id <> $2' : 'true';
      const { rows } = await tx.query<{ id: string }>(`delete from auth.sessions where user_id = $1::uuid and ${where} returning id::text as id`, [user.id, sessionId]);
      for (const r of rows) await tx.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1`, [r.id]);
    });
    return { status: 204, body: null };
  }

  private async otp(req: IncomingMessage, b: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    if (typeof b.phone !== 'string' || b.phone.trim() === '') {
      throw authError(400, 'validation_failed', 'The local stack sends one-time codes to phone numbers only');
    }
    const phone = normPhone(b.phone);
    if (!/^\d{8,15}$/.test(phone)) throw authError(400, 'validation_failed', 'Invalid phone number format (E.164 required)');
    this.limit(this.otpLimiter, req, phone, 'over_sms_send_rate_limit');
    const createUser = b.create_user !== false;
    if (!createUser) {
      const user = await this.ctx.db.transaction((tx) => this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone));
      if (!user) throw authError(422, 'otp_disabled', 'Signups not allowed for otp');
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.otps.set(phone, { hash: hashToken(code), expiresAt: Date.now() + this.ctx.options.otpTtlSeconds * 1000, attempts: 5 });
    this.pendingData.set(phone, typeof b.data === 'object' && b.data !== null ? (b.data as Record<string, unknown>) : {});
    await this.ctx.onOtp(`+${phone}`, code);
    return { status: 200, body: { message_id: randomUUID() } };
  }

  private pendingData = new Map<string, Record<string, unknown>>();

  /** The admin API (service role only): create, get, list, update and delete users, as auth.admin.* call it. */
  private async admin(req: IncomingMessage, url: URL, method: string, id: string | undefined): Promise<{ status: number; body: unknown }> {
    const token = bearer(req);
    const v = token ? await verifyJwt(this.ctx.keys.jwtSecret, token) : null;
    if (!v || !v.ok || v.claims.role !== 'service_role') throw authError(403, 'not_admin', 'User not allowed');
    if (method === 'POST' && !id) {
      const b = await this.body(req);
      const email = typeof b.email === 'string' && b.email.trim() !== '' ? normEmail(b.email) : null;
      const phone = typeof b.phone === 'string' && b.phone.trim() !== '' ? normPhone(b.phone) : null;
      if (!email && !phone) throw authError(400, 'validation_failed', 'email or phone is required');
      const password = typeof b.password === 'string' ? b.password : null;
      const hash = password ? await bcrypt.hash(password, 10) : null;
      const meta = (k: string): string => JSON.stringify(typeof b[k] === 'object' && b[k] !== null ? b[k] : {});
      const provider = email ? 'email' : 'phone';
      return this.ctx.db.transaction(async (tx) => {
        const exists = email ? await this.userBy(tx, 'lower(email) = $1', email) : await this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone ?? '');
        if (exists) throw authError(422, email ? 'email_exists' : 'phone_exists', 'A user with this email address has already been registered');
        const appMeta = { provider, providers: [provider], ...(JSON.parse(meta('app_metadata')) as Record<string, unknown>) };
        const { rows } = await tx.query<UserRow>(
          `insert into auth.users (id, aud, role, email, phone, encrypted_password, email_confirmed_at, phone_confirmed_at,
                                   raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           values ($1::uuid, 'authenticated', 'authenticated', $2::text, $3::text, $4::text,
                   case when $2::text is not null and $5::boolean then now() end,
                   case when $3::text is not null and $6::boolean then now() end, $7::jsonb, $8::jsonb, now(), now())
           returning ${USER_COLS}`,
          [typeof b.id === 'string' ? b.id : randomUUID(), email, phone, hash, b.email_confirm === true, b.phone_confirm === true, JSON.stringify(appMeta), meta('user_metadata')],
        );
        return { status: 200, body: userJson(rows[0] as UserRow) };
      });
    }
    if (method === 'GET' && !id) {
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const perPage = Math.min(1000, Math.max(1, Number(url.searchParams.get('per_page') ?? 50) || 50));
      const { rows } = await this.ctx.db.query<UserRow>(`select ${USER_COLS} from auth.users order by created_at, id limit $1 offset $2`, [perPage, (page - 1) * perPage]);
      return { status: 200, body: { users: rows.map(userJson), aud: 'authenticated' } };
    }
    if (!id) throw authError(405, 'method_not_allowed', 'Method not allowed');
    if (method === 'GET') {
      const u = await this.ctx.db.transaction((tx) => this.userBy(tx, 'id = $1::uuid', id));
      if (!u) throw authError(404, 'user_not_found', 'User not found');
      return { status: 200, body: userJson(u) };
    }
    if (method === 'DELETE') {
      const { rows } = await this.ctx.db.query<UserRow>(`delete from auth.users where id = $1::uuid returning ${USER_COLS}`, [id]);
      if (!rows[0]) throw authError(404, 'user_not_found', 'User not found');
      return { status: 200, body: userJson(rows[0]) };
    }
    if (method === 'PUT') {
      const b = await this.body(req);
      const sets: string[] = [];
      const params: unknown[] = [id];
      const add = (sql: string, val: unknown) => {
        params.push(val);
        sets.push(sql.replace('?', `$${params.length}`));
      };
      if (typeof b.password === 'string') add('encrypted_password = ?', await bcrypt.hash(b.password, 10));
      if (typeof b.email === 'string') add('email = ?', normEmail(b.email));
      if (typeof b.phone === 'string') add('phone = ?', normPhone(b.phone));
      if (b.email_confirm === true) sets.push('email_confirmed_at = coalesce(email_confirmed_at, now())');
      if (b.phone_confirm === true) sets.push('phone_confirmed_at = coalesce(phone_confirmed_at, now())');
      if (typeof b.user_metadata === 'object' && b.user_metadata !== null) add(`raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || ?::jsonb`, JSON.stringify(b.user_metadata));
      if (typeof b.app_metadata === 'object' && b.app_metadata !== null) add(`raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb) || ?::jsonb`, JSON.stringify(b.app_metadata));
      const { rows } = await this.ctx.db.query<UserRow>(
        `update auth.users set ${[...sets, 'updated_at = now()'].join(', ')} where id = $1::uuid returning ${USER_COLS}`,
        params,
      );
      if (!rows[0]) throw authError(404, 'user_not_found', 'User not found');
      return { status: 200, body: userJson(rows[0]) };
    }
    throw authError(405, 'method_not_allowed', 'Method not allowed');
  }

  private async verify(req: IncomingMessage, b: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const type = b.type;
    if (type !== 'sms' && type !== 'phone_change') throw authError(400, 'validation_failed', 'The local stack verifies sms codes only');
    const phone = typeof b.phone === 'string' ? normPhone(b.phone) : '';
    const token = typeof b.token === 'string' ? b.token.trim() : '';
    this.limit(this.signIn, req, `verify|${phone}`, 'over_request_rate_limit');
    const pending = this.otps.get(phone);
    const expected = pending ? Buffer.from(pending.hash) : null;
    const given = Buffer.from(hashToken(token));
    const valid = !!pending && pending.expiresAt > Date.now() && pending.attempts > 0 && !!expected && timingSafeEqual(expected, given);
    if (!valid) {
      if (pending) pending.attempts -= 1;
      throw authError(403, 'otp_expired', 'Token has expired or is invalid');
    }
    this.otps.delete(phone);
    const data = this.pendingData.get(phone) ?? {};
    this.pendingData.delete(phone);
    return this.ctx.db.transaction(async (tx) => {
      let user = await this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone);
      if (!user) {
        const { rows } = await tx.query<UserRow>(
          `insert into auth.users (id, aud, role, phone, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, last_sign_in_at)
           values ($1, 'authenticated', 'authenticated', $2, now(), $3::jsonb, $4::jsonb, now(), now(), now())
           returning ${USER_COLS}`,
          [randomUUID(), phone, JSON.stringify({ provider: 'phone', providers: ['phone'] }), JSON.stringify(data)],
        );
        user = rows[0] as UserRow;
      } else {
        const { rows } = await tx.query<UserRow>(
          `update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now()), last_sign_in_at = now() where id = $1::uuid returning ${USER_COLS}`,
          [user.id],
        );
        user = rows[0] as UserRow;
      }
      return { status: 200, body: await this.issueSession(tx, user, 'otp') };
    });
  }
}

export { maskPhone };
