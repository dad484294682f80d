import { describe, expect, it } from 'vitest';
import { boardColour, boardColoursReadable, boardMinContrast, DEFAULT_BOARD_COLOURS } from './BoardColours';

describe('boardColoursReadable (board20)', () => {
  it('the default board is readable; the pairs the database refuses are refused here too', () => {
    expect(boardColoursReadable(DEFAULT_BOARD_COLOURS.bg, DEFAULT_BOARD_COLOURS.accent)).toBe(true);
    expect(boardColoursReadable('#1e3a8a', '#fde68a')).toBe(true);
    // the same pairs as boardBranding.test (the database's rule)
    for (const [bg, accent] of [
      ['#ffffff', '#000000'],
      ['#0e463f', '#0b6a5d'],
      ['#1d4ed8', '#bfdbfe'],
      ['#777777', DEFAULT_BOARD_COLOURS.accent],
    ] as const)
      expect(boardColoursReadable(bg, accent), `${bg} ${accent}`).toBe(false);
  });

  it('figures: the lowest contrast, to two decimals, as private.board_min_contrast computes it', () => {
    // feat21b: the nested cards (10 % white inside a column's 5 %) are the lowest surface of the default board
    expect(boardMinContrast('#0e463f', '#a7f3d0').toFixed(2)).toBe('5.20');
    expect(boardMinContrast('#1d4ed8', '#bfdbfe').toFixed(2)).toBe('3.50');
    expect(boardMinContrast('#ffffff', '#000000')).toBe(1);
  });

  it('the Next column’s notices and the cards inside a column count (feat21b): a pair readable only elsewhere is refused', () => {
    // Tailwind's blue-800 with blue-200: 4.81:1 on every surface board20 checked, 4.29:1 for the accent "Room" label on
    // the serving cards after the first — the 10 % white surface inside the column, as the intake-closed box
    expect(boardColoursReadable('#1e40af', '#bfdbfe')).toBe(false);
    expect(boardMinContrast('#1e40af', '#bfdbfe').toFixed(2)).toBe('4.29');
    expect(boardColoursReadable('#14532d', '#86efac')).toBe(false);
    // white on the paused (amber) and intake-closed boxes never goes below white at 70 % on the background: a
    // background that passes that passes them (a 64³ grid of backgrounds, with the best accent, finds none)
    expect(boardColoursReadable('#1e3a8a', '#fde68a')).toBe(true);
  });

  it('a colour is #rrggbb, stored in lower case; anything else is none', () => {
    expect(boardColour(' #1E3A8A ')).toBe('#1e3a8a');
    for (const bad of ['red', '#12345', '#1234567', '#٠٠٠٠٠٠', "#fff' or 1=1", '#0e463f\u202e', ''])
      expect(boardColour(bad)).toBeNull();
  });
});
