/** The board's branding in memory (board20), for the in-memory app and tests: the database's rules, in short. */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { boardColour, boardColoursReadable, DEFAULT_BOARD_COLOURS } from '../models/BoardColours';
import type { BoardBranding, BoardBrandingRepository } from './BoardBrandingRepository';

type Stored = { bg: string | null; accent: string | null; logo: string | null };

export class InMemoryBoardBrandingRepository implements BoardBrandingRepository {
  private readonly rows = new Map<string, Stored>();
  constructor(private readonly isAdmin: (clinicId: string) => boolean) {}

  private view(clinicId: string): BoardBranding {
    const s = this.rows.get(clinicId) ?? { bg: null, accent: null, logo: null };
    return {
      bg: s.bg ?? DEFAULT_BOARD_COLOURS.bg,
      accent: s.accent ?? DEFAULT_BOARD_COLOURS.accent,
      logo: s.logo,
      custom: s.bg !== null || s.accent !== null || s.logo !== null,
    };
  }

  async branding(clinicId: string): Promise<Result<BoardBranding, AppError>> {
    return ok(this.view(clinicId));
  }

  async setColours(clinicId: string, bg: string | null, accent: string | null) {
    if (!this.isAdmin(clinicId)) return err(appError(ErrorCodes.AUTH_FORBIDDEN, 'owner or admin only'));
    const b = bg === null ? null : boardColour(bg);
    const a = accent === null ? null : boardColour(accent);
    if ((bg !== null && !b) || (accent !== null && !a))
      return err(appError(ErrorCodes.VALIDATION_FAILED, 'a colour is #rrggbb'));
    if (!boardColoursReadable(b ?? DEFAULT_BOARD_COLOURS.bg, a ?? DEFAULT_BOARD_COLOURS.accent))
      return err(appError(ErrorCodes.BOARD_LOW_CONTRAST, 'below 4.5:1'));
    const s = this.rows.get(clinicId) ?? { bg: null, accent: null, logo: null };
    this.rows.set(clinicId, { ...s, bg: b, accent: a });
    return ok(this.view(clinicId));
  }

  async setLogo(clinicId: string, base64: string | null) {
    if (!this.isAdmin(clinicId)) return err(appError(ErrorCodes.AUTH_FORBIDDEN, 'owner or admin only'));
    const type =
      base64 === null
        ? null
        : base64.startsWith('iVBORw0KGgo')
          ? 'png'
          : base64.startsWith('/9j/')
            ? 'jpeg'
            : base64.startsWith('UklGR')
              ? 'webp'
              : '';
    if (type === '') return err(appError(ErrorCodes.BOARD_LOGO_INVALID, 'PNG, JPEG or WebP only'));
    const s = this.rows.get(clinicId) ?? { bg: null, accent: null, logo: null };
    this.rows.set(clinicId, { ...s, logo: type ? `data:image/${type};base64,${base64}` : null });
    return ok(this.view(clinicId));
  }
}
