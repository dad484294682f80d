/**
 * CSV for the reports' "Download" buttons (issue 19): RFC 4180 (CRLF rows, fields quoted when they hold a
 * comma, quote, semicolon or line break; quotes doubled), prefixed with a UTF-8 byte-order mark so Excel
 * opens Arabic and French names correctly. A field that a spreadsheet would run as a formula (= + - @ at
 * the start) is prefixed with an apostrophe (CSV injection). Pure: the page turns the text into a file.
 */
export type CsvCell = string | number | null | undefined;

export const CSV_BOM = '\uFEFF';

const FORMULA = /^[=+\-@\t\r]/;

function field(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = FORMULA.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
  return /[",;\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The CSV text (BOM + header row + rows, CRLF line ends). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return CSV_BOM + [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** Parses CSV text as written by `toCsv` (BOM optional): rows of fields. */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
      i++;
    } else if (c === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    } else cur += c;
  }
  if (cur !== '' || row.length > 0) {
    row.push(cur);
    rows.push(row);
  }
  return rows;
}
