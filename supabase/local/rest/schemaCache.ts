/**
 * What PostgREST keeps in its schema cache, looked up lazily in the catalogs: functions (by name and
 * argument names) and relations (columns). A hit is remembered; a miss is not, so objects created after
 * start (tests, new migrations) are found on the next request.
 */
import type { DbTx } from '../db/types.js';

export interface FnArg {
  name: string;
  type: string;
  hasDefault: boolean;
}

export type ReturnKind = 'void' | 'scalar' | 'composite';

export interface FnInfo {
  schema: string;
  name: string;
  args: FnArg[];
  returnsSet: boolean;
  returnKind: ReturnKind;
  /** Volatile functions must run with POST (PostgREST opens a read-only transaction for GET). */
  volatile: boolean;
}

interface ProcRow {
  argnames: string[] | null;
  argmodes: string[] | null;
  argtypes: string[] | null;
  nargdefaults: number;
  retset: boolean;
  rettype: string;
  ret_composite: boolean;
  volatility: string;
}

const FN_SQL = `
select coalesce(p.proargnames, '{}'::text[]) as argnames,
       coalesce(p.proargmodes::text[], '{}'::text[]) as argmodes,
       array(select format_type(u.t, null) from unnest(p.proargtypes::oid[]) with ordinality as u(t, i) order by u.i) as argtypes,
       p.pronargdefaults::int as nargdefaults,
       p.proretset as retset,
       format_type(p.prorettype, null) as rettype,
       (rt.typrelid <> 0 or (rt.oid = 'record'::regtype)) as ret_composite,
       p.provolatile::text as volatility
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  join pg_type rt on rt.oid = p.prorettype
 where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`;

function toArray(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') {
    const inner = v.replace(/^\{|\}$/g, '');
    return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
  }
  return [];
}

function toFnInfo(schema: string, name: string, r: ProcRow): FnInfo {
  const names = toArray(r.argnames);
  const modes = toArray(r.argmodes);
  const types = toArray(r.argtypes);
  const inNames =
    names.length === 0
      ? []
      : names.filter((_, i) => modes.length === 0 || ['i', 'b', 'v'].includes(modes[i] ?? 'i'));
  const args: FnArg[] = types.map((type, i) => ({
    name: inNames[i] ?? '',
    type,
    hasDefault: i >= types.length - Number(r.nargdefaults),
  }));
  const returnKind: ReturnKind = r.rettype === 'void' ? 'void' : r.ret_composite ? 'composite' : 'scalar';
  return { schema, name, args, returnsSet: r.retset, returnKind, volatile: r.volatility === 'v' };
}

export class SchemaCache {
  private fns = new Map<string, FnInfo[]>();
  private rels = new Map<string, Map<string, string>>();
  private pks = new Map<string, string[]>();

  async functions(tx: DbTx, schema: string, name: string): Promise<FnInfo[]> {
    const key = `${schema}.${name}`;
    const hit = this.fns.get(key);
    if (hit) return hit;
    const { rows } = await tx.query<ProcRow>(FN_SQL, [schema, name]);
    const infos = rows.map((r) => toFnInfo(schema, name, r));
    if (infos.length > 0) this.fns.set(key, infos);
    return infos;
  }

  /** Column name → type of a table or view, or null when it does not exist. */
  async columns(tx: DbTx, schema: string, table: string): Promise<Map<string, string> | null> {
    const key = `${schema}.${table}`;
    const hit = this.rels.get(key);
    if (hit) return hit;
    const { rows } = await tx.query<{ attname: string; type: string }>(
      `select a.attname, format_type(a.atttypid, a.atttypmod) as type
         from pg_attribute a
         join pg_class c on c.oid = a.attrelid
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = $2 and c.relkind in ('r','v','m','p','f')
          and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [schema, table],
    );
    if (rows.length === 0) return null;
    const cols = new Map(rows.map((r) => [r.attname, r.type]));
    this.rels.set(key, cols);
    return cols;
  }

  /** The primary-key columns of a table, in key order (empty for views and key-less tables). */
  async primaryKey(tx: DbTx, schema: string, table: string): Promise<string[]> {
    const key = `${schema}.${table}`;
    const hit = this.pks.get(key);
    if (hit) return hit;
    const { rows } = await tx.query<{ attname: string }>(
      `select a.attname
         from pg_index i
         join pg_class c on c.oid = i.indrelid
         join pg_namespace n on n.oid = c.relnamespace
         join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, ord) on true
         join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where n.nspname = $1 and c.relname = $2 and i.indisprimary
        order by k.ord`,
      [schema, table],
    );
    const cols = rows.map((r) => r.attname);
    this.pks.set(key, cols);
    return cols;
  }

  clear(): void {
    this.fns.clear();
    this.rels.clear();
    this.pks.clear();
  }
}
