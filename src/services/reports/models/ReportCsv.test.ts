import { describe, expect, it } from 'vitest';
import { CSV_BOM, parseCsv, toCsv } from './ReportCsv';

describe('ReportCsv', () => {
  it('starts with a UTF-8 BOM, ends rows with CRLF, and Arabic and French names round-trip', () => {
    const rows = [
      ['د. سلمى بن علي', 12, 0.5],
      ['Dr Émilie Lefèvre, "Suivi"', 3, null],
      ['line\nbreak; semi', -4, 1.25],
    ];
    const text = toCsv(['Praticien', 'Vus', 'Taux'], rows);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(text.split('\r\n')).toHaveLength(5); // header + 3 rows + final empty
    expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(parseCsv(text)).toEqual([
      ['Praticien', 'Vus', 'Taux'],
      ['د. سلمى بن علي', '12', '0.5'],
      ['Dr Émilie Lefèvre, "Suivi"', '3', ''],
      ['line\nbreak; semi', '-4', '1.25'],
    ]);
  });

  it('neutralises spreadsheet formulas in text cells, not negative numbers', () => {
    const text = toCsv(['a', 'b'], [['=HYPERLINK("x")', '-12'], ['@SUM(A1)', '+33']]);
    expect(parseCsv(text).slice(1)).toEqual([
      [`'=HYPERLINK("x")`, '-12'],
      [`'@SUM(A1)`, `'+33`],
    ]);
  });

  it('writes an empty cell for null, undefined and non-finite numbers', () => {
    expect(toCsv(['x', 'y', 'z'], [[null, undefined, Number.NaN]])).toBe(`${CSV_BOM}x,y,z\r\n,,\r\n`);
  });
});
