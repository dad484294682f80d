/**
 * Parameters written into the SQL text as literals, for the PostgreSQL driver's one-round-trip `batch`
 * (several statements in ONE simple-query message, which cannot carry bind parameters).
 *
 * Safe by construction, or not at all (null → the caller uses bind parameters instead):
 * - a value becomes an escape-string literal `E'…'` with `\` and `'` doubled, which PostgreSQL reads the same
 *   whatever `standard_conforming_strings` says; it stays an untyped literal, so `$1::json` becomes
 *   `E'…'::json` and a bare `$2` is typed by its context exactly as a bind parameter is;
 * - only strings, finite numbers, booleans and null are inlined (nothing else is sent by the gateway), and no
 *   string with a NUL character (the protocol's strings end at NUL);
 * - `$n` is replaced only outside quoted literals and quoted identifiers (so a quoted column name such as
 *   `"a$1"` is never touched); SQL with dollar quoting, E-strings or comments is not rewritten at all.
 */
const literal = (v: unknown): string | null => {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? `'true'` : `'false'`;
  if (typeof v === 'number') return Number.isFinite(v) ? `'${String(v)}'` : null;
  if (typeof v !== 'string' || v.includes('\u0000')) return null;
  return `E'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
};

export const inlineParams = (sql: string, params: readonly unknown[] = []): string | null => {
  const lits: string[] = [];
  for (const p of params) {
    const l = literal(p);
    if (l === null) return null;
    lits.push(l);
  }
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      // a quoted literal or identifier, copied as it is (a doubled quote stays inside)
      if (c === "'" && i > 0 && /[eE]/.test(sql[i - 1] ?? '') && !/[\w$]/.test(sql[i - 2] ?? '')) return null;
      let j = i + 1;
      for (;;) {
        if (j >= n) return null; // unterminated: not ours to guess
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if ((c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '*')) return null;
    if (c === '$') {
      if (/[\w$]/.test(sql[i - 1] ?? '')) return null; // part of an unquoted identifier
      const m = /^\$(\d+)/.exec(sql.slice(i, i + 12));
      if (!m) return null; // dollar quoting
      const k = Number(m[1]);
      const lit = lits[k - 1];
      if (lit === undefined) return null;
      out += lit;
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
};
