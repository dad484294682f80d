/**
 * The local stack's abuse limits from the environment — one parser, one behaviour, one naming scheme
 * (secmisc18). Before, three parsers behaved three ways: the SMS-code limits refused a bad value, the sign-up and
 * sign-in ones silently fell back to their default (a typo in `QUEUEMED_SIGNIN_IP_FAILURES=6O` left the limit
 * at 60 without a word), and the names followed three schemes.
 *
 * Scheme: `QUEUEMED_<LIMIT>_MAX` (how many) and `QUEUEMED_<LIMIT>_WINDOW_SECONDS` (per how long). Every value is
 * a whole number; a limit that may be turned off takes 0 for "no limit". Anything else — a sign, a fraction, a
 * word, a value out of range, an old and a new name that disagree — stops `npm start` with an error naming the
 * variable. The older names stay as aliases (README, docs and deployments use them).
 *
 * | limit                                      | max variable (alias)                                   | window variable (alias)                                    | default      |
 * | ------------------------------------------ | ------------------------------------------------------ | ---------------------------------------------------------- | ------------ |
 * | SMS codes per phone                        | QUEUEMED_OTP_PHONE_MAX (OTP_PER_PHONE_MAX)             | QUEUEMED_OTP_WINDOW_SECONDS (OTP_LIMIT_WINDOW_S)           | 5 / hour     |
 * | different phones per client address       | QUEUEMED_OTP_IP_PHONES_MAX (OTP_PHONES_PER_IP_MAX)     | QUEUEMED_OTP_WINDOW_SECONDS (OTP_LIMIT_WINDOW_S)           | 20 / hour    |
 * | sign-ups per client address (0: off)       | QUEUEMED_SIGNUP_IP_MAX (AUTH_SIGNUP_LIMIT_PER_HOUR)    | QUEUEMED_SIGNUP_IP_WINDOW_SECONDS                          | 30 / hour    |
 * | failed password sign-ins per address       | QUEUEMED_SIGNIN_IP_MAX (QUEUEMED_SIGNIN_IP_FAILURES)   | QUEUEMED_SIGNIN_IP_WINDOW_SECONDS                          | 60 / 15 min  |
 * | failed password sign-ins per account       | QUEUEMED_SIGNIN_ACCOUNT_MAX                            | QUEUEMED_SIGNIN_ACCOUNT_WINDOW_SECONDS (the lock's bound)  | 10 / 15 min  |
 * | bookings per client address (0: off)       | QUEUEMED_BOOKING_IP_MAX                                | QUEUEMED_BOOKING_IP_WINDOW_SECONDS                         | 300 / hour   |
 * | anonymous public API calls per address     | QUEUEMED_PUBLIC_API_IP_MAX                             | QUEUEMED_PUBLIC_API_IP_WINDOW_SECONDS                      | 60 / minute  |
 * | tracker page renders (/t/<token>) per addr. | QUEUEMED_TRACKER_PAGE_IP_MAX                           | QUEUEMED_TRACKER_PAGE_IP_WINDOW_SECONDS                    | 60 / minute  |
 * | tracker token reads (TRACKER_VIEW_RPCS)    | QUEUEMED_TRACKER_VIEW_IP_MAX                           | QUEUEMED_TRACKER_VIEW_IP_WINDOW_SECONDS                    | 1200 / minute |
 * | open realtime sockets per address          | QUEUEMED_REALTIME_IP_SOCKETS_MAX                       | (at once, no window)                                       | 100          |
 * | realtime joins per socket                  | QUEUEMED_REALTIME_JOINS_MAX                            | QUEUEMED_REALTIME_JOINS_WINDOW_SECONDS                     | 60 / minute  |
 *
 * A client address is keyed as ../functions/_shared/clientAddress.ts says (an IPv6 address by its /64).
 */
import { DEFAULT_SIGN_IN_ACCOUNT_LIMIT, DEFAULT_SIGN_IN_IP_LIMIT } from './auth/sprayLimit.js';
import { DEFAULT_PUBLIC_API_IP_LIMIT } from './publicApiLimit.js';
import { DEFAULT_REALTIME_LIMITS, type RealtimeLimits } from './realtime/server.js';
import type { RateLimit } from './rateLimit.js';

type Env = Readonly<Record<string, string | undefined>>;

const MAX_VALUE = 1_000_000;
const MAX_WINDOW_SECONDS = 31 * 24 * 3600;

/** One whole-number variable (or its alias); `min` 0 allows "off". Refuses anything else with the name. */
export function envWholeNumber(
  env: Env,
  name: string,
  fallback: number,
  opts: { min?: number; max?: number; alias?: string } = {},
): number {
  const min = opts.min ?? 1;
  const max = opts.max ?? MAX_VALUE;
  const read = (n: string | undefined) => (n === undefined ? '' : (env[n] ?? '').trim());
  const own = read(name);
  const old = read(opts.alias);
  if (own !== '' && old !== '' && own !== old) {
    throw new Error(
      `${name}=${JSON.stringify(own)} and its older name ${opts.alias ?? ''}=${JSON.stringify(old)} disagree: set only ${name}`,
    );
  }
  const raw = own !== '' ? own : old;
  const used = own !== '' ? name : (opts.alias ?? name);
  if (raw === '') return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const off = min === 0 ? ' (0: no limit)' : '';
    throw new Error(`${used} must be a whole number from ${min} to ${max}${off}, not ${JSON.stringify(raw)}`);
  }
  return n;
}

/** A limit's `_MAX` and `_WINDOW_SECONDS` pair; `null` when it may be turned off and is (max 0). */
export function envRateLimit(
  env: Env,
  spec: {
    name: string;
    defaults: RateLimit;
    maxAlias?: string;
    windowAlias?: string;
    /** The window variable when it is not `<name>_WINDOW_SECONDS` (several limits sharing one window). */
    windowName?: string;
    /** 0 turns the limit off. */
    canTurnOff?: boolean;
  },
): RateLimit | null {
  const max = envWholeNumber(env, `${spec.name}_MAX`, spec.defaults.max, {
    min: spec.canTurnOff ? 0 : 1,
    ...(spec.maxAlias ? { alias: spec.maxAlias } : {}),
  });
  const windowS = envWholeNumber(
    env,
    spec.windowName ?? `${spec.name}_WINDOW_SECONDS`,
    Math.round(spec.defaults.windowMs / 1000),
    { max: MAX_WINDOW_SECONDS, ...(spec.windowAlias ? { alias: spec.windowAlias } : {}) },
  );
  return max === 0 ? null : { max, windowMs: windowS * 1000 };
}

/** A limit that cannot be turned off. */
const required = (limit: RateLimit | null): RateLimit => {
  if (!limit) throw new Error('unreachable: a required limit is never off');
  return limit;
};

export const DEFAULT_SIGNUP_IP_LIMIT: RateLimit = { max: 30, windowMs: 3_600_000 };
/**
 * Bookings (book_appointment, book_fluid_place, join_queue_remotely) per client address: high, because a
 * clinic's Wi-Fi or a mobile operator's NAT puts many patients behind one address; a farm of confirmed phones
 * behind one address meets it.
 */
export const DEFAULT_BOOKING_IP_LIMIT: RateLimit = { max: 300, windowMs: 3_600_000 };

/**
 * sec25: the tracker's status reads (get_tracker_view, anon with a visit token) per client address, in their own
 * counter (scope tracker_view_ip): a token guesser meets it, a waiting room does not — about 100 phones behind one
 * NAT address each reading once per queue change and once on every reconnect or return to the screen (a Wi-Fi blip
 * is 100 reads at once), so 100 phones × one read every 5 s.
 */
export const DEFAULT_TRACKER_VIEW_IP_LIMIT: RateLimit = { max: 1200, windowMs: 60_000 };

export interface LimitsFromEnv {
  otpPhoneLimit: RateLimit;
  otpIpPhonesLimit: RateLimit;
  signupLimit: RateLimit | null;
  signInIpLimit: RateLimit;
  signInAccountLimit: RateLimit;
  bookingIpLimit: RateLimit | null;
  publicApiIpLimit: RateLimit;
  /** sec25: the tracker's server renders (GET /t/<token>, scope tracker_page_ip); default the public API's figures */
  trackerPageIpLimit: RateLimit;
  /** sec25: the tracker's status reads (get_tracker_view, scope tracker_view_ip) */
  trackerViewIpLimit: RateLimit;
  realtimeLimits: RealtimeLimits;
}

/** Every limit `npm start` reads; throws (stopping the start) on the first bad value, naming it. */
export function limitsFromEnv(
  env: Env,
  otpDefaults: { otpPhoneLimit: RateLimit; otpIpPhonesLimit: RateLimit },
): LimitsFromEnv {
  const otpWindow = { windowName: 'QUEUEMED_OTP_WINDOW_SECONDS', windowAlias: 'OTP_LIMIT_WINDOW_S' };
  return {
    otpPhoneLimit: required(
      envRateLimit(env, {
        name: 'QUEUEMED_OTP_PHONE',
        defaults: otpDefaults.otpPhoneLimit,
        maxAlias: 'OTP_PER_PHONE_MAX',
        ...otpWindow,
      }),
    ),
    otpIpPhonesLimit: required(
      envRateLimit(env, {
        name: 'QUEUEMED_OTP_IP_PHONES',
        defaults: otpDefaults.otpIpPhonesLimit,
        maxAlias: 'OTP_PHONES_PER_IP_MAX',
        ...otpWindow,
      }),
    ),
    signupLimit: envRateLimit(env, {
      name: 'QUEUEMED_SIGNUP_IP',
      defaults: DEFAULT_SIGNUP_IP_LIMIT,
      maxAlias: 'AUTH_SIGNUP_LIMIT_PER_HOUR',
      canTurnOff: true,
    }),
    signInIpLimit: required(
      envRateLimit(env, {
        name: 'QUEUEMED_SIGNIN_IP',
        defaults: DEFAULT_SIGN_IN_IP_LIMIT,
        maxAlias: 'QUEUEMED_SIGNIN_IP_FAILURES',
      }),
    ),
    // sec20: the per-account lock (auth/sprayLimit.ts); its window is how long a lock can last at most
    signInAccountLimit: required(
      envRateLimit(env, { name: 'QUEUEMED_SIGNIN_ACCOUNT', defaults: DEFAULT_SIGN_IN_ACCOUNT_LIMIT }),
    ),
    bookingIpLimit: envRateLimit(env, {
      name: 'QUEUEMED_BOOKING_IP',
      defaults: DEFAULT_BOOKING_IP_LIMIT,
      canTurnOff: true,
    }),
    publicApiIpLimit: required(
      envRateLimit(env, { name: 'QUEUEMED_PUBLIC_API_IP', defaults: DEFAULT_PUBLIC_API_IP_LIMIT }),
    ),
    trackerPageIpLimit: required(
      envRateLimit(env, { name: 'QUEUEMED_TRACKER_PAGE_IP', defaults: DEFAULT_PUBLIC_API_IP_LIMIT }),
    ),
    trackerViewIpLimit: required(
      envRateLimit(env, { name: 'QUEUEMED_TRACKER_VIEW_IP', defaults: DEFAULT_TRACKER_VIEW_IP_LIMIT }),
    ),
    realtimeLimits: {
      socketsPerAddress: envWholeNumber(
        env,
        'QUEUEMED_REALTIME_IP_SOCKETS_MAX',
        DEFAULT_REALTIME_LIMITS.socketsPerAddress,
      ),
      joinsPerSocket: required(
        envRateLimit(env, {
          name: 'QUEUEMED_REALTIME_JOINS',
          defaults: DEFAULT_REALTIME_LIMITS.joinsPerSocket,
        }),
      ),
    },
  };
}
