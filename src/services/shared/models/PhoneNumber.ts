/**
 * A phone number as QueueMed stores and sends it: validated with libphonenumber-js (full metadata, so
 * validation is by number plan, not only length), kept in E.164 (`+212612345678`), default region
 * Morocco. Built only through `PhoneNumber.create`; immutable.
 *
 * Privacy: the full number never belongs in a log. Use `masked()` (`+2126••••••78`) there. Errors never
 * echo the input either (it may be a real number).
 */
import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { CountryCode, NumberType } from 'libphonenumber-js/max';
import { appError, ErrorCodes } from '../AppError';
import type { AppError } from '../AppError';
import { err, ok } from '../Result';
import type { Result } from '../Result';
import { normalizePhoneInput } from './phoneInput';

export { normalizePhoneInput };

export type PhoneRegion = CountryCode;
export const DEFAULT_PHONE_REGION: PhoneRegion = 'MA';

/** Why a number was refused (in `error.details.reason`); the UI shows one translated PHONE.INVALID. */
export type PhoneInvalidReason =
  'empty' | 'invalid_characters' | 'not_a_number' | 'too_short' | 'too_long' | 'invalid_country' | 'invalid';

/** What a person may type: digits (ASCII, Arabic-Indic, Eastern Arabic), spaces, + . - ( ) and "/". */
const ALLOWED = /^\(?\+?[0-9 .\-()/]+$/;
/** A phone number, typed with generous spacing, is never longer than this; longer input is refused early. */
const MAX_INPUT_LENGTH = 40;

const MASK = '•';

const invalid = (reason: PhoneInvalidReason): AppError =>
  appError(ErrorCodes.PHONE_INVALID, `Not a valid phone number (${reason}).`, { reason });

export class PhoneNumber {
  private constructor(
    /** E.164, e.g. `+212612345678`. */
    readonly e164: string,
    /** ISO country of the number, e.g. `MA` (undefined for non-geographic numbers). */
    readonly country: PhoneRegion | undefined,
    readonly countryCallingCode: string,
    readonly nationalNumber: string,
    readonly type: NumberType,
  ) {
    Object.freeze(this);
  }

  /**
   * Accepts national (`0612345678`), international (`+212 6 12 34 56 78`) and `00`-prefixed
   * (`00212612345678`) forms, with spaces, dots, dashes or brackets, and Arabic-Indic digits.
   * Refuses anything else with `PHONE.INVALID` and a `reason`.
   */
  static create(input: string, defaultRegion: PhoneRegion = DEFAULT_PHONE_REGION): Result<PhoneNumber> {
    if (typeof input !== 'string') return err(invalid('not_a_number'));
    const text = normalizePhoneInput(input);
    if (text === '') return err(invalid('empty'));
    if (text.length > MAX_INPUT_LENGTH) return err(invalid('too_long'));
    if (!ALLOWED.test(text)) return err(invalid('invalid_characters'));
    if (!/[0-9]/.test(text)) return err(invalid('not_a_number'));

    // Separators carry no meaning; libphonenumber-js gets digits with an optional leading "+".
    const compact = text.replace(/[^\d+]/g, '');
    const lengthProblem = validatePhoneNumberLength(compact, defaultRegion);
    if (lengthProblem !== undefined) {
      const reason: PhoneInvalidReason =
        lengthProblem === 'TOO_SHORT'
          ? 'too_short'
          : lengthProblem === 'TOO_LONG'
            ? 'too_long'
            : lengthProblem === 'INVALID_COUNTRY'
              ? 'invalid_country'
              : lengthProblem === 'NOT_A_NUMBER'
                ? 'not_a_number'
                : 'invalid';
      return err(invalid(reason));
    }
    const parsed = parsePhoneNumberFromString(compact, defaultRegion);
    if (parsed === undefined || !parsed.isValid()) return err(invalid('invalid'));
    return ok(
      new PhoneNumber(
        parsed.number,
        parsed.country,
        parsed.countryCallingCode,
        parsed.nationalNumber,
        parsed.getType(),
      ),
    );
  }

  /** Whether an SMS can reach it (mobile, or a number the plan does not tell apart from a mobile). */
  get canReceiveSms(): boolean {
    return this.type === 'MOBILE' || this.type === 'FIXED_LINE_OR_MOBILE';
  }

  /**
   * For logs: country code, the first national digit and the last two, e.g. `+2126••••••78`.
   * Never enough to call the patient.
   */
  masked(): string {
    const national = this.nationalNumber;
    const hidden = Math.max(1, national.length - 3);
    return `+${this.countryCallingCode}${national.slice(0, 1)}${MASK.repeat(hidden)}${national.slice(-2)}`;
  }

  equals(other: PhoneNumber): boolean {
    return other.e164 === this.e164;
  }

  /** E.164. */
  toString(): string {
    return this.e164;
  }

  toJSON(): string {
    return this.e164;
  }
}
