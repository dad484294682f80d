/**
 * The one rule for an optional phone field in every form (staff invitation, walk-in, emergency, …): blank
 * means "no phone"; anything else must be a number `PhoneNumber.create` accepts (06…/07…, +212…, 00212…,
 * Arabic-Indic digits, spaces/dashes/dots), and is handed on in E.164. Forms used to pass the raw text on,
 * so each backend path applied its own rule (the invite RPC refused `0612000111`, walk-in accepted it).
 *
 * Asynchronous: the full parser (libphonenumber-js) is loaded on the first non-blank field, not with the
 * screen (issue 14). Forms may call `preloadPhoneField()` when they open.
 */
import { loadPhoneNumber } from './loadPhoneNumber';
import { ok } from './Result';
import type { Result } from './Result';

/** `ok(null)` for a blank field, `ok('+212…')` for a valid number, `err(PHONE.INVALID)` otherwise. */
export async function readPhoneField(input: string): Promise<Result<string | null>> {
  if (input.trim() === '') return ok(null);
  const { PhoneNumber } = await loadPhoneNumber();
  const parsed = PhoneNumber.create(input);
  return parsed.ok ? ok(parsed.value.e164) : parsed;
}

/** Starts fetching the parser (a form with a phone field has opened); errors surface on submit. */
export function preloadPhoneField(): void {
  loadPhoneNumber().catch(() => undefined);
}
