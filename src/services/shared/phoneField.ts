/**
 * The one rule for an optional phone field in every form (staff invitation, walk-in, emergency, …): blank
 * means "no phone"; anything else must be a number `PhoneNumber.create` accepts (06…/07…, +212…, 00212…,
 * Arabic-Indic digits, spaces/dashes/dots), and is handed on in E.164. Forms used to pass the raw text on,
 * so each backend path applied its own rule (the invite RPC refused `0612000111`, walk-in accepted it).
 */
import { PhoneNumber } from './models/PhoneNumber';
import { ok } from './Result';
import type { Result } from './Result';

/** `ok(null)` for a blank field, `ok('+212…')` for a valid number, `err(PHONE.INVALID)` otherwise. */
export function readPhoneField(input: string): Result<string | null> {
  if (input.trim() === '') return ok(null);
  const parsed = PhoneNumber.create(input);
  return parsed.ok ? ok(parsed.value.e164) : parsed;
}
