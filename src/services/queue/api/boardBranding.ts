/**
 * The board's branding as the public board reads it (board20), in its own module: only the board loads it, after its
 * first render (the tracker and the board's first paint stay within their budgets).
 */
import * as z from '../../shared/lightSchema';

const hex = z.refine(z.string(), (v) => /^#[0-9a-f]{6}$/.test(v), 'Invalid colour');
/**
 * The board's branding (`get_board_branding`, board20): colours the database let through (WCAG AA on the board) and
 * the logo as a data: URL of a PNG, JPEG or WebP the database recognised by its bytes — never another origin's URL.
 */
export const BoardBrandingSchema = z.object({
  bg: hex,
  accent: hex,
  logo: z.nullable(
    z.refine(
      z.string(),
      (v) => /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/.test(v),
      'Invalid logo',
    ),
  ),
  custom: z.boolean(),
});
export type BoardBranding = z.Infer<typeof BoardBrandingSchema>;
