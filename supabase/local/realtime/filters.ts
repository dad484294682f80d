/** Realtime's postgres_changes filter (`column=op.value`): eq, neq, lt, lte, gt, gte, in. */
export type FilterOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in';

export interface ChangeFilter {
  column: string;
  op: FilterOp;
  values: string[];
}

export function parseFilter(s: string | undefined | null): ChangeFilter | null {
  if (s === undefined || s === null || s === '') return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(eq|neq|lt|lte|gt|gte|in)\.(.*)$/s.exec(s);
  if (!m) throw new Error(`invalid filter: ${s.slice(0, 80)}`);
  const op = m[2] as FilterOp;
  let raw = m[3] ?? '';
  if (op === 'in') {
    const inner = /^\((.*)\)$/s.exec(raw);
    if (!inner) throw new Error(`invalid in filter: ${s.slice(0, 80)}`);
    raw = inner[1] ?? '';
    const values = raw === '' ? [] : raw.split(',').map((v) => v.trim().replace(/^"(.*)"$/s, '$1'));
    return { column: m[1] as string, op, values };
  }
  return { column: m[1] as string, op, values: [raw] };
}

const asText = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function matchesFilter(f: ChangeFilter | null, record: Record<string, unknown>): boolean {
  if (!f) return true;
  if (!(f.column in record)) return false;
  const v = asText(record[f.column]);
  if (v === null) return false;
  const first = f.values[0] ?? '';
  switch (f.op) {
    case 'eq':
      return v === first;
    case 'neq':
      return v !== first;
    case 'lt':
      return compare(v, first) < 0;
    case 'lte':
      return compare(v, first) <= 0;
    case 'gt':
      return compare(v, first) > 0;
    case 'gte':
      return compare(v, first) >= 0;
    case 'in':
      return f.values.includes(v);
  }
}
