/**
 * Password spraying (attack review of session 17): the sign-in limit counts failures per IP + identifier, so one
 * IP could try 30 passwords on every account it knew. This guard also counts an IP's FAILED password sign-ins
 * across all identifiers; over the limit, that IP's password sign-ins answer GoTrue's 429 until the window ends.
 * Only failures count: a clinic's staff (or the e2e suite) signing in many accounts with right passwords from one
 * address never meets it. Kept in the database (auth.rate_limits, scope sign_in_ip) like the other limits, so
 * several stack processes on one PostgreSQL share it. GoTrue counts it with a DbRateLimiter of scope sign_in_ip;
 * `npm start` (main.ts) reads the limit from the environment, embedded stacks take the default.
 *
 * Env (../limitsEnv.ts, one parser for every limit: a bad value stops the start): QUEUEMED_SIGNIN_IP_MAX (alias
 * QUEUEMED_SIGNIN_IP_FAILURES, default 60) failures per QUEUEMED_SIGNIN_IP_WINDOW_SECONDS (default 900).
 */
import type { RateLimit } from '../rateLimit.js';

export const DEFAULT_SIGN_IN_IP_LIMIT: RateLimit = { max: 60, windowMs: 15 * 60_000 };
