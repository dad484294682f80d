/**
 * /auth/v1: the GoTrue endpoints @supabase/auth-js calls — signup, token (password, refresh_token),
 * user (GET/PUT), logout, otp (phone) and verify (sms) — over auth.users / auth.sessions /
 * auth.refresh_tokens in the same database. Email sign-ups are confirmed at once (config.toml:
 * [auth.email] enable_confirmations = false); phone sign-ups are not ([auth.sms] enable_confirmations =
 * true): they get a code and only `verify` (type sms) confirms the phone.
 * No identity without proof: changing email or phone on PUT /user only stores it as pending
 * (auth.users.email_change / phone_change, returned as new_email / new_phone) and sends a code; `verify`
 * with type email_change / phone_change makes it the user's, with its confirmed timestamp — as GoTrue
 * does with confirmations on.
 * Refresh tokens rotate; presenting a revoked one after the reuse interval revokes the whole session.
 * Sign-out: scope global (default), local or others, deleting those sessions and their refresh tokens.
 */
import { randomBytes, randomInt, randomUUID, createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { domainToUnicode } from 'node:url';
import bcrypt from 'bcryptjs';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Logger } from 'pino';
import type { Db, DbTx } from '../db/types.js';
import { bearer, invalidApiKey, apiKeyRole } from '../gate.js';
import {
  HttpError,
  clientIp,
  header,
  jsonProblemMessage,
  parseJsonText,
  readBody,
  sendJson,
  send,
} from '../http.js';
import { isDbError } from '../db/errors.js';
import { type StackKeys, signJwt, verifyJwt } from '../keys.js';
import { DbRateLimiter, type RateLimit, firstInWindow, maskPhone } from '../rateLimit.js';
import { OtpSendLimits } from './otpLimits.js';
import {
  DEFAULT_SIGN_IN_ACCOUNT_LIMIT,
  DEFAULT_SIGN_IN_IP_LIMIT,
  KNOWN_ADDRESS_MS,
  knownAddressKey,
} from './sprayLimit.js';

/**
 * fix20 (review20 L5): email change codes per account — distinct new addresses one account may ask a code for in
 * the window (besides the per-address limits of OtpSendLimits): one account sent codes to 80 strangers' mailboxes.
 */
export const DEFAULT_EMAIL_CHANGE_ACCOUNT_LIMIT: RateLimit = { max: 5, windowMs: 3_600_000 };

export interface AuthOptions {
  /** Distinct new email addresses per account and window for change codes (default 5 an hour). */
  emailChangeAccountLimit?: RateLimit;
  /** Failed password sign-ins per IP across identifiers (sprayLimit.ts); `npm start` reads it from the environment. */
  signInIpLimit?: RateLimit;
  /** Failed password sign-ins per account across addresses (sec20, sprayLimit.ts); default 10 in 15 minutes. */
  signInAccountLimit?: RateLimit;
  accessTokenTtlSeconds: number;
  refreshTokenReuseIntervalSeconds: number;
  otpTtlSeconds: number;
  signInLimit: RateLimit;
  /** Codes asked per client address + phone (or + email for an email change). */
  otpLimit: RateLimit;
  /** Codes sent to one phone, whichever address asks (SMS pumping: OTP_PER_PHONE_MAX, OTP_LIMIT_WINDOW_S). */
  otpPhoneLimit: RateLimit;
  /** Different phones one client address asks codes for (SMS pumping: OTP_PHONES_PER_IP_MAX). */
  otpIpPhonesLimit: RateLimit;
  /** Sign-ups per client IP (POST /signup, any identifier; abuse17); null: none (embedded test stacks). */
  signupLimit: RateLimit | null;
  minPasswordLength: number;
  /**
   * bcrypt cost of the password hashes it stores (default 10, GoTrue's bcrypt.DefaultCost, as on hosted Supabase).
   * A sign-in compares with the cost written in the stored hash, so hashes of any cost (the seed's, an older
   * setting's) keep working. Only the embedded test stacks lower it (test/fixtures/localStack.ts TEST_AUTH, issue
   * 14): bcryptjs at cost 10 is ≈ 70 ms of CPU per sign-up or password sign-in, most of a stack test file's CPU.
   */
  passwordHashCost: number;
  /** The rate limits' clock (ms since the epoch); tests pin it. Default Date.now. */
  now?: () => number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  accessTokenTtlSeconds: 3600,
  refreshTokenReuseIntervalSeconds: 10,
  otpTtlSeconds: 300,
  signInLimit: { max: 30, windowMs: 5 * 60_000 },
  otpLimit: { max: 5, windowMs: 15 * 60_000 },
  otpPhoneLimit: { max: 5, windowMs: 60 * 60_000 },
  otpIpPhonesLimit: { max: 20, windowMs: 60 * 60_000 },
  // `npm start` sets it (../limitsEnv.ts: QUEUEMED_SIGNUP_IP_MAX, alias AUTH_SIGNUP_LIMIT_PER_HOUR); test stacks sign many up
  signupLimit: null,
  minPasswordLength: 6,
  passwordHashCost: 10,
};

export interface OtpMessage {
  id: string;
  at: string;
  /** Masked: `+2126•••••78`, `a•••@example.test`. */
  to: string;
  /** `otp`: an SMS code; `email`: an email-change code. */
  kind: 'otp' | 'email';
  body: string;
}

export interface AuthContext {
  db: Db;
  keys: StackKeys;
  log: Logger;
  issuer: () => string;
  options: AuthOptions;
  /** Delivers a one-time code by SMS (phone in E.164). */
  onOtp: (phone: string, code: string) => void | Promise<void>;
  /** Delivers a one-time code by email (an email change). */
  onEmailCode: (email: string, code: string) => void | Promise<void>;
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
  email_change: string | null;
  email_change_sent_at: Date | string | null;
  phone_change: string | null;
  phone_change_sent_at: Date | string | null;
  confirmation_sent_at: Date | string | null;
}

const USER_COLS = `id::text as id, aud, role, email, phone, encrypted_password, email_confirmed_at, phone_confirmed_at,
  last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, coalesce(is_anonymous, false) as is_anonymous,
  nullif(email_change, '') as email_change, email_change_sent_at, nullif(phone_change, '') as phone_change, phone_change_sent_at,
  confirmation_sent_at`;

/** GoTrue-style error: HTTP status, `code` (error_code) and message. */
export function authError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError(status, { code, error_code: code, msg: message, message }, headers);
}

const iso = (v: Date | string | null | undefined): string | null =>
  v == null ? null : new Date(v).toISOString();
const normPhone = (p: string): string => p.replace(/\D/g, '');

/**
 * review22 M2: a password sign-in for an unknown e-mail or phone, or for an account without a password, is checked
 * against a stand-in bcrypt hash of a random secret nobody knows, made once per cost with the cost this stack hashes
 * passwords with (`passwordHashCost`), so it costs the same one bcrypt comparison as a wrong password for a real
 * account — before, it skipped bcrypt and answered about 10× faster, which told an attacker which accounts exist.
 */
const standInHashes = new Map<number, Promise<string>>();
function standInHash(cost: number): Promise<string> {
  let h = standInHashes.get(cost);
  if (h === undefined) {
    h = bcrypt.hash(randomBytes(24).toString('base64'), cost);
    standInHashes.set(cost, h);
  }
  return h;
}

/** One bcrypt comparison whatever the account: false without a stored hash (the stand-in compared all the same). */
async function verifyPassword(password: string, stored: string | null, cost: number): Promise<boolean> {
  const ok = await bcrypt.compare(password, stored || (await standInHash(cost)));
  return Boolean(stored) && ok;
}
const normEmail = (e: string): string => e.trim().toLowerCase();

const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Control, format (bidi overrides, zero-width), surrogate and unassigned characters: no address has them. */
const INVISIBLE = /\p{C}/u;
/** auth.users.email is varchar(255), as GoTrue's. */
const MAX_EMAIL = 255;

/** An optional email field: absent or empty → null; anything but a plausible address → 400. */
export function parseEmail(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw authError(400, 'validation_failed', 'email must be a string');
  const e = normEmail(v);
  if (e === '') return null;
  if (e.length > MAX_EMAIL || INVISIBLE.test(e) || !EMAIL_RE.test(e)) {
    throw authError(400, 'email_address_invalid', 'Unable to validate email address: invalid format');
  }
  return e;
}

/**
 * sec26 (session 25's "Left"): an address WRITTEN to auth.users (sign-up, an e-mail change, the admin API) meets the
 * app's own rule for stored addresses (private.email_domain_rules on patients.email / staff_invitations.email,
 * EMAIL.DOMAIN_NOT_ASCII): no invisible character anywhere, and a domain of ASCII letters, digits, '-' and '.' only —
 * an international domain is sent as punycode (the browser's asciiEmail does so). Before, "x@ｇｍａｉｌ.com" or
 * "x@مثال.ma" became a sign-in address while every other table refused it. Refused with 400 and its own code,
 * `email_domain_not_ascii` (the screens show EMAIL.DOMAIN_NOT_ASCII). Real GoTrue refuses such an address too — its
 * checkmail pattern is ASCII-only — with 400 `validation_failed` "Unable to validate email address: invalid
 * format": the same status and body shape, a more precise code. Other ASCII junk in the domain ('_', '/', '!'…) is
 * GoTrue's invalid format (400 email_address_invalid, as before for a malformed address).
 * A sign-in is a look-up, not a write: parseEmail alone (an account stored before keeps signing in).
 */
/** The invisible characters the database's rule names (NBSP, soft hyphen, U+180E, spaces/zero-width marks…). */
const INVISIBLE_DB = /[\u00a0\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000]/u; // (controls, Cf: INVISIBLE)
export function parseNewEmail(v: unknown): string | null {
  if (typeof v === 'string') {
    const e = normEmail(v);
    const at = e.lastIndexOf('@');
    if (
      e !== '' &&
      (INVISIBLE.test(e) || INVISIBLE_DB.test(e) || (at >= 0 && /[^\u0020-\u007e]/.test(e.slice(at + 1))))
    ) {
      throw authError(
        400,
        'email_domain_not_ascii',
        'Unable to validate email address: an invisible character, or a domain that is not ASCII (send it as punycode)',
      );
    }
    if (at >= 0 && /[^a-z0-9.-]/.test(e.slice(at + 1))) {
      throw authError(400, 'email_address_invalid', 'Unable to validate email address: invalid format');
    }
  }
  return parseEmail(v);
}

/** "x@xn--mgbh0fb.ma" → "x@مثال.ma"; null when the domain has no punycode label or reads the same. */
export const unicodeDomainEmail = (email: string): string | null => {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (at < 0 || !/(^|\.)xn--/.test(domain)) return null;
  const unicode = domainToUnicode(domain);
  return unicode && unicode !== domain ? email.slice(0, at + 1) + unicode : null;
};

/**
 * An optional phone field: absent or empty → null; the digits of an E.164 number, or 400.
 * fix23b (review23 L6): a trunk prefix kept after the country code ("+212 (0) 612345678", "2120612345678") is
 * dropped as libphonenumber does (the app's PhoneNumber): 212612345678 — before, the code went to +2120612345678,
 * which never arrives.
 * sec24a (review24 L2): a number libphonenumber does not find valid is refused with the same 400 validation_failed
 * (the sign-in screen says PHONE.INVALID in en/fr/ar) — before, its raw digits were kept and an SMS code was sent to
 * +212612398793123 (too long), +212512398791 or +212812398792 (no such numbers). The database checks again
 * (private.is_e164: +212 then 9 national digits; private.sms_country_allowed: Moroccan mobiles only).
 */
export function parsePhone(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw authError(400, 'validation_failed', 'phone must be a string');
  if (v.trim() === '') return null;
  const digits = normPhone(v);
  if (!/^\+?[0-9 ().-]{1,32}$/.test(v.trim()) || !/^[1-9]\d{7,14}$/.test(digits)) {
    throw authError(400, 'validation_failed', 'Invalid phone number format (E.164 required)');
  }
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  if (parsed === undefined || !parsed.isValid()) {
    throw authError(400, 'validation_failed', 'Invalid phone number format (E.164 required)');
  }
  return parsed.number.slice(1);
}

const optionalString = (v: unknown, field: string): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw authError(400, 'validation_failed', `${field} must be a string`);
  return v;
};

const optionalObject = (v: unknown, field: string): Record<string, unknown> | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v))
    throw authError(400, 'validation_failed', `${field} must be an object`);
  return v as Record<string, unknown>;
};

/** GoTrue's token hash: sha224 of the identifier followed by the code, hex. */
const otpHash = (identifier: string, code: string): string =>
  createHash('sha224')
    .update(identifier + code)
    .digest('hex');
const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');
/** Wrong codes a pending email/phone change survives before it is dropped. */
const CHANGE_ATTEMPTS = 5;

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
    ...(u.email_change
      ? { new_email: u.email_change, email_change_sent_at: iso(u.email_change_sent_at) ?? undefined }
      : {}),
    ...(u.phone_change
      ? { new_phone: u.phone_change, phone_change_sent_at: iso(u.phone_change_sent_at) ?? undefined }
      : {}),
    ...(u.confirmation_sent_at ? { confirmation_sent_at: iso(u.confirmation_sent_at) } : {}),
    last_sign_in_at: iso(u.last_sign_in_at) ?? undefined,
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    identities: [],
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    is_anonymous: u.is_anonymous ?? false,
  };
}

/**
 * The per-account sign-in key (sec20): review23 L3 — the account's id once the identifier resolves to a user, so
 * an account with an email and a phone has ONE count (before: one per identifier, twice the guesses, and a locked
 * email still signed in by phone). An identifier that resolves to no one keeps its own key (the email as parsed,
 * lower case, else the phone's digits): it locks the same way, so the lock tells nothing about existence.
 */
const accountKey = (userId: string | null, email: string | null, phone: string | null): string =>
  userId ? `user|${userId}` : email ? `email|${email}` : `phone|${phone ?? ''}`;

const hashToken = (t: string): string => createHash('sha256').update(t).digest('hex');

export class GoTrue {
  /** In the database (auth.rate_limits): every stack process on one PostgreSQL counts against the same limit. */
  private signIn: DbRateLimiter;
  /** Whether the database holds the SMS countries list (private.sms_country_allowed), once asked. */
  private smsCountryList: boolean | undefined;
  /** SMS codes (and email change codes): per address + identifier, per phone, per address across phones. */
  private otpLimits: OtpSendLimits;
  /** Wrong codes per pending email/phone change (`email_change|x@y`, `phone_change|2126…`). */
  /**
   * Wrong codes given for a pending phone or email change, per new identifier: in the database
   * (auth.rate_limits, scope change_failures), so several stacks on one PostgreSQL count them together.
   */
  private changeFailures: DbRateLimiter;
  /** Sign-ups per client IP (abuse17: 72 throwaway accounts from one IP in 8 s). */
  private signups: DbRateLimiter | null;

  /** Failed password sign-ins per IP, across identifiers (password spraying). */
  private signInIp: DbRateLimiter;

  /** Failed password sign-ins per account, across addresses (sec20: a bounded lock, cleared by a proven way in). */
  private signInAccount: DbRateLimiter;
  /** review21 M4: (account, address) pairs that signed in with the right password in the last 30 days — a lock
   * made by failures from elsewhere does not stop them (sprayLimit.ts). Marks, not counts. */
  private signInKnown: DbRateLimiter;
  /** mreview21 M1: while the account is locked, a known address's own failures (the account's limit again, per
   * account + address): a shared network (clinic Wi-Fi, carrier NAT) gets no more guesses than anyone else. */
  private signInKnownFailures: DbRateLimiter;
  /** Distinct new email addresses an account asked a change code for (fix20), and the (account, address) pairs
   * already counted in the account's window (asking again for the same address is not another address). */
  private emailChangeAccount: DbRateLimiter;
  private emailChangeCounted: DbRateLimiter;

  constructor(private readonly ctx: AuthContext) {
    const now = ctx.options.now ?? (() => Date.now()); // Date.now read per call (fakeClock may patch it)
    this.signInIp = new DbRateLimiter(
      ctx.db,
      'sign_in_ip',
      ctx.options.signInIpLimit ?? DEFAULT_SIGN_IN_IP_LIMIT,
      now,
    );
    this.signIn = new DbRateLimiter(ctx.db, 'sign_in', ctx.options.signInLimit, now);
    this.signInAccount = new DbRateLimiter(
      ctx.db,
      'sign_in_account',
      ctx.options.signInAccountLimit ?? DEFAULT_SIGN_IN_ACCOUNT_LIMIT,
      now,
    );
    this.signInKnown = new DbRateLimiter(
      ctx.db,
      'sign_in_known',
      { max: 1, windowMs: KNOWN_ADDRESS_MS },
      now,
    );
    this.signInKnownFailures = new DbRateLimiter(
      ctx.db,
      'sign_in_known_failures',
      ctx.options.signInAccountLimit ?? DEFAULT_SIGN_IN_ACCOUNT_LIMIT,
      now,
    );
    const perAccount = ctx.options.emailChangeAccountLimit ?? DEFAULT_EMAIL_CHANGE_ACCOUNT_LIMIT;
    this.emailChangeAccount = new DbRateLimiter(ctx.db, 'email_change_account', perAccount, now);
    this.emailChangeCounted = new DbRateLimiter(ctx.db, 'email_change_account_counted', perAccount, now);
    this.otpLimits = new OtpSendLimits(ctx.db, ctx.options, now);
    this.signups = ctx.options.signupLimit
      ? new DbRateLimiter(ctx.db, 'signup', ctx.options.signupLimit, now)
      : null;
    // a pending change's code lives otpTtlSeconds; its wrong guesses need not outlive it
    this.changeFailures = new DbRateLimiter(ctx.db, 'change_failures', {
      max: CHANGE_ATTEMPTS,
      windowMs: ctx.options.otpTtlSeconds * 1000,
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const headers = { 'x-supabase-api-version': '2024-01-01' };
    try {
      if (!apiKeyRole(this.ctx.keys, header(req, 'apikey') ?? url.searchParams.get('apikey') ?? undefined))
        throw invalidApiKey();
      const method = req.method ?? 'GET';
      const route = `${method} ${path}`;
      let out: { status: number; body: unknown };
      switch (route) {
        case 'POST /signup':
          out = await this.signup(req, await this.body(req));
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
          out = {
            status: 200,
            body: { version: 'queuemed-local', name: 'GoTrue', description: 'QueueMed local auth' },
          };
          break;
        case 'GET /settings':
          out = {
            status: 200,
            body: {
              external: { email: true, phone: true },
              disable_signup: false,
              mailer_autoconfirm: true,
              phone_autoconfirm: false,
              sms_provider: 'queuemed',
            },
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
      } else if (isDbError(e) && e.code === 'PT422' && e.message === 'PERSON.NAME_NOT_ALLOWED') {
        // fix23a (review23 M1): a sign-up's data.full_name with a link, an e-mail address or a phone number — rule
        // P1, raised by private.handle_new_user — refuses the sign-up (no account) with its own code, never a 500
        const err = authError(
          422,
          'person_name_not_allowed',
          'A name may not contain a web address, an e-mail address or a phone number',
        );
        sendJson(res, err.status, err.body, headers);
      } else if (isDbError(e) && (e.code === '23505' || e.code?.startsWith('22'))) {
        // A value the checks above let through but Postgres refused: the caller's input, never a 500.
        const err =
          e.code === '23505'
            ? authError(422, 'conflict', 'This value is already in use')
            : authError(400, 'validation_failed', 'Invalid input');
        this.ctx.log.warn({ code: e.code }, 'auth input refused by the database');
        sendJson(res, err.status, err.body, headers);
      } else {
        this.ctx.log.error({ err: e instanceof Error ? e.message : String(e) }, 'auth error');
        sendJson(
          res,
          500,
          {
            code: 'unexpected_failure',
            error_code: 'unexpected_failure',
            msg: 'Unexpected failure',
            message: 'Unexpected failure',
          },
          headers,
        );
      }
    }
  }

  private async body(req: IncomingMessage): Promise<Record<string, unknown>> {
    const raw = await readBody(req).catch((e: unknown) => {
      if (e instanceof HttpError && e.status === 413)
        throw authError(413, 'request_too_large', 'Request body too large');
      throw e;
    });
    if (raw.length === 0) return {};
    const r = parseJsonText(raw.toString('utf8'));
    if (!r.ok) {
      throw r.problem === 'invalid'
        ? authError(400, 'bad_json', 'Could not parse request body as JSON')
        : authError(400, 'validation_failed', jsonProblemMessage(r.problem));
    }
    const v = r.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw authError(400, 'bad_json', 'Could not parse request body as JSON');
    return v as Record<string, unknown>;
  }

  // ---- sessions -------------------------------------------------------------------------------

  private async issueSession(
    tx: DbTx,
    user: UserRow,
    method: string,
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const sid = sessionId ?? randomUUID();
    if (!sessionId) {
      await tx.query(
        `insert into auth.sessions (id, user_id, created_at, updated_at) values ($1, $2, now(), now())`,
        [sid, user.id],
      );
    }
    const refresh = randomBytes(24).toString('base64url');
    await tx.query(
      `insert into auth.refresh_tokens (token, user_id, session_id, revoked, created_at, updated_at) values ($1, $2, $3, false, now(), now())`,
      [refresh, user.id, sid],
    );
    return this.sessionJson(user, sid, refresh, method);
  }

  private async sessionJson(
    user: UserRow,
    sid: string,
    refresh: string,
    method: string,
  ): Promise<Record<string, unknown>> {
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

  private async userBy(tx: DbTx, where: string, ...values: string[]): Promise<UserRow | null> {
    const { rows } = await tx.query<UserRow>(
      `select ${USER_COLS} from auth.users where ${where} limit 1`,
      values,
    );
    return rows[0] ?? null;
  }

  private async requireSession(
    req: IncomingMessage,
  ): Promise<{ user: UserRow; sessionId: string; claims: Record<string, unknown> }> {
    const token = bearer(req);
    if (!token) throw authError(401, 'no_authorization', 'This endpoint requires a Bearer token');
    const v = await verifyJwt(this.ctx.keys.jwtSecret, token);
    if (!v.ok)
      throw authError(
        401,
        'bad_jwt',
        v.reason === 'expired'
          ? 'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired'
          : 'invalid JWT: unable to parse or verify signature',
      );
    const sub = v.claims.sub;
    const sid = v.claims.session_id;
    if (typeof sub !== 'string' || typeof sid !== 'string')
      throw authError(403, 'bad_jwt', 'invalid claim: missing sub claim');
    return this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query(`select 1 from auth.sessions where id = $1 and user_id = $2`, [
        sid,
        sub,
      ]);
      if (rows.length === 0)
        throw authError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
      const user = await this.userBy(tx, 'id = $1::uuid', sub);
      if (!user) throw authError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
      return { user, sessionId: sid, claims: v.claims };
    });
  }

  private async limit(
    limiter: DbRateLimiter,
    req: IncomingMessage,
    identifier: string,
    code: string,
  ): Promise<void> {
    const taken = await limiter.take(`${clientIp(req)}|${identifier}`);
    if (!taken.ok) {
      throw authError(429, code, 'Request rate limit reached', {
        'retry-after': String(taken.retryAfterSeconds),
      });
    }
  }

  /**
   * Before a one-time code is sent: GoTrue's 429 (`over_sms_send_rate_limit` / `over_email_send_rate_limit`,
   * Retry-After) when a limit is over. The log says which limit, never the number.
   */
  private async limitCode(req: IncomingMessage, identifier: string, kind: 'phone' | 'email'): Promise<void> {
    const taken = await this.otpLimits.take(clientIp(req), identifier, kind === 'phone');
    if (taken.ok) return;
    this.ctx.log.warn({ limit: taken.limit, kind }, 'one-time code refused: rate limit');
    throw authError(
      429,
      kind === 'phone' ? 'over_sms_send_rate_limit' : 'over_email_send_rate_limit',
      kind === 'phone' ? 'SMS rate limit exceeded' : 'Email rate limit exceeded',
      { 'retry-after': String(taken.retryAfterSeconds) },
    );
  }

  /** An email change code to a new distinct address counts against the account's window (fix20, L5). */
  private async limitEmailChange(userId: string, email: string): Promise<void> {
    const pair = `${userId}|${email}`;
    if (await this.emailChangeCounted.active(pair)) return;
    const taken = await this.emailChangeAccount.take(userId);
    if (!taken.ok) {
      this.ctx.log.warn({ limit: 'email_change_account' }, 'email change code refused: rate limit');
      throw authError(429, 'over_email_send_rate_limit', 'Email rate limit exceeded', {
        'retry-after': String(taken.retryAfterSeconds),
      });
    }
    await this.emailChangeCounted.mark(pair, taken.resetAtMs);
  }

  // ---- endpoints ------------------------------------------------------------------------------

  private weakPassword(password: string): HttpError | null {
    const min = this.ctx.options.minPasswordLength;
    if (password.length >= min && password.length <= 72) return null;
    const message =
      password.length > 72
        ? 'Password cannot be longer than 72 characters'
        : `Password should be at least ${min} characters.`;
    return new HttpError(422, {
      code: 'weak_password',
      error_code: 'weak_password',
      msg: message,
      message,
      weak_password: { reasons: ['length'] },
    });
  }

  /**
   * sec22a: no code is stored or sent to a number outside the deployment's SMS countries (the database's
   * private.sms_country_allowed, over private.sms_countries — one list for every SMS path): 422
   * `phone_country_not_allowed`, which the app shows as PHONE.COUNTRY_NOT_ALLOWED; a landline of an allowed country
   * (+2125…) 422 `phone_not_mobile` (sec25: PHONE.NOT_MOBILE, "enter a mobile"). Asked before the per-phone
   * limits, so refused numbers spend no one's allowance.
   */
  private async smsCountryAllowed(phoneDigits: string): Promise<void> {
    // A database without the app's schema (the conformance suite's fixtures: the platform shim only) has no list;
    // every database the app's migrations made has it (20261222100001), and then it decides.
    if (this.smsCountryList === undefined) {
      const { rows } = await this.ctx.db.query<{ present: boolean }>(
        `select to_regprocedure('private.sms_country_allowed(text)') is not null as present`,
      );
      this.smsCountryList = rows[0]?.present === true;
    }
    if (!this.smsCountryList) return;
    // sec25: `listed` (the country alone, private.sms_country_listed) tells a landline of an allowed country (+2125…:
    // a local number SMS cannot reach) from a number abroad — "enter a mobile", not "enter a local number"
    const { rows } = await this.ctx.db.query<{ ok: boolean; valid: boolean; listed: boolean }>(
      `select private.sms_country_allowed($1) as ok, coalesce(private.is_e164($1), false) as valid,
              private.sms_country_listed($1) as listed`,
      [`+${phoneDigits}`],
    );
    // review23 L6: a number the database's phone check refuses (+2120…: a trunk 0 no parsing could drop) is no
    // number at all — the same 400 as a malformed one, not "this country is not allowed"
    if (rows[0]?.valid !== true) {
      throw authError(400, 'validation_failed', 'Invalid phone number format (E.164 required)');
    }
    if (rows[0]?.ok !== true && rows[0]?.listed === true) {
      throw authError(
        422,
        'phone_not_mobile',
        'This number is a landline: SMS codes go to mobile numbers only',
      );
    }
    if (rows[0]?.ok !== true) {
      throw authError(
        422,
        'phone_country_not_allowed',
        'SMS can only be sent to the countries this deployment allows',
      );
    }
  }

  /**
   * A phone code, kept in the database (auth.phone_codes: sha256, expiry, attempts left, purpose and the
   * sign-up data) — not in this process's memory, so any stack on the same database verifies it — then
   * handed to the SMS hook.
   */
  private async sendPhoneCode(
    phone: string,
    purpose: 'signup' | 'login',
    userId?: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    const code = newCode();
    await this.ctx.db.query(
      `insert into auth.phone_codes (phone, code_hash, expires_at, attempts_left, purpose, user_id, data)
       values ($1, $2, to_timestamp($3::double precision / 1000), 5, $4, $5::uuid, $6::jsonb)
       on conflict (phone) do update set code_hash = excluded.code_hash, expires_at = excluded.expires_at,
         attempts_left = excluded.attempts_left, purpose = excluded.purpose, user_id = excluded.user_id, data = excluded.data`,
      [
        phone,
        hashToken(code),
        Date.now() + this.ctx.options.otpTtlSeconds * 1000,
        purpose,
        userId ?? null,
        JSON.stringify(data),
      ],
    );
    await this.ctx.onOtp(`+${phone}`, code);
  }

  private async signup(
    req: IncomingMessage,
    b: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }> {
    const email = parseNewEmail(b.email);
    const phone = email ? null : parsePhone(b.phone);
    const password = optionalString(b.password, 'password') ?? '';
    if (!email && !phone)
      throw authError(400, 'validation_failed', 'To signup, please provide your email or phone');
    const weak = this.weakPassword(password);
    if (weak) throw weak;
    const data = optionalObject(b.data, 'data') ?? {};
    if (this.signups) await this.limit(this.signups, req, 'signup', 'over_request_rate_limit');
    if (phone) await this.smsCountryAllowed(phone);
    if (phone) await this.limitCode(req, phone, 'phone');
    const hash = await bcrypt.hash(password, this.ctx.options.passwordHashCost);
    const provider = email ? 'email' : 'phone';
    const out = await this.ctx.db.transaction(async (tx) => {
      const exists = email
        ? await this.userBy(tx, 'lower(email) = $1', email)
        : await this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone ?? '');
      if (exists)
        throw authError(422, email ? 'user_already_exists' : 'phone_exists', 'User already registered');
      const id = randomUUID();
      // An email is confirmed at once (enable_confirmations = false); a phone only by its SMS code.
      const { rows } = await tx.query<UserRow>(
        `insert into auth.users (id, aud, role, email, phone, encrypted_password, email_confirmed_at, confirmation_sent_at,
                                 raw_app_meta_data, raw_user_meta_data, created_at, updated_at, last_sign_in_at)
         values ($1::uuid, 'authenticated', 'authenticated', $2::text, $3::text, $4::text,
                 case when $2::text is null then null else now() end,
                 case when $3::text is null then null else now() end,
                 $5::jsonb, $6::jsonb, now(), now(), case when $2::text is null then null else now() end)
         returning ${USER_COLS}`,
        [id, email, phone, hash, JSON.stringify({ provider, providers: [provider] }), JSON.stringify(data)],
      );
      const user = rows[0] as UserRow;
      if (email) return { status: 200, body: await this.issueSession(tx, user, 'password') };
      return { status: 200, body: userJson(user), confirmPhone: user };
    });
    if ('confirmPhone' in out && out.confirmPhone && phone)
      await this.sendPhoneCode(phone, 'signup', out.confirmPhone.id);
    return { status: out.status, body: out.body };
  }

  private async token(
    req: IncomingMessage,
    url: URL,
    b: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }> {
    const grant = url.searchParams.get('grant_type');
    if (grant === 'password') return this.passwordGrant(req, b);
    if (grant === 'refresh_token') return this.refreshGrant(b);
    throw authError(400, 'unsupported_grant_type', 'unsupported_grant_type');
  }

  private async passwordGrant(
    req: IncomingMessage,
    b: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }> {
    const email = parseEmail(b.email);
    const phone = email ? null : parsePhone(b.phone);
    const password = optionalString(b.password, 'password') ?? '';
    if (!email && !phone) throw authError(400, 'validation_failed', 'missing email or phone');
    const ip = clientIp(req);
    // Failed attempts count against IP + identifier; once over the limit even a right password waits.
    const key = `${ip}|${email ?? phone ?? ''}`;
    // review23 L3: the user is resolved BEFORE any counter is charged, so the account's counter is keyed on its id
    // whichever identifier is typed. Every request makes this one lookup (known or unknown alike: the same cost
    // as before, when it ran after the counters), and the password check below uses the row found here.
    // sec26: the browser sends an international domain as punycode; an account the local stack stored with its
    // Unicode domain before sign-ups were held to ASCII still signs in (one more look-up, only when none matched)
    const unicodeEmail = email ? unicodeDomainEmail(email) : null;
    const user: UserRow | null = await this.ctx.db.transaction(async (tx) =>
      email
        ? ((await this.userBy(tx, 'lower(email) = $1', email)) ??
          (unicodeEmail ? await this.userBy(tx, 'lower(email) = $1', unicodeEmail) : null))
        : this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone ?? ''),
    );
    // sec20: the account's failures from every address (sprayLimit.ts): a bounded lock, the same for an unknown one
    const account = accountKey(user?.id ?? null, email, phone);
    const known = knownAddressKey(account, ip);
    // review22 M1: every counter is charged BEFORE the password is checked (one upsert each, as the kiosk pairing
    // limit does), and given back unless the password was wrong. Before, they were checked, then bcrypt ran, then
    // failures were counted: 40 parallel guesses all passed the check and all reached bcrypt. Now at most `max`
    // tries per counter and window are in flight or spent, however many run at once; a refused try is given back
    // (it never reached bcrypt), so it neither counts nor lengthens a window.
    const held: { limiter: DbRateLimiter; key: string; resetAtMs: number }[] = [];
    const reserve = async (limiter: DbRateLimiter, k: string) => {
      const a = await limiter.take(k);
      held.push({ limiter, key: k, resetAtMs: a.resetAtMs });
      return a;
    };
    const giveBack = async () => {
      for (const h of held.splice(0)) await h.limiter.giveBack(h.key, h.resetAtMs);
    };
    const refuse = async (a: { retryAfterSeconds: number }, message: string): Promise<never> => {
      await giveBack();
      throw authError(429, 'over_request_rate_limit', message, {
        'retry-after': String(a.retryAfterSeconds),
      });
    };
    const ipTry = await reserve(this.signInIp, ip);
    if (!ipTry.ok) await refuse(ipTry, 'Request rate limit reached');
    const pairTry = await reserve(this.signIn, key);
    if (!pairTry.ok) await refuse(pairTry, 'Request rate limit reached');
    const accountTry = await reserve(this.signInAccount, account);
    // review21 M4: the lock stops every address but those this account signed in from before — and those only
    // once they have spent a budget of their own while it holds (mreview21 M1: an address is a network)
    const exempt = !accountTry.ok && (await this.signInKnown.active(known));
    if (!accountTry.ok && !exempt) await refuse(accountTry, 'Too many failed sign-ins for this account');
    if (exempt) {
      const knownTry = await reserve(this.signInKnownFailures, known);
      if (!knownTry.ok) await refuse(knownTry, 'Too many failed sign-ins for this account');
    }
    let ok: boolean;
    try {
      ok = await verifyPassword(
        password,
        user?.encrypted_password ?? null,
        this.ctx.options.passwordHashCost,
      );
    } catch (e) {
      await giveBack();
      throw e;
    }
    if (!user || !ok) {
      // the reservations stay: this was a failure. review21 L8 / review22 L3: one line when the account locks (per
      // process and window: the tries of a parallel burst may each see the lock), none for each refused try after it
      if (
        !exempt &&
        !(await this.signInAccount.check(account)).ok &&
        firstInWindow('sign_in_account', account, accountTry.resetAtMs)
      )
        this.ctx.log.warn(
          { limit: 'sign_in_account' },
          'password sign-ins of one account locked for a while',
        );
      throw authError(400, 'invalid_credentials', 'Invalid login credentials');
    }
    // the right password: no failure (also when the phone is not confirmed yet)
    await giveBack();
    if (phone && !user.phone_confirmed_at) throw authError(400, 'phone_not_confirmed', 'Phone not confirmed');
    // a right password below the limit forgets the failures; one let through a lock only by the exemption does not
    // (mreview21 M1: the owner signing in must not hand a distributed guesser a fresh budget)
    if (!exempt) await this.signInAccount.reset(account);
    // the address becomes known only by a sign-in that passes every check
    await this.signInKnown.mark(known, (this.ctx.options.now ?? Date.now)() + KNOWN_ADDRESS_MS);
    return this.ctx.db.transaction(async (tx) => {
      await tx.query(`update auth.users set last_sign_in_at = now() where id = $1::uuid`, [user.id]);
      return { status: 200, body: await this.issueSession(tx, user, 'password') };
    });
  }

  private async refreshGrant(b: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const token = optionalString(b.refresh_token, 'refresh_token') ?? '';
    if (!token) throw authError(400, 'validation_failed', 'Refresh Token is missing');
    // Tokens are base64url (ours) — anything else cannot match one, and must not reach the database.
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(token))
      throw authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const result = await this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<{
        id: string;
        user_id: string;
        session_id: string | null;
        revoked: boolean;
        updated_at: Date | string;
      }>(
        `select id::text as id, user_id::text as user_id, session_id::text as session_id, revoked, updated_at
           from auth.refresh_tokens where token = $1 for update`,
        [token],
      );
      const row = rows[0];
      if (!row || !row.session_id)
        return {
          error: authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found'),
        };
      const session = await tx.query(`select 1 from auth.sessions where id = $1`, [row.session_id]);
      if (session.rows.length === 0)
        return {
          error: authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found'),
        };
      const user = await this.userBy(tx, 'id = $1::uuid', row.user_id);
      if (!user)
        return {
          error: authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found'),
        };
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
        await tx.query(
          `update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1`,
          [row.session_id],
        );
        await tx.query(`delete from auth.sessions where id = $1`, [row.session_id]);
        this.ctx.log.warn({ session: row.session_id }, 'refresh token reused; session revoked');
        return { error: authError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used') };
      }
      await tx.query(
        `update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1::bigint`,
        [row.id],
      );
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

  /**
   * PUT /user. Password and metadata change at once; a new email or phone is only stored as pending
   * (email_change / phone_change with a hashed code) and a code is sent to it. Nothing here ever sets
   * email_confirmed_at or phone_confirmed_at: only `verify` with the code does.
   */
  private async updateUser(
    req: IncomingMessage,
    b: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }> {
    const { user } = await this.requireSession(req);
    const password = optionalString(b.password, 'password');
    const data = optionalObject(b.data, 'data');
    const email = parseNewEmail(b.email);
    const phone = parsePhone(b.phone);
    if (password !== null) {
      const weak = this.weakPassword(password);
      if (weak) throw weak;
    }
    const newEmail = email !== null && email !== (user.email ?? '').toLowerCase() ? email : null;
    const newPhone = phone !== null && phone !== normPhone(user.phone ?? '') ? phone : null;
    if (newPhone) await this.smsCountryAllowed(newPhone);
    if (newEmail) await this.limitEmailChange(user.id, newEmail);
    if (newEmail) await this.limitCode(req, newEmail, 'email');
    if (newPhone) await this.limitCode(req, newPhone, 'phone');
    const sets: string[] = [];
    const params: unknown[] = [user.id];
    const add = (sql: string, ...vals: unknown[]) => {
      let out = sql;
      for (const v of vals) {
        params.push(v);
        out = out.replace('?', `$${params.length}`);
      }
      sets.push(out);
    };
    if (password !== null)
      add('encrypted_password = ?', await bcrypt.hash(password, this.ctx.options.passwordHashCost));
    if (data)
      add(`raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || ?::jsonb`, JSON.stringify(data));
    const emailCode = newEmail ? newCode() : null;
    const phoneCode = newPhone ? newCode() : null;
    if (newEmail && emailCode) {
      add(
        `email_change = ?, email_change_token_new = ?, email_change_sent_at = now(), email_change_confirm_status = 0`,
        newEmail,
        otpHash(newEmail, emailCode),
      );
    }
    if (newPhone && phoneCode)
      add(
        `phone_change = ?, phone_change_token = ?, phone_change_sent_at = now()`,
        newPhone,
        otpHash(newPhone, phoneCode),
      );
    const updated = await this.ctx.db.transaction(async (tx) => {
      if (newEmail && (await this.userBy(tx, 'lower(email) = $1 and id <> $2::uuid', newEmail, user.id))) {
        throw authError(422, 'email_exists', 'A user with this email address has already been registered');
      }
      if (
        newPhone &&
        (await this.userBy(
          tx,
          `regexp_replace(phone, '\\D', '', 'g') = $1 and id <> $2::uuid`,
          newPhone,
          user.id,
        ))
      ) {
        throw authError(422, 'phone_exists', 'A user with this phone number has already been registered');
      }
      if (sets.length === 0) return user;
      const { rows } = await tx.query<UserRow>(
        `update auth.users set ${sets.join(', ')}, updated_at = now() where id = $1::uuid returning ${USER_COLS}`,
        params,
      );
      return rows[0] as UserRow;
    });
    // sec20: a password set by the signed-in user (the reset path) lifts the account's password lock
    if (password !== null) await this.clearAccountLock(updated);
    // Codes leave only once the pending change is stored.
    if (newEmail && emailCode) {
      await this.changeFailures.reset(`email_change|${newEmail}`);
      await this.ctx.onEmailCode(newEmail, emailCode);
    }
    if (newPhone && phoneCode) {
      await this.changeFailures.reset(`phone_change|${newPhone}`);
      await this.ctx.onOtp(`+${newPhone}`, phoneCode);
    }
    return { status: 200, body: userJson(updated) };
  }

  /** POST /logout?scope=global|local|others: those sessions end and their refresh tokens with them. */
  private async logout(req: IncomingMessage, url: URL): Promise<{ status: number; body: unknown }> {
    const scope = url.searchParams.get('scope') ?? 'global';
    if (scope !== 'global' && scope !== 'local' && scope !== 'others') {
      throw authError(400, 'validation_failed', 'Unsupported logout scope (global, local or others)');
    }
    const { user, sessionId } = await this.requireSession(req);
    await this.ctx.db.transaction(async (tx) => {
      const target =
        scope === 'local'
          ? { where: 'user_id = $1::uuid and id = $2::uuid', params: [user.id, sessionId] }
          : scope === 'others'
            ? { where: 'user_id = $1::uuid and id <> $2::uuid', params: [user.id, sessionId] }
            : { where: 'user_id = $1::uuid', params: [user.id] };
      await tx.query(
        `update auth.refresh_tokens set revoked = true, updated_at = now()
          where session_id in (select id from auth.sessions where ${target.where})`,
        target.params,
      );
      await tx.query(`delete from auth.sessions where ${target.where}`, target.params);
    });
    return { status: 204, body: null };
  }

  private async otp(
    req: IncomingMessage,
    b: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }> {
    if (b.email !== undefined && b.email !== null && b.email !== '') {
      throw authError(400, 'validation_failed', 'The local stack sends one-time codes to phone numbers only');
    }
    const phone = parsePhone(b.phone);
    if (!phone)
      throw authError(400, 'validation_failed', 'The local stack sends one-time codes to phone numbers only');
    const data = optionalObject(b.data, 'data') ?? {};
    await this.smsCountryAllowed(phone);
    await this.limitCode(req, phone, 'phone');
    const createUser = b.create_user !== false;
    if (!createUser) {
      const user = await this.ctx.db.transaction((tx) =>
        this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone),
      );
      if (!user) throw authError(422, 'otp_disabled', 'Signups not allowed for otp');
    }
    await this.sendPhoneCode(phone, 'login', undefined, data);
    return { status: 200, body: { message_id: randomUUID() } };
  }

  /** The admin API (service role only): create, get, list, update and delete users, as auth.admin.* call it. */
  private async admin(
    req: IncomingMessage,
    url: URL,
    method: string,
    id: string | undefined,
  ): Promise<{ status: number; body: unknown }> {
    const token = bearer(req);
    const v = token ? await verifyJwt(this.ctx.keys.jwtSecret, token) : null;
    if (!v || !v.ok || v.claims.role !== 'service_role')
      throw authError(403, 'not_admin', 'User not allowed');
    if (method === 'POST' && !id) {
      const b = await this.body(req);
      const email = parseNewEmail(b.email);
      const phone = parsePhone(b.phone);
      if (!email && !phone) throw authError(400, 'validation_failed', 'email or phone is required');
      const password = optionalString(b.password, 'password');
      const hash = password ? await bcrypt.hash(password, this.ctx.options.passwordHashCost) : null;
      const meta = (k: string): Record<string, unknown> => optionalObject(b[k], k) ?? {};
      const newId = optionalString(b.id, 'id') ?? randomUUID();
      if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(newId))
        throw authError(400, 'validation_failed', 'id must be a UUID');
      const provider = email ? 'email' : 'phone';
      return this.ctx.db.transaction(async (tx) => {
        const exists = email
          ? await this.userBy(tx, 'lower(email) = $1', email)
          : await this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone ?? '');
        if (exists)
          throw authError(
            422,
            email ? 'email_exists' : 'phone_exists',
            'A user with this email address has already been registered',
          );
        const appMeta = { provider, providers: [provider], ...meta('app_metadata') };
        const { rows } = await tx.query<UserRow>(
          `insert into auth.users (id, aud, role, email, phone, encrypted_password, email_confirmed_at, phone_confirmed_at,
                                   raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           values ($1::uuid, 'authenticated', 'authenticated', $2::text, $3::text, $4::text,
                   case when $2::text is not null and $5::boolean then now() end,
                   case when $3::text is not null and $6::boolean then now() end, $7::jsonb, $8::jsonb, now(), now())
           returning ${USER_COLS}`,
          [
            newId,
            email,
            phone,
            hash,
            b.email_confirm === true,
            b.phone_confirm === true,
            JSON.stringify(appMeta),
            JSON.stringify(meta('user_metadata')),
          ],
        );
        return { status: 200, body: userJson(rows[0] as UserRow) };
      });
    }
    if (method === 'GET' && !id) {
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const perPage = Math.min(1000, Math.max(1, Number(url.searchParams.get('per_page') ?? 50) || 50));
      const { rows } = await this.ctx.db.query<UserRow>(
        `select ${USER_COLS} from auth.users order by created_at, id limit $1 offset $2`,
        [perPage, (page - 1) * perPage],
      );
      return { status: 200, body: { users: rows.map(userJson), aud: 'authenticated' } };
    }
    if (!id) throw authError(405, 'method_not_allowed', 'Method not allowed');
    if (method === 'GET') {
      const u = await this.ctx.db.transaction((tx) => this.userBy(tx, 'id = $1::uuid', id));
      if (!u) throw authError(404, 'user_not_found', 'User not found');
      return { status: 200, body: userJson(u) };
    }
    if (method === 'DELETE') {
      const { rows } = await this.ctx.db.query<UserRow>(
        `delete from auth.users where id = $1::uuid returning ${USER_COLS}`,
        [id],
      );
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
      const password = optionalString(b.password, 'password');
      const email = parseNewEmail(b.email);
      const phone = parsePhone(b.phone);
      const userMeta = optionalObject(b.user_metadata, 'user_metadata');
      const appMeta = optionalObject(b.app_metadata, 'app_metadata');
      if (password !== null)
        add('encrypted_password = ?', await bcrypt.hash(password, this.ctx.options.passwordHashCost));
      if (email !== null) add('email = ?', email);
      if (phone !== null) add('phone = ?', phone);
      if (b.email_confirm === true) sets.push('email_confirmed_at = coalesce(email_confirmed_at, now())');
      if (b.phone_confirm === true) sets.push('phone_confirmed_at = coalesce(phone_confirmed_at, now())');
      if (userMeta)
        add(
          `raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || ?::jsonb`,
          JSON.stringify(userMeta),
        );
      if (appMeta)
        add(
          `raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb) || ?::jsonb`,
          JSON.stringify(appMeta),
        );
      return this.ctx.db.transaction(async (tx) => {
        if (email !== null && (await this.userBy(tx, 'lower(email) = $1 and id <> $2::uuid', email, id))) {
          throw authError(422, 'email_exists', 'A user with this email address has already been registered');
        }
        if (
          phone !== null &&
          (await this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1 and id <> $2::uuid`, phone, id))
        ) {
          throw authError(422, 'phone_exists', 'A user with this phone number has already been registered');
        }
        const { rows } = await tx.query<UserRow>(
          `update auth.users set ${[...sets, 'updated_at = now()'].join(', ')} where id = $1::uuid returning ${USER_COLS}`,
          params,
        );
        if (!rows[0]) throw authError(404, 'user_not_found', 'User not found');
        return { status: 200, body: userJson(rows[0]) };
      });
    }
    throw authError(405, 'method_not_allowed', 'Method not allowed');
  }

  private async verify(
    req: IncomingMessage,
    b: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }> {
    const type = b.type;
    const token = (optionalString(b.token, 'token') ?? '').trim();
    if (type === 'phone_change' || type === 'email_change') return this.verifyChange(req, type, b, token);
    if (type !== 'sms')
      throw authError(
        400,
        'validation_failed',
        'The local stack verifies sms, phone_change and email_change codes',
      );
    const phone = parsePhone(b.phone) ?? '';
    await this.limit(this.signIn, req, `verify|${phone}`, 'over_request_rate_limit');
    // The pending code, locked: two stacks verifying the same phone at once use it (or a wrong guess) once.
    const pending = await this.ctx.db.transaction(async (tx) => {
      const { rows } = await tx.query<{
        code_hash: string;
        expires_ms: number;
        attempts_left: number;
        purpose: 'signup' | 'login';
        user_id: string | null;
        data: Record<string, unknown> | string;
      }>(
        `select code_hash, (extract(epoch from expires_at) * 1000)::float8 as expires_ms, attempts_left, purpose, user_id::text as user_id, data
           from auth.phone_codes where phone = $1 for update`,
        [phone],
      );
      const p = rows[0];
      const given = Buffer.from(hashToken(token));
      const valid =
        !!p &&
        Number(p.expires_ms) > Date.now() &&
        p.attempts_left > 0 &&
        timingSafeEqual(Buffer.from(p.code_hash), given);
      if (!valid || !p) {
        if (p)
          await tx.query(
            'update auth.phone_codes set attempts_left = greatest(attempts_left - 1, 0) where phone = $1',
            [phone],
          );
        return null;
      }
      await tx.query('delete from auth.phone_codes where phone = $1', [phone]);
      return {
        purpose: p.purpose,
        userId: p.user_id ?? undefined,
        data: (typeof p.data === 'string' ? JSON.parse(p.data) : p.data) as Record<string, unknown>,
      };
    });
    if (!pending) throw authError(403, 'otp_expired', 'Token has expired or is invalid');
    const data = pending.data;
    const signedIn = await this.ctx.db.transaction(async (tx) => {
      let user = await this.userBy(tx, `regexp_replace(phone, '\\D', '', 'g') = $1`, phone);
      if (user && !user.phone_confirmed_at && !(pending.purpose === 'signup' && pending.userId === user.id)) {
        // An account holds this phone without ever having proved it (a sign-up by someone else, or an
        // unconfirmed number): proving the phone does not hand over that account; the unproven number
        // is taken off it, and the prover gets an account of their own below.
        await tx.query(`update auth.users set phone = null, updated_at = now() where id = $1::uuid`, [
          user.id,
        ]);
        this.ctx.log.warn({ user: user.id }, 'unproven phone released to the owner who proved it');
        user = null;
      }
      if (!user) {
        const { rows } = await tx.query<UserRow>(
          `insert into auth.users (id, aud, role, phone, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, last_sign_in_at)
           values ($1, 'authenticated', 'authenticated', $2, now(), $3::jsonb, $4::jsonb, now(), now(), now())
           returning ${USER_COLS}`,
          [
            randomUUID(),
            phone,
            JSON.stringify({ provider: 'phone', providers: ['phone'] }),
            JSON.stringify(data),
          ],
        );
        user = rows[0] as UserRow;
      } else {
        const { rows } = await tx.query<UserRow>(
          `update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now()), last_sign_in_at = now() where id = $1::uuid returning ${USER_COLS}`,
          [user.id],
        );
        user = rows[0] as UserRow;
      }
      return { user, body: await this.issueSession(tx, user, 'otp') };
    });
    // sec20: the phone is proven — the account's password lock (by phone and by email) is lifted
    await this.clearAccountLock(signedIn.user);
    return { status: 200, body: signedIn.body };
  }

  /** Lifts the per-account password lock of `user` (one count per account, review23 L3): a proven way in (sprayLimit.ts). */
  private async clearAccountLock(user: Pick<UserRow, 'id'>): Promise<void> {
    await this.signInAccount.reset(accountKey(user.id, null, null));
  }

  /**
   * verify type phone_change / email_change: the code sent by PUT /user to the new phone or email. Only
   * here does a pending identity become the user's (with phone_confirmed_at / email_confirmed_at).
   */
  private async verifyChange(
    req: IncomingMessage,
    type: 'phone_change' | 'email_change',
    b: Record<string, unknown>,
    token: string,
  ): Promise<{ status: number; body: unknown }> {
    const isPhone = type === 'phone_change';
    const identifier = isPhone ? parsePhone(b.phone) : parseEmail(b.email);
    if (!identifier)
      throw authError(400, 'validation_failed', isPhone ? 'phone is required' : 'email is required');
    await this.limit(this.signIn, req, `verify|${identifier}`, 'over_request_rate_limit');
    const failKey = `${type}|${identifier}`;
    const invalid = () => authError(403, 'otp_expired', 'Token has expired or is invalid');
    if (!/^\d{6}$/.test(token)) {
      await this.changeFailures.take(failKey);
      throw invalid();
    }
    const ttl = this.ctx.options.otpTtlSeconds;
    const col = isPhone
      ? {
          pending: `regexp_replace(phone_change, '\\D', '', 'g')`,
          token: 'phone_change_token',
          sent: 'phone_change_sent_at',
        }
      : { pending: 'lower(email_change)', token: 'email_change_token_new', sent: 'email_change_sent_at' };
    const spent = !(await this.changeFailures.check(failKey)).ok;
    const result = await this.ctx.db.transaction(async (tx) => {
      if (spent) {
        // Too many wrong codes: the pending change is dropped; the user has to ask for a new code.
        await tx.query(`update auth.users set ${col.token} = '' where ${col.pending} = $1`, [identifier]);
        return { error: invalid() };
      }
      const { rows } = await tx.query<{ id: string }>(
        `select id::text as id from auth.users
          where ${col.pending} = $1 and ${col.token} = $2 and ${col.sent} > now() - make_interval(secs => $3)
          for update`,
        [identifier, otpHash(identifier, token), ttl],
      );
      const hit = rows[0];
      if (!hit) return { error: invalid(), failed: true };
      const taken = isPhone
        ? await this.userBy(
            tx,
            `regexp_replace(phone, '\\D', '', 'g') = $1 and id <> $2::uuid`,
            identifier,
            hit.id,
          )
        : await this.userBy(tx, 'lower(email) = $1 and id <> $2::uuid', identifier, hit.id);
      if (taken)
        return {
          error: authError(
            422,
            isPhone ? 'phone_exists' : 'email_exists',
            isPhone
              ? 'A user with this phone number has already been registered'
              : 'A user with this email address has already been registered',
          ),
        };
      const { rows: updated } = await tx.query<UserRow>(
        isPhone
          ? `update auth.users set phone = phone_change, phone_change = '', phone_change_token = '', phone_change_sent_at = null,
                    phone_confirmed_at = now(), last_sign_in_at = now(), updated_at = now()
              where id = $1::uuid returning ${USER_COLS}`
          : `update auth.users set email = email_change, email_change = '', email_change_token_new = '', email_change_token_current = '',
                    email_change_sent_at = null, email_change_confirm_status = 0, email_confirmed_at = now(),
                    last_sign_in_at = now(), updated_at = now()
              where id = $1::uuid returning ${USER_COLS}`,
        [hit.id],
      );
      const user = updated[0] as UserRow;
      return { body: await this.issueSession(tx, user, 'otp') };
    });
    if ('error' in result && result.error) {
      if ('failed' in result) await this.changeFailures.take(failKey);
      throw result.error;
    }
    await this.changeFailures.reset(failKey);
    return { status: 200, body: (result as { body: unknown }).body };
  }
}

export { maskPhone };
