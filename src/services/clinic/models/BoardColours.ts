/**
 * boardColoursReadable (board20, docs/domain-rules.md): the board's background and accent colours are readable when
 * every text the board draws with them keeps WCAG AA's 4.5:1 — white text (also at 80 % and 70 % opacity) on the
 * background and on its 5 % and 10 % white cards, the background colour as text on the white "now serving" card, the
 * accent on the background and both cards. Colours are mixed as a browser composites them (in sRGB). The same rule
 * as private.board_min_contrast (20261220300001_board_branding.sql), which decides; this one tells the owner first.
 *
 * feat21b (issue 17 leftovers): the "Next" column's notices are boards' text too — the paused box (white on Tailwind's
 * amber-400 at 20 % over the column's 5 % white card) and the intake-closed box (white on a 10 % white box inside that
 * card) — and so are the cards that sit INSIDE a column (the serving cards after the first, the next tickets: 10 %
 * white over the column's 5 %, the same surface as the intake-closed box) with their 80 % white names and the accent
 * "Room" label (20261221600002_board_contrast_boxes.sql).
 */
export const HEX_COLOUR = /^#[0-9a-f]{6}$/;
export const DEFAULT_BOARD_COLOURS = Object.freeze({ bg: '#0e463f', accent: '#a7f3d0' });
export const MIN_BOARD_CONTRAST = 4.5;
/** Tailwind's amber-400 as the built stylesheet composites it (`bg-amber-400/20`: #fcbb00 at 20 %), the paused box. */
export const BOARD_PAUSE_AMBER = '#fcbb00';
export const BOARD_PAUSE_AMBER_ALPHA = 0.2;

type Rgb = readonly [number, number, number];
const WHITE: Rgb = [255, 255, 255];
const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
const over = (top: Rgb, under: Rgb, alpha: number): Rgb =>
  under.map((u, i) => u + (top[i]! - u) * alpha) as unknown as Rgb;
const luminance = (c: Rgb): number => {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: Rgb, b: Rgb): number => {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};

/** A colour as the board stores it (#rrggbb, lower case), or null when it is not one. */
export function boardColour(input: string): string | null {
  const v = input.trim().toLowerCase();
  return HEX_COLOUR.test(v) ? v : null;
}

/** The lowest contrast of any text the board draws with these colours (#rrggbb each). */
export function boardMinContrast(bg: string, accent: string): number {
  const b = rgb(bg);
  const a = rgb(accent);
  const card5 = over(WHITE, b, 0.05);
  const card10 = over(WHITE, b, 0.1);
  // a 10 % white card or box inside a column's 5 % card; the paused box: amber at 20 % over the column's card
  const nested = over(WHITE, card5, 0.1);
  const paused = over(rgb(BOARD_PAUSE_AMBER), card5, BOARD_PAUSE_AMBER_ALPHA);
  return Math.min(
    contrast(over(WHITE, b, 0.7), b),
    contrast(over(WHITE, card5, 0.8), card5),
    contrast(over(WHITE, card10, 0.8), card10),
    contrast(b, WHITE),
    contrast(a, b),
    contrast(a, card5),
    contrast(a, card10),
    contrast(WHITE, paused),
    contrast(WHITE, nested),
    contrast(over(WHITE, nested, 0.8), nested),
    contrast(a, nested),
  );
}

export const boardColoursReadable = (bg: string, accent: string): boolean =>
  boardMinContrast(bg, accent) >= MIN_BOARD_CONTRAST;
