/**
 * Table writes with PostgREST semantics: POST (insert / upsert), PATCH (update), DELETE, run in the
 * request's transaction after the caller's role and claims are set, so RLS and column grants decide.
 *
 * Identifiers come only from the schema cache (the table and its columns must exist in the exposed
 * schema) and are always quoted; every value is a bound parameter. The payload is converted to the
 * table's row type with `json_populate_recordset` (as PostgREST's json_to_recordset), so arrays, json
 * and numbers take the column's type exactly as they would on Supabase.
 */
import type { DbTx } from '../db/types.js';
import { pgrstError } from '../http.js';
import { ident, parseQuery } from './query.js';
import type { SchemaCache } from './schemaCache.js';

export interface MutationResult {
  status: number;
  body: string | null;
  headers: Record<string, string>;
}

export interface MutationRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  schema: string;
  table: string;
  query: URLSearchParams;
  prefs: Set<string>;
  /** The parsed JSON body (undefined when empty). */
  body: unknown;
  /** `Accept: application/vnd.pgrst.object+json` (`.single()`): exactly one row or 406 and rollback. */
  singular: boolean;
}

type Representation = 'minimal' | 'representation' | 'headers-only';

/** The first of `options` the Prefer header names (PostgREST takes the first one it recognizes). */
function firstPref<T extends string>(prefs: Set<string>, key: string, options: readonly T[]): T | null {
  for (const p of prefs) {
    const [k, v] = p.split('=', 2);
    if (k === key && options.includes(v as T)) return v as T;
  }
  return null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function unknownColumn(col: string, table: string): never {
  throw pgrstError(
    400,
    'PGRST204',
    `Could not find the '${col.slice(0, 63)}' column of '${table}' in the schema cache`,
  );
}

/** `columns=a,"b"` → the payload columns; each must be a column of the table. */
function columnsParam(raw: string, known: Map<string, string>, table: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim().replace(/^"(.*)"$/, '$1');
    if (name === '') continue;
    if (!known.has(name)) unknownColumn(name, table);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

const has = (o: Record<string, unknown>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The payload's columns: `columns` when given, else the keys of the (first) object, as PostgREST. */
function payloadColumns(
  rows: Record<string, unknown>[],
  columns: string | null,
  known: Map<string, string>,
  table: string,
): string[] {
  if (columns !== null) return columnsParam(columns, known, table);
  const first = rows[0] ? Object.keys(rows[0]) : [];
  for (const r of rows.slice(1)) {
    const keys = Object.keys(r);
    if (keys.length !== first.length || keys.some((k) => !first.includes(k))) {
      throw pgrstError(400, 'PGRST102', 'All object keys must match');
    }
  }
  for (const k of first) if (!known.has(k)) unknownColumn(k, table);
  return first;
}

/** The table columns a `select` needs from RETURNING ('*' when it selects everything). */
function selectedColumns(select: string | null, known: Map<string, string>): string[] | '*' {
  if (!select || select.trim() === '*') return '*';
  const out: string[] = [];
  for (const part of select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (part === '*') return '*';
    const col = part.includes(':') ? part.slice(part.indexOf(':') + 1) : part;
    // parseQuery validates names and reports the error; here only known names are collected.
    if (NAME.test(col) && known.has(col) && !out.includes(col)) out.push(col);
  }
  return out;
}

function contentRange(method: MutationRequest['method'], n: number, total: number | null): string {
  const t = total === null ? '*' : String(total);
  // PostgREST: POST and DELETE report no range, PATCH the updated rows' range.
  if (method !== 'PATCH' || n === 0) return `*/${t}`;
  return `0-${n - 1}/${t}`;
}

function locationOf(table: string, pk: string[], row: Record<string, unknown> | undefined): string | null {
  if (!row || pk.length === 0) return null;
  const q = pk.map(
    (c) => `${encodeURIComponent(c)}=eq.${encodeURIComponent(row[c] === null ? 'null' : String(row[c]))}`,
  );
  return `/${encodeURIComponent(table)}?${q.join('&')}`;
}

export async function mutateTable(tx: DbTx, cache: SchemaCache, r: MutationRequest): Promise<MutationResult> {
  const known = await cache.columns(tx, r.schema, r.table);
  if (!known)
    throw pgrstError(
      404,
      'PGRST205',
      `Could not find the table '${r.schema}.${r.table}' in the schema cache`,
    );
  const rel = `${ident(r.schema)}.${ident(r.table)}`;
  const repPref = firstPref(r.prefs, 'return', ['minimal', 'representation', 'headers-only'] as const);
  const rep: Representation = repPref ?? 'minimal';
  const missingPref =
    r.method === 'DELETE' ? null : firstPref(r.prefs, 'missing', ['default', 'null'] as const);
  const countPref = firstPref(r.prefs, 'count', ['exact', 'planned', 'estimated'] as const);
  let resolution: 'merge' | 'ignore' | null = null;
  let resolutionApplies = false;
  // POST/PATCH: $1 is the payload and filters are bound from $2 on; DELETE has only filters.
  const hasPayload = r.method !== 'DELETE';
  const q = parseQuery(r.query, new Set(known.keys()), new Set(), hasPayload ? 2 : 1);
  const params: unknown[] = hasPayload ? [null, ...q.params] : q.params;
  const tableName = r.table;
  let mutation: string;
  let empty = false; // nothing to do (empty array, PATCH without columns): answer as PostgREST, touch nothing
  let detectInserted = false;

  if (r.method !== 'POST' && (q.limit !== null || q.offset !== 0)) {
    throw pgrstError(
      400,
      'PGRST100',
      `"limit" and "offset" on ${r.method} are not supported by the local stack`,
    );
  }
  if (r.method !== 'POST' && q.where === '') {
    // Supabase runs PostgREST with pg-safeupdate: an unfiltered UPDATE/DELETE is refused, never a table wipe.
    throw pgrstError(400, '21000', `${r.method === 'PATCH' ? 'UPDATE' : 'DELETE'} requires a WHERE clause`);
  }

  if (r.method === 'POST') {
    const body = r.body;
    const rows = Array.isArray(body) ? body : [body];
    if (body === undefined || !rows.every(isPlainObject))
      throw pgrstError(400, 'PGRST102', 'Empty or invalid json');
    const objs = rows as Record<string, unknown>[];
    const cols = payloadColumns(objs, r.query.get('columns'), known, tableName);
    params[0] = JSON.stringify(objs);
    empty = objs.length === 0;
    const target = cols.length ? `(${cols.map(ident).join(', ')})` : '';
    let source: string;
    const missingDefault = missingPref === 'default' && objs.some((o) => cols.some((c) => !has(o, c)));
    if (missingDefault) {
      // Per row: a value from the payload where the key is present, the column's DEFAULT where it is not.
      source =
        'values ' +
        objs
          .map(
            (o, i) =>
              `(${cols.map((c) => (has(o, c) ? `(json_populate_record(null::${rel}, $1::json -> ${i})).${ident(c)}` : 'default')).join(', ')})`,
          )
          .join(', ');
    } else {
      source = `select ${cols.map((c) => `_b.${ident(c)}`).join(', ')} from json_populate_recordset(null::${rel}, $1::json) _b`;
    }
    let conflict = '';
    const res = firstPref(r.prefs, 'resolution', ['merge-duplicates', 'ignore-duplicates'] as const);
    resolution = res === 'merge-duplicates' ? 'merge' : res === 'ignore-duplicates' ? 'ignore' : null;
    if (resolution) {
      const onConflict = r.query.get('on_conflict');
      const keys =
        onConflict !== null
          ? columnsParam(onConflict, known, tableName)
          : await cache.primaryKey(tx, r.schema, r.table);
      resolutionApplies = keys.length > 0;
      if (keys.length === 0 && resolution === 'merge') {
        throw pgrstError(
          400,
          'PGRST100',
          `An upsert on '${tableName}' needs on_conflict columns or a primary key`,
        );
      }
      const inference = keys.length ? `(${keys.map(ident).join(', ')})` : '';
      const updates = cols.map((c) => `${ident(c)} = excluded.${ident(c)}`);
      conflict =
        resolution === 'ignore' || updates.length === 0
          ? `on conflict ${inference} do nothing`
          : `on conflict ${inference} do update set ${updates.join(', ')}`;
    }
    mutation = `insert into ${rel} ${target} ${source} ${conflict}`;
  } else if (r.method === 'PATCH') {
    const body = Array.isArray(r.body) && r.body.length === 1 ? (r.body[0] as unknown) : r.body;
    if (!isPlainObject(body)) throw pgrstError(400, 'PGRST102', 'Empty or invalid json');
    const cols = payloadColumns([body], r.query.get('columns'), known, tableName);
    params[0] = JSON.stringify(body);
    empty = cols.length === 0;
    // A `columns` entry absent from the body is NULL, or the column's DEFAULT with `missing=default`.
    const sets = cols.map((c) =>
      !has(body, c) && missingPref === 'default'
        ? `${ident(c)} = default`
        : `${ident(c)} = (select _b.${ident(c)} from json_populate_record(null::${rel}, $1::json) _b)`,
    );
    mutation = `update ${rel} set ${sets.join(', ')} ${q.where}`;
  } else {
    mutation = `delete from ${rel} ${q.where}`;
  }

  const selected = selectedColumns(r.query.get('select'), known);
  const pk =
    rep === 'headers-only' && r.method === 'POST' ? await cache.primaryKey(tx, r.schema, r.table) : [];
  let returning: string;
  if (rep === 'representation')
    returning = selected === '*' ? '*' : selected.length ? selected.map(ident).join(', ') : '1';
  else if (pk.length) returning = pk.map(ident).join(', ');
  else returning = '1';
  if (resolution === 'merge' && !empty) {
    // PostgREST answers a merge that inserted nothing with 200: `xmax = 0` marks a freshly inserted row.
    // Reading the system column needs the table-level SELECT right, so without it the answer stays 201.
    const { rows } = await tx.query<{ ok: boolean }>(
      `select has_table_privilege(current_user, $1::regclass, 'SELECT') as ok`,
      [rel],
    );
    detectInserted = rows[0]?.ok === true;
    if (detectInserted) returning += `, (${rel}.xmax = 0) as pgrst_inserted`;
  }

  let body: string | null = null;
  let n = 0;
  let first: Record<string, unknown> | undefined;
  let inserted = true;
  if (!empty) {
    // `*` spelled out when the inserted flag rides along, so it never reaches the body.
    const columns = q.columns === '*' && detectInserted ? [...known.keys()].map(ident).join(', ') : q.columns;
    const shaped =
      rep === 'representation'
        ? `select ${columns} from pgrst_source`
        : `select ${pk.length ? pk.map(ident).join(', ') : '1'} from pgrst_source`;
    const { rows } = await tx.query<{
      body: string;
      n: number;
      first: Record<string, unknown> | string | null;
      inserted: boolean;
    }>(
      `with pgrst_source as (${mutation} returning ${returning})
       select coalesce(json_agg(_t), '[]')::text as body, count(*)::int as n, (array_agg(to_json(_t)))[1] as first,
              ${detectInserted ? '(select coalesce(bool_or(pgrst_inserted), false) from pgrst_source)' : 'true'} as inserted
         from (${shaped}) _t`,
      params,
    );
    const row = rows[0];
    n = Number(row?.n ?? 0);
    body = row?.body ?? '[]';
    inserted = row?.inserted !== false;
    first =
      typeof row?.first === 'string'
        ? (JSON.parse(row.first) as Record<string, unknown>)
        : (row?.first ?? undefined);
  } else {
    body = '[]';
    inserted = resolution !== 'merge';
  }

  if (r.singular && n !== 1) {
    // Thrown inside the transaction, so the write is rolled back (as PostgREST does).
    throw pgrstError(
      406,
      'PGRST116',
      'JSON object requested, multiple (or no) rows returned',
      `The result contains ${n} rows`,
    );
  }
  const txPref = firstPref(r.prefs, 'tx', ['commit', 'rollback'] as const);
  const handling = firstPref(r.prefs, 'handling', ['strict', 'lenient'] as const);
  const maxPref = [...r.prefs].find((p) => /^max-affected=\d+$/.test(p));
  const maxAffected =
    r.method !== 'POST' && handling === 'strict' && maxPref
      ? Number(maxPref.slice('max-affected='.length))
      : null;
  if (maxAffected !== null && n > maxAffected) {
    // Thrown inside the transaction: the write is rolled back.
    throw pgrstError(
      400,
      'PGRST124',
      'Query result exceeds max-affected preference constraint',
      `The query affects ${n} rows`,
    );
  }
  // Every count is exact here: the rows written are counted as they are returned.
  const total = countPref ? n : null;
  const headers: Record<string, string> = { 'content-range': contentRange(r.method, n, total) };
  // Preference-Applied as PostgREST renders it: resolution, missing, return, count, tx.
  const applied = [
    resolutionApplies && resolution ? `resolution=${resolution}-duplicates` : null,
    missingPref ? `missing=${missingPref}` : null,
    repPref ? `return=${repPref}` : null,
    countPref ? `count=${countPref}` : null,
    txPref ? `tx=${txPref}` : null,
    handling ? `handling=${handling}` : null,
    maxAffected !== null ? `max-affected=${maxAffected}` : null,
  ].filter((x): x is string => x !== null);
  if (applied.length) headers['preference-applied'] = applied.join(', ');
  const status =
    r.method === 'POST'
      ? resolution === 'merge' && !inserted && n > 0
        ? 200
        : 201
      : rep === 'representation'
        ? 200
        : 204;
  if (rep === 'representation') {
    if (r.singular) {
      const arr = JSON.parse(body) as unknown[];
      body = JSON.stringify(arr[0]);
      headers['content-type'] = 'application/vnd.pgrst.object+json; charset=utf-8';
    } else {
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    return { status, body, headers };
  }
  if (rep === 'headers-only' && r.method === 'POST') {
    const loc = locationOf(tableName, pk, first);
    if (loc) headers.location = loc;
  }
  return { status, body: null, headers };
}
