/**
 * secmisc18: one parser for every abuse limit `npm start` reads (supabase/local/limitsEnv.ts). Before, the SMS-code
 * limits refused a bad value while the sign-up and sign-in limits silently kept their default; now every bad value
 * stops the start with an error naming the variable, and the older names keep working as aliases.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_OPTIONS } from '../../supabase/local/auth/gotrue';
import { envWholeNumber, limitsFromEnv } from '../../supabase/local/limitsEnv';

const HOUR = 3_600_000;
const read = (env: Record<string, string>) => limitsFromEnv(env, DEFAULT_AUTH_OPTIONS);

describe('limitsFromEnv', () => {
  it('defaults: codes 5/phone and 20 phones/address an hour, 30 sign-ups an hour, 60 failures an address and 10 an account in 15 min, 300 bookings an hour, 60 anonymous API calls a minute', () => {
    expect(read({})).toEqual({
      otpPhoneLimit: { max: 5, windowMs: HOUR },
      otpIpPhonesLimit: { max: 20, windowMs: HOUR },
      signupLimit: { max: 30, windowMs: HOUR },
      signInIpLimit: { max: 60, windowMs: 900_000 },
      signInAccountLimit: { max: 10, windowMs: 900_000 },
      bookingIpLimit: { max: 300, windowMs: HOUR },
      publicApiIpLimit: { max: 60, windowMs: 60_000 },
      trackerPageIpLimit: { max: 60, windowMs: 60_000 },
      trackerViewIpLimit: { max: 1200, windowMs: 60_000 },
      realtimeLimits: { socketsPerAddress: 100, joinsPerSocket: { max: 60, windowMs: 60_000 } },
    });
  });

  it('one scheme: QUEUEMED_<LIMIT>_MAX and QUEUEMED_<LIMIT>_WINDOW_SECONDS', () => {
    expect(
      read({
        QUEUEMED_OTP_PHONE_MAX: '3',
        QUEUEMED_OTP_IP_PHONES_MAX: '50',
        QUEUEMED_OTP_WINDOW_SECONDS: '600',
        QUEUEMED_SIGNUP_IP_MAX: '10',
        QUEUEMED_SIGNUP_IP_WINDOW_SECONDS: '60',
        QUEUEMED_SIGNIN_IP_MAX: '12',
        QUEUEMED_SIGNIN_IP_WINDOW_SECONDS: '60',
        QUEUEMED_SIGNIN_ACCOUNT_MAX: '5',
        QUEUEMED_SIGNIN_ACCOUNT_WINDOW_SECONDS: '300',
        QUEUEMED_BOOKING_IP_MAX: '40',
        QUEUEMED_BOOKING_IP_WINDOW_SECONDS: '1800',
        QUEUEMED_PUBLIC_API_IP_MAX: '90',
        QUEUEMED_PUBLIC_API_IP_WINDOW_SECONDS: '120',
        QUEUEMED_TRACKER_PAGE_IP_MAX: '240',
        QUEUEMED_TRACKER_PAGE_IP_WINDOW_SECONDS: '30',
        QUEUEMED_TRACKER_VIEW_IP_MAX: '3000',
        QUEUEMED_TRACKER_VIEW_IP_WINDOW_SECONDS: '90',
        QUEUEMED_REALTIME_IP_SOCKETS_MAX: '20',
        QUEUEMED_REALTIME_JOINS_MAX: '30',
        QUEUEMED_REALTIME_JOINS_WINDOW_SECONDS: '10',
      }),
    ).toEqual({
      otpPhoneLimit: { max: 3, windowMs: 600_000 },
      otpIpPhonesLimit: { max: 50, windowMs: 600_000 },
      signupLimit: { max: 10, windowMs: 60_000 },
      signInIpLimit: { max: 12, windowMs: 60_000 },
      signInAccountLimit: { max: 5, windowMs: 300_000 },
      bookingIpLimit: { max: 40, windowMs: 1_800_000 },
      publicApiIpLimit: { max: 90, windowMs: 120_000 },
      trackerPageIpLimit: { max: 240, windowMs: 30_000 },
      trackerViewIpLimit: { max: 3000, windowMs: 90_000 },
      realtimeLimits: { socketsPerAddress: 20, joinsPerSocket: { max: 30, windowMs: 10_000 } },
    });
  });

  it('the older names still work (OTP_*, AUTH_SIGNUP_LIMIT_PER_HOUR, QUEUEMED_SIGNIN_IP_FAILURES)', () => {
    expect(
      read({
        OTP_PER_PHONE_MAX: '3',
        OTP_PHONES_PER_IP_MAX: '500',
        OTP_LIMIT_WINDOW_S: '600',
        AUTH_SIGNUP_LIMIT_PER_HOUR: '1000',
        QUEUEMED_SIGNIN_IP_FAILURES: '8',
      }),
    ).toMatchObject({
      otpPhoneLimit: { max: 3, windowMs: 600_000 },
      otpIpPhonesLimit: { max: 500, windowMs: 600_000 },
      signupLimit: { max: 1000, windowMs: HOUR },
      signInIpLimit: { max: 8, windowMs: 900_000 },
    });
    // an old and a new name that agree are fine; that disagree stop the start naming both
    expect(read({ QUEUEMED_SIGNIN_IP_MAX: '8', QUEUEMED_SIGNIN_IP_FAILURES: '8' }).signInIpLimit.max).toBe(8);
    expect(() => read({ QUEUEMED_SIGNIN_IP_MAX: '8', QUEUEMED_SIGNIN_IP_FAILURES: '9' })).toThrow(
      /QUEUEMED_SIGNIN_IP_MAX.*QUEUEMED_SIGNIN_IP_FAILURES/,
    );
  });

  it('0 turns off only the limits that may be off (sign-ups, bookings)', () => {
    expect(read({ AUTH_SIGNUP_LIMIT_PER_HOUR: '0' }).signupLimit).toBeNull();
    expect(read({ QUEUEMED_BOOKING_IP_MAX: '0' }).bookingIpLimit).toBeNull();
    expect(() => read({ QUEUEMED_SIGNIN_IP_MAX: '0' })).toThrow(/QUEUEMED_SIGNIN_IP_MAX/);
    // sec20: the per-account lock cannot be turned off
    expect(() => read({ QUEUEMED_SIGNIN_ACCOUNT_MAX: '0' })).toThrow(/QUEUEMED_SIGNIN_ACCOUNT_MAX/);
    expect(() => read({ OTP_PER_PHONE_MAX: '0' })).toThrow(/OTP_PER_PHONE_MAX/);
    // sec25: the tracker's limits cannot be turned off either (a render or a status read is anyone's)
    expect(() => read({ QUEUEMED_TRACKER_PAGE_IP_MAX: '0' })).toThrow(
      /^QUEUEMED_TRACKER_PAGE_IP_MAX must be/,
    );
    expect(() => read({ QUEUEMED_TRACKER_VIEW_IP_MAX: '0' })).toThrow(
      /^QUEUEMED_TRACKER_VIEW_IP_MAX must be/,
    );
  });

  it('a bad value stops the start with the variable’s name — never a silent default', () => {
    const vars = [
      'QUEUEMED_OTP_PHONE_MAX',
      'OTP_PER_PHONE_MAX',
      'QUEUEMED_OTP_IP_PHONES_MAX',
      'OTP_PHONES_PER_IP_MAX',
      'QUEUEMED_OTP_WINDOW_SECONDS',
      'OTP_LIMIT_WINDOW_S',
      'QUEUEMED_SIGNUP_IP_MAX',
      'AUTH_SIGNUP_LIMIT_PER_HOUR',
      'QUEUEMED_SIGNUP_IP_WINDOW_SECONDS',
      'QUEUEMED_SIGNIN_IP_MAX',
      'QUEUEMED_SIGNIN_IP_FAILURES',
      'QUEUEMED_SIGNIN_IP_WINDOW_SECONDS',
      'QUEUEMED_SIGNIN_ACCOUNT_MAX',
      'QUEUEMED_SIGNIN_ACCOUNT_WINDOW_SECONDS',
      'QUEUEMED_BOOKING_IP_MAX',
      'QUEUEMED_BOOKING_IP_WINDOW_SECONDS',
      'QUEUEMED_PUBLIC_API_IP_MAX',
      'QUEUEMED_PUBLIC_API_IP_WINDOW_SECONDS',
      'QUEUEMED_TRACKER_PAGE_IP_MAX',
      'QUEUEMED_TRACKER_PAGE_IP_WINDOW_SECONDS',
      'QUEUEMED_TRACKER_VIEW_IP_MAX',
      'QUEUEMED_TRACKER_VIEW_IP_WINDOW_SECONDS',
      'QUEUEMED_REALTIME_IP_SOCKETS_MAX',
      'QUEUEMED_REALTIME_JOINS_MAX',
      'QUEUEMED_REALTIME_JOINS_WINDOW_SECONDS',
    ];
    for (const name of vars)
      for (const bad of ['-1', '2.5', 'ten', '6O', '1e3', '0x10', '+5', '99999999999'])
        expect(() => read({ [name]: bad }), `${name}=${bad}`).toThrow(
          new RegExp(`^${name} must be a whole number`),
        );
    // a window of 0 seconds is no window
    expect(() => read({ QUEUEMED_BOOKING_IP_WINDOW_SECONDS: '0' })).toThrow(
      /QUEUEMED_BOOKING_IP_WINDOW_SECONDS/,
    );
  });

  it('envWholeNumber: blank is unset; surrounding spaces are allowed', () => {
    expect(envWholeNumber({ X: '  ' }, 'X', 7)).toBe(7);
    expect(envWholeNumber({ X: ' 12 ' }, 'X', 7)).toBe(12);
  });
});
