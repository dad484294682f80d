// A copy of src/services/notification/models/SmsSegments.ts (edge functions deploy without src/);
// segments_parity.test.ts fails if the two ever disagree.
/**
 * How many SMS segments a text costs (GSM 03.38 / 3GPP TS 23.038).
 *
 * - A text made only of GSM-7 characters is sent in GSM-7: 160 septets in a single SMS, 153 per segment
 *   once it is split (the user-data header takes 7). Characters of the extension table (`^ { } \ [ ~ ] | €`
 *   and form feed) are sent as ESC + char and count 2; such a pair is never split across segments.
 * - Anything else (Arabic, `ê`, `ç`, curly quotes, emoji …) switches the whole message to UCS-2:
 *   70 UTF-16 code units in a single SMS, 67 per segment when split. Characters outside the BMP (emoji)
 *   take two code units and are never split across segments.
 *
 * An empty text is 0 segments (there is nothing to send).
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegmentInfo {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text needs. */
  readonly units: number;
  readonly segments: number;
  /** Capacity of one segment for this message: 160/153 (GSM-7) or 70/67 (UCS-2). */
  readonly unitsPerSegment: number;
  /** Units still free in the last segment before another one is needed. */
  readonly remainingInLastSegment: number;
}

export const GSM7_SINGLE = 160;
export const GSM7_CONCAT = 153;
export const UCS2_SINGLE = 70;
export const UCS2_CONCAT = 67;

const GSM7_BASIC = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);
const GSM7_EXTENSION = new Set(Array.from('\f^{}\\[~]|€'));

/** Whether the whole text can be sent in the GSM-7 alphabet (basic + extension table). */
export const isGsm7 = (text: string): boolean => {
  for (const ch of text) if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) return false;
  return true;
};

/** Characters of the text that force UCS-2 (useful to tell an admin why a template costs more). */
export const nonGsm7Characters = (text: string): string[] => {
  const found = new Set<string>();
  for (const ch of text) if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) found.add(ch);
  return [...found];
};

/** Greedy packing of indivisible items of the given sizes into segments of `capacity` units. */
const pack = (sizes: readonly number[], capacity: number): { segments: number; lastFill: number } => {
  let segments = 1;
  let fill = 0;
  for (const size of sizes) {
    if (fill + size > capacity) {
      segments += 1;
      fill = 0;
    }
    fill += size;
  }
  return { segments, lastFill: fill };
};

export const smsSegments = (text: string): SmsSegmentInfo => {
  const chars = Array.from(text); // code points: a surrogate pair stays together
  const gsm = isGsm7(text);
  const sizes = gsm ? chars.map((c) => (GSM7_EXTENSION.has(c) ? 2 : 1)) : chars.map((c) => c.length);
  const units = sizes.reduce((a, b) => a + b, 0);
  const single = gsm ? GSM7_SINGLE : UCS2_SINGLE;
  const concat = gsm ? GSM7_CONCAT : UCS2_CONCAT;
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  if (units === 0) {
    return { encoding, units, segments: 0, unitsPerSegment: single, remainingInLastSegment: single };
  }
  if (units <= single) {
    return { encoding, units, segments: 1, unitsPerSegment: single, remainingInLastSegment: single - units };
  }
  const { segments, lastFill } = pack(sizes, concat);
  return { encoding, units, segments, unitsPerSegment: concat, remainingInLastSegment: concat - lastFill };
};

/**
 * What a text costs: segments × price of one segment. Give the price in minor units (centimes) so the
 * result is an exact integer; a negative or non-finite price is a bug and throws.
 */
export const smsCost = (text: string, unitPrice: number): { segments: number; cost: number } => {
  if (!Number.isFinite(unitPrice) || unitPrice < 0)
    throw new RangeError('unitPrice must be a finite number ≥ 0');
  const { segments } = smsSegments(text);
  return { segments, cost: segments * unitPrice };
};
