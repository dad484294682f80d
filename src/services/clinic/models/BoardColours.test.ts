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
    expect(boardMinContrast('#0e463f', '#a7f3d0').toFixed(2)).toBe('5.82');
    expect(boardMinContrast('#1d4ed8', '#bfdbfe').toFixed(2)).toBe('3.85');
    expect(boardMinContrast('#ffffff', '#000000')).toBe(1);
  });

  it('a colour is #rrggbb, stored in lower case; anything else is none', () => {
    expect(boardColour(' #1E3A8A ')).toBe('#1e3a8a');
    for (const bad of ['red', '#12345', '#1234567', '#٠٠٠٠٠٠', "#fff' or 1=1", '#0e463f\u202e', ''])
      expect(boardColour(bad)).toBeNull();
  });
});
