/**
 * The deployment's SMS destination countries as the in-memory fakes mirror them (sec22a). The real list is the
 * database's (private.sms_countries, read by private.sms_country_allowed; default 212 = Morocco): a number
 * outside it is refused where it is stored (422 PHONE.COUNTRY_NOT_ALLOWED) and never texted. The browser never
 * decides this — the fakes only answer what the database would for the default list.
 */
import { appError, ErrorCodes, type AppError } from './AppError';

/** Country calling codes (no "+"), the database's default rows. */
export const DEFAULT_SMS_CALLING_CODES: readonly string[] = ['212'];

/**
 * As private.sms_country_listed (where a number is stored: private.phone_country_check): strict E.164 whose calling
 * code is listed (calling codes are prefix-free); a +212 number is +212, then 5–8, then 8 digits (sec24a, review24
 * L2: private.is_e164). Sending is the database's: it texts only Moroccan mobiles (private.sms_country_allowed).
 */
export function smsCountryAllowed(
  e164: string,
  codes: readonly string[] = DEFAULT_SMS_CALLING_CODES,
): boolean {
  // review23 L6: +2120… is no number (private.is_e164: the trunk 0 is dropped after +212)
  return (
    /^\+[1-9][0-9]{6,14}$/.test(e164) &&
    !e164.startsWith('+2120') &&
    (!e164.startsWith('+212') || /^\+212[5-8][0-9]{8}$/.test(e164)) &&
    codes.some((c) => e164.startsWith(`+${c}`))
  );
}

/** The database's refusal of a number outside the list. */
export const phoneCountryNotAllowed = (): AppError =>
  appError(
    ErrorCodes.PHONE_COUNTRY_NOT_ALLOWED,
    'SMS can only be sent to the countries this deployment allows',
  );
