/**
 * The subset of PostgREST's query string the app's reads use: `select` (columns, `alias:column`),
 * horizontal filters (eq, neq, gt, gte, lt, lte, like, ilike, is, in, with `not.`), `order`, `limit`,
 * `offset`. Values are always bound parameters; identifiers are always quoted.
 */
import { pgrstError } from '../http.js';

export const RESERVED = new Set([
  'select',
  'order',
  'limit',
  'offset',
  'columns',
  'on_conflict',
  'and',
  'or',
]);

export const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: string, known: Set<string> | null): string {
  if (!NAME.test(name)) throw pgrstError(400, 'PGRST100', `"failed to parse column" (${name.slice(0, 40)})`);
  if (known && !known.has(name)) throw pgrstError(400, '42703', `column ${name} does not exist`);
  return ident(name);
}

export interface ParsedQuery {
  columns: string;
  where: string;
  orderBy: string;
  limit: number | null;
  offset: number;
  params: unknown[];
}

export function parseSelect(select: string | null, known: Set<string> | null): string {
  if (!select || select.trim() === '*') return '*';
  const parts = select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return parts
    .map((p) => {
      if (p === '*') return '*';
      if (p.includes('('))
        throw pgrstError(400, 'PGRST100', 'Embedded resources are not supported by the local stack');
      const [alias, col] = p.includes(':') ? (p.split(':', 2) as [string, string]) : [null, p];
      const c = checkName(col, known);
      if (alias !== null && !NAME.test(alias))
        throw pgrstError(400, 'PGRST100', `"failed to parse select parameter" (${p.slice(0, 40)})`);
      return alias ? `${c} as ${ident(alias)}` : c;
    })
    .join(', ');
}

/** Splits `a,b,"c,d"` (PostgREST's list syntax, without the parentheses). */
function splitList(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '"') quoted = !quoted;
    else if (ch === '\\' && quoted && i + 1 < s.length) cur += s[++i];
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const OPS: Record<string, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'like',
  ilike: 'ilike',
};

export function parseQuery(
  q: URLSearchParams,
  known: Set<string> | null,
  skip: Set<string> = new Set(),
  firstParam = 1,
): ParsedQuery {
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${firstParam + params.length - 1}`;
  };
  const conds: string[] = [];
  for (const [key, raw] of q.entries()) {
    if ((key === 'or' || key === 'and') && !skip.has(key)) {
      // Never silently drop a filter (that would return rows the caller excluded).
      throw pgrstError(400, 'PGRST100', `"${key}" filters are not supported by the local stack`);
    }
    if (RESERVED.has(key) || skip.has(key)) continue;
    const col = checkName(key, known);
    let expr = raw;
    let negate = false;
    if (expr.startsWith('not.')) {
      negate = true;
      expr = expr.slice(4);
    }
    const dot = expr.indexOf('.');
    if (dot < 0) throw pgrstError(400, 'PGRST100', `"failed to parse filter (${key})"`);
    const op = expr.slice(0, dot);
    const val = expr.slice(dot + 1);
    let cond: string;
    const sqlOp = OPS[op];
    if (sqlOp) {
      cond = `${col} ${sqlOp} ${p(op === 'like' || op === 'ilike' ? val.replace(/\*/g, '%') : val)}`;
    } else if (op === 'in') {
      const m = /^\((.*)\)$/.exec(val);
      if (!m) throw pgrstError(400, 'PGRST100', `"failed to parse filter (${key})"`);
      const items = (m[1] ?? '') === '' ? [] : splitList(m[1] ?? '');
      cond = items.length === 0 ? 'false' : `${col} in (${items.map((i) => p(i)).join(', ')})`;
    } else if (op === 'is') {
      const v = val.toLowerCase();
      if (!['null', 'not_null', 'true', 'false', 'unknown'].includes(v)) {
        throw pgrstError(400, 'PGRST100', `"failed to parse filter (${key})"`);
      }
      cond = v === 'not_null' ? `${col} is not null` : `${col} is ${v}`;
    } else {
      throw pgrstError(400, 'PGRST100', `"failed to parse filter (${op})"`);
    }
    conds.push(negate ? `not (${cond})` : cond);
  }
  const order = q.get('order');
  const orderBy = order
    ? order
        .split(',')
        .map((term) => {
          const [c, ...mods] = term.trim().split('.');
          const parts = [checkName(c ?? '', known)];
          for (const m of mods) {
            if (m === 'asc' || m === 'desc') parts.push(m);
            else if (m === 'nullsfirst') parts.push('nulls first');
            else if (m === 'nullslast') parts.push('nulls last');
            else throw pgrstError(400, 'PGRST100', `"failed to parse order (${term})"`);
          }
          return parts.join(' ');
        })
        .join(', ')
    : '';
  const intParam = (name: string): number | null => {
    const v = q.get(name);
    if (v === null) return null;
    if (!/^\d+$/.test(v))
      throw pgrstError(400, 'PGRST100', `"failed to parse ${name} parameter (${v.slice(0, 20)})"`);
    return Number(v);
  };
  return {
    columns: parseSelect(q.get('select'), known),
    where: conds.length ? `where ${conds.join(' and ')}` : '',
    orderBy: orderBy ? `order by ${orderBy}` : '',
    limit: intParam('limit'),
    offset: intParam('offset') ?? 0,
    params,
  };
}
