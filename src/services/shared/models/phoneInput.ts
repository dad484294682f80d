/**
 * What a person typed, before any phone parsing: Arabic-Indic (U+0660–0669) and Eastern Arabic (U+06F0–06F9)
 * digits → ASCII; exotic spaces → space. Its own module (no libphonenumber) so that light code — the sign-in
 * path in every screen's entry chunk — can use it without pulling the phone metadata into the tracker.
 */
export const normalizePhoneInput = (input: string): string =>
  input
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u00A0\u2007\u202F\u200E\u200F\t]/g, ' ')
    .trim();

/**
 * A phone as GoTrue expects it (E.164 digits, no '+'). Moroccan numbers are usually typed the local way
 * (06 12 34 56 78) or with 00: both become 2126…, so a patient always reaches the same account. The forms
 * validate with the full parser (readPhoneField) first; GoTrue answers the rest.
 */
export function toE164Digits(input: string): string {
  let d = normalizePhoneInput(input).replace(/\D/g, '');
  if (d.startsWith('00')) d = d.slice(2);
  if (/^0[5-7]\d{8}$/.test(d)) d = `212${d.slice(1)}`;
  return d;
}
