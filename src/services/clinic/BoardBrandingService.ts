/**
 * BoardBrandingService (board20): the board's colours and logo, set in Admin by the clinic's owner or admin. Input is
 * checked here (colour format, the board's contrast rule, the logo's type and size) so the owner hears at once; the
 * database decides the same rules and who may (20261220300001_board_branding.sql). Loaded on first use
 * (services.boardBranding()), with the admin's board section only.
 */
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { err, type Result } from '../shared/Result';
import { boardColour, boardColoursReadable, DEFAULT_BOARD_COLOURS } from './models/BoardColours';
import type { BoardBranding, BoardBrandingRepository } from './repositories/BoardBrandingRepository';

export type { BoardBranding };
export const BOARD_LOGO_MAX_BYTES = 64 * 1024;
export const BOARD_LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) =>
  sig.every((b, i) => bytes[at + i] === b);
/** The image type by the file's own first bytes (as the database), or null: never trust the declared type. */
export function logoType(bytes: Uint8Array): (typeof BOARD_LOGO_TYPES)[number] | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  return null;
}

const base64Of = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

export class BoardBrandingService {
  constructor(private readonly repo: BoardBrandingRepository) {}

  branding(clinicId: string): Promise<Result<BoardBranding, AppError>> {
    return this.repo.branding(clinicId);
  }

  /** null (or '') for a colour: the board's default. */
  async setColours(
    clinicId: string,
    bg: string | null,
    accent: string | null,
  ): Promise<Result<BoardBranding, AppError>> {
    const b = bg?.trim() ? boardColour(bg) : null;
    const a = accent?.trim() ? boardColour(accent) : null;
    if ((bg?.trim() && !b) || (accent?.trim() && !a))
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'a colour is #rrggbb'));
    if (!boardColoursReadable(b ?? DEFAULT_BOARD_COLOURS.bg, a ?? DEFAULT_BOARD_COLOURS.accent))
      return err(appError(ErrorCodes.BOARD_LOW_CONTRAST, 'text on the board would be below 4.5:1'));
    return this.repo.setColours(clinicId, b, a);
  }

  /** The logo file's bytes (PNG, JPEG or WebP, ≤ 64 KiB); null removes it. */
  async setLogo(clinicId: string, bytes: Uint8Array | null): Promise<Result<BoardBranding, AppError>> {
    if (bytes === null) return this.repo.setLogo(clinicId, null);
    if (bytes.length > BOARD_LOGO_MAX_BYTES || bytes.length < 12 || !logoType(bytes))
      return err(appError(ErrorCodes.BOARD_LOGO_INVALID, 'a PNG, JPEG or WebP image of at most 64 KiB'));
    return this.repo.setLogo(clinicId, base64Of(bytes));
  }
}
