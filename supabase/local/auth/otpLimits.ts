/**
 * How many SMS codes the auth service sends (SMS pumping: every code is a paid SMS, and an attacker earns from
 * the numbers they make us text). Three limits, all in the database (auth.rate_limits, hashed keys: no phone
 * number or address is stored), so several stack processes on one PostgreSQL count together:
 *
 * - per client address + phone (`otpLimit`, 5 per 15 min): one person asking their own code again and again;
 * - per phone, whichever address asks (`otpPhoneLimit`, 5 per hour): one number texted from many addresses;
 * - per client address, different phones (`otpIpPhonesLimit`, 20 per hour): one client texting many numbers
 *   (the attack report: one address asked codes for 30 phones). Asking again for a phone already counted in
 *   the window does not count again, so a waiting room on the clinic's Wi-Fi (one address) is limited by
 *   patients, not by retries.
 *
 * Each refusal is GoTrue's: 429 with error_code `over_sms_send_rate_limit` (supabase-js' AuthApiError code)
 * and Retry-After. `now` is injectable (tests pin it; the stack passes the process clock).
 */
import type { Db } from '../db/types.js';
import { DbRateLimiter, type LimitAnswer, type RateLimit } from '../rateLimit.js';

export interface OtpLimitOptions {
  otpLimit: RateLimit;
  otpPhoneLimit: RateLimit;
  otpIpPhonesLimit: RateLimit;
}

// The limits come from the environment through ../limitsEnv.ts (limitsFromEnv: QUEUEMED_OTP_PHONE_MAX,
// QUEUEMED_OTP_IP_PHONES_MAX, QUEUEMED_OTP_WINDOW_SECONDS; the older OTP_* names are aliases).

export type OtpLimitAnswer =
  { ok: true } | { ok: false; limit: 'ip_phone' | 'phone' | 'ip_phones'; retryAfterSeconds: number };

export class OtpSendLimits {
  private readonly perIpPhone: DbRateLimiter;
  private readonly perPhone: DbRateLimiter;
  private readonly perIp: DbRateLimiter;
  /** (address, phone) pairs already counted in the address's current window, marked until that window ends. */
  private readonly counted: DbRateLimiter;

  constructor(db: Db, options: OtpLimitOptions, now: () => number = Date.now) {
    // scope 'otp' keeps the keys of the limit this one grew from (counts survive an upgrade)
    this.perIpPhone = new DbRateLimiter(db, 'otp', options.otpLimit, now);
    this.perPhone = new DbRateLimiter(db, 'otp_phone', options.otpPhoneLimit, now);
    this.perIp = new DbRateLimiter(db, 'otp_ip_phones', options.otpIpPhonesLimit, now);
    this.counted = new DbRateLimiter(db, 'otp_ip_phone_counted', options.otpIpPhonesLimit, now);
  }

  /**
   * Counts one code asked for `identifier` (a phone's digits; an email change code counts per address +
   * identifier only) by client address `ip`; `ok` false when a limit is over (nothing is sent then).
   */
  async take(ip: string, identifier: string, isPhone: boolean): Promise<OtpLimitAnswer> {
    const refused = (limit: 'ip_phone' | 'phone' | 'ip_phones', a: LimitAnswer): OtpLimitAnswer => ({
      ok: false,
      limit,
      retryAfterSeconds: a.retryAfterSeconds,
    });
    const own = await this.perIpPhone.take(`${ip}|${identifier}`);
    if (!own.ok) return refused('ip_phone', own);
    if (!isPhone) return { ok: true };
    const phone = await this.perPhone.take(identifier);
    if (!phone.ok) return refused('phone', phone);
    const pair = `${ip}|${identifier}`;
    if (await this.counted.active(pair)) return { ok: true };
    const address = await this.perIp.take(ip);
    if (!address.ok) return refused('ip_phones', address);
    // this phone counts once in the address's window: asking again for it is not another phone
    await this.counted.mark(pair, address.resetAtMs);
    return { ok: true };
  }
}
