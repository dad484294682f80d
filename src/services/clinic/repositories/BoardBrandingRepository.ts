/** The board's branding port (board20): the clinic's board colours and logo; the database judges rights and rules. */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';

export interface BoardBranding {
  readonly bg: string;
  readonly accent: string;
  /** a data: URL of the PNG, JPEG or WebP the database recognised, or null */
  readonly logo: string | null;
  /** whether the clinic set anything (else the board's own look) */
  readonly custom: boolean;
}

export interface BoardBrandingRepository {
  branding(clinicId: string): Promise<Result<BoardBranding, AppError>>;
  /** null: the board's default for that colour */
  setColours(
    clinicId: string,
    bg: string | null,
    accent: string | null,
  ): Promise<Result<BoardBranding, AppError>>;
  /** base64 of the image's bytes; null removes the logo */
  setLogo(clinicId: string, base64: string | null): Promise<Result<BoardBranding, AppError>>;
}
