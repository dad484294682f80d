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

/**
 * sec20 — per-account lockout. Password failures were limited per address (above) and per address + identifier
 * (GoTrue's signInLimit), so an attacker spreading guesses over many addresses could try without end on one account.
 * Now the FAILED password sign-ins of one account (its identifier: the email lower-cased, or the phone's digits;
 * unknown identifiers count the same, so the answer never tells whether an account exists) are counted across all
 * addresses, in the database on the auth clock (auth.rate_limits, scope sign_in_account). Over the limit, every
 * password sign-in of that account — even with the right password — answers 429 `over_request_rate_limit` with
 * Retry-After until the window that the first failure opened ends (except from a known address: below): a lock is bounded by the window (15 minutes by
 * default), never longer, however many guesses an attacker sends (they are refused before bcrypt and not counted).
 * A proven way in clears it: a successful SMS code sign-in (verify type sms) for the account's phone, a password set
 * by the signed-in user (PUT /user, the reset path), and a successful password sign-in (below the limit).
 *
 * Env (../limitsEnv.ts): QUEUEMED_SIGNIN_ACCOUNT_MAX (default 10) failures per QUEUEMED_SIGNIN_ACCOUNT_WINDOW_SECONDS
 * (default 900).
 *
 * review22 M1: this and the limits above are charged BEFORE bcrypt runs and given back unless the password was wrong
 * (gotrue.ts passwordGrant), so a parallel burst cannot pass a check N times: at most `max` tries reach bcrypt.
 */
export const DEFAULT_SIGN_IN_ACCOUNT_LIMIT: RateLimit = { max: 10, windowMs: 15 * 60_000 };

/**
 * review21 M4 — the lock above let anyone keep a staff account locked for ever: ten wrong passwords a quarter of an
 * hour, from anywhere, and the right password answered 429 (staff without a phone had no way back). Now the lock
 * does not apply to an address this account signed in from with the right password in the last 30 days (marks in
 * auth.rate_limits, scope sign_in_known, key = account + address, hashed like every key there): the clinic's own
 * network keeps working while a stranger's guesses lock every other address. Guesses from a known address are
 * still counted (they can lock the others), and while the lock holds a known address has its own budget of the
 * account's limit (scope sign_in_known_failures, mreview21 M1: an address may be a whole network). A right password
 * let through only by the exemption does not lift the lock for the others. A staff
 * member on a new network while the account is under attack waits out the window or signs in with an SMS code.
 */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60_000;

/** The mark of "this account signed in from this address": the account key and the client address together. */
export const knownAddressKey = (account: string, address: string): string => `${account}|${address}`;
