/**
 * /rest/v1: PostgREST semantics for RPC calls, table reads (GET/HEAD, read-only transaction) and table
 * writes (POST insert/upsert, PATCH, DELETE: mutate.ts). Each request is one transaction in which the
 * role and `request.jwt.claims` of the caller are set (SET LOCAL), so RLS and grants decide.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Db, DbTx } from '../db/types.js';
import { authenticate, type RequestAuth } from '../gate.js';
import {
  FORWARD_SECRET_HEADER,
  HttpError,
  addressLimitError,
  auditAddress,
  decodePathSegment,
  fromFunctionHost,
  limitAddress,
  header,
  pgrstError,
  readJson,
  send,
} from '../http.js';
import type { StackKeys } from '../keys.js';
import type { BackgroundSharedLimiter, DbRateLimiter } from '../rateLimit.js';
import { checkKioskPairing, settleKioskPairing, type PairingReservation } from '../kioskPairingLimit.js';
import { inSpan, type RequestSpan } from '../tracing.js';
import { httpErrorFromDb, internalError, isDbError } from './errors.js';
import { mutateTable } from './mutate.js';
import { ident, parseQuery } from './query.js';
import type { SchemaCache } from './schemaCache.js';
import { type FnInfo } from './schemaCache.js';

export interface RestContext {
  db: Db;
  keys: StackKeys;
  cache: SchemaCache;
  log: Logger;
  schemas: string[];
  /**
   * Bookings per client address (secmisc18), counted here before the call: the booking RPCs limit per account
   * and per phone, not per address, so a farm of confirmed phones behind one address could hoard the slots.
   * null/absent: no limit (embedded test stacks; `npm start` sets QUEUEMED_BOOKING_IP_MAX, default 300 an hour).
   */
  bookingLimiter?: DbRateLimiter | null;
  /** Wrong kiosk pairing codes per client address (fix20, ../kioskPairingLimit.ts); null/absent: not counted. */
  kioskPairingLimiter?: DbRateLimiter | null;
  /**
   * The stack's per-process secret the function host presents with the client address it forwards (http.ts
   * limitAddress): /v1 and MCP bookings are counted per real client, not all under 127.0.0.1. Absent: the socket.
   */
  forwardSecret?: string | null;
  /**
   * sec20: the public reads (PUBLIC_READ_RPCS) of callers who are not the clinic's staff, counted per client address
   * under the gateway's public limit (scope public_api_ip, the same counter as anonymous /v1 and MCP calls:
   * ../publicApiLimit.ts). null/absent: not counted (embedded test stacks; `npm start` sets QUEUEMED_PUBLIC_API_IP_*).
   */
  publicReadLimiter?: DbRateLimiter | null;
  /**
   * sec25: the tracker's status reads (TRACKER_VIEW_RPCS, anon with a visit token) per client address, in their own
   * counter (scope tracker_view_ip): a token guesser meets it; a waiting room's phones behind one NAT address do not
   * spend the bookings' public reads. Decided in memory, shared through the database in the background (no round
   * trip added to the tracker's path: ../rateLimit.ts BackgroundSharedLimiter). null/absent: not counted.
   */
  trackerViewLimiter?: BackgroundSharedLimiter | null;
}

/** The RPCs that take a place (a slot, a fluid day, today's line) for the caller: counted per client address. */
export const BOOKING_RPCS: ReadonlySet<string> = new Set([
  'book_appointment',
  'book_fluid_place',
  'join_queue_remotely',
]);

/**
 * Counts a booking call per client address (an IPv6 client by its /64; behind /v1 and MCP the forwarded one, http.ts
 * limitAddress); over the limit: 429 with
 * the app's code RATE.LIMITED (supabase-js → AppError RATE.LIMITED, reason `booking_address`: the booking screen
 * says to try later or call the clinic) and Retry-After. The service role (the server's own calls) is not counted.
 */
async function takeBooking(
  req: IncomingMessage,
  ctx: RestContext,
  auth: RequestAuth,
  schema: string,
  name: string,
): Promise<void> {
  if (!ctx.bookingLimiter || schema !== 'public' || !BOOKING_RPCS.has(name) || auth.role === 'service_role')
    return;
  const ip = limitAddress(req, ctx.forwardSecret);
  const a = await ctx.bookingLimiter.take(ip);
  if (a.ok) return;
  throw addressLimitError(ctx.log, {
    rpc: name,
    limit: 'booking_ip',
    code: 'RATE.LIMITED',
    reason: 'booking_address',
    hint: 'Too many bookings from this network; try again later.',
    retryAfterSeconds: a.retryAfterSeconds,
    address: ip,
    resetAtMs: a.resetAtMs,
  });
}

/**
 * The RPCs anyone may call without an account that compute over many days (a clinic's free slots, its fluid days):
 * sec20 — get_free_slots answered anon over /rest/v1 without any volume limit, so one address could ask every
 * clinic's calendar again and again (each call spans at most 31 days: 422 VALIDATION.FAILED beyond, in the function).
 */
export const PUBLIC_READ_RPCS: ReadonlySet<string> = new Set([
  'get_free_slots',
  'get_fluid_days',
  // session 20 review: the directory's search folds and scans every listed clinic per call (dir20), and the board's
  // branding answers up to ~87 KB (its logo as base64, board20) — both anyone's, so both under the same count
  'search_clinic_directory',
  'get_board_branding',
]);

/**
 * Counts a public read per client address under the public limit; over it: 429 RATE.LIMITED (reason
 * `public_address`) with Retry-After, before the database computes anything. Not counted: the service role, the
 * function host's own calls for a client (counted at /functions/v1 already), and an active staff member of the clinic
 * the call names (the desk books for callers all day). A patient's or another clinic's token counts like anon: sign-up
 * is open, so a token proves nothing about volume.
 */
async function takePublicRead(
  req: IncomingMessage,
  ctx: RestContext,
  auth: RequestAuth,
  schema: string,
  name: string,
  args: Record<string, unknown> | undefined,
): Promise<void> {
  if (!ctx.publicReadLimiter || schema !== 'public' || !PUBLIC_READ_RPCS.has(name)) return;
  if (auth.role === 'service_role' || fromFunctionHost(req, ctx.forwardSecret)) return;
  const clinicId = args?.['p_clinic_id'];
  if (auth.role === 'authenticated' && typeof auth.claims.sub === 'string' && typeof clinicId === 'string') {
    const { rows } = await ctx.db.query<{ staff: boolean }>(
      `select exists (select 1 from public.clinic_members m
                       where m.clinic_id::text = lower($1) and m.user_id::text = $2 and m.active) as staff`,
      [clinicId, auth.claims.sub],
    );
    if (rows[0]?.staff === true) return;
  }
  const address = limitAddress(req, ctx.forwardSecret);
  const a = await ctx.publicReadLimiter.take(address);
  if (a.ok) return;
  throw addressLimitError(ctx.log, {
    rpc: name,
    limit: 'public_api_ip',
    code: 'RATE.LIMITED',
    reason: 'public_address',
    hint: 'Too many requests from this network; try again later.',
    retryAfterSeconds: a.retryAfterSeconds,
    address,
    resetAtMs: a.resetAtMs,
  });
}

/**
 * sec25: every anon RPC that looks a visit up by its tracking token (p_tracking_token) and answers whether it exists
 * (404/410 against 200): the tracker's status read and its siblings, which a token guesser would call instead. The
 * ones also callable by a staff member with p_entry_id are counted only when a token is given (the token path).
 */
export const TRACKER_VIEW_RPCS: ReadonlySet<string> = new Set([
  'get_tracker_view',
  'get_visit_status',
  'get_visit_live',
  'get_visit_running_late',
  'report_running_late',
  'withdraw_running_late',
  'push_subscribe',
  'push_unsubscribe',
]);

/**
 * Counts a tracker status read per client address; over the limit: 429 RATE.LIMITED (reason `tracker_address`) with
 * Retry-After, before the database looks the token up. Not counted: the service role and the stack's own calls on a
 * client's behalf (the tracker's server render, counted per address as tracker_page_ip already). A patient's or
 * another clinic's token counts like anon: a token proves nothing about volume.
 */
function takeTrackerView(
  req: IncomingMessage,
  ctx: RestContext,
  auth: RequestAuth,
  schema: string,
  name: string,
  args: Record<string, unknown> | undefined,
): void {
  if (!ctx.trackerViewLimiter || schema !== 'public' || !TRACKER_VIEW_RPCS.has(name)) return;
  const token = args?.['p_tracking_token'];
  if (name !== 'get_tracker_view' && (token === undefined || token === null)) return;
  if (auth.role === 'service_role' || fromFunctionHost(req, ctx.forwardSecret)) return;
  const address = limitAddress(req, ctx.forwardSecret);
  const a = ctx.trackerViewLimiter.take(address);
  if (a.ok) return;
  throw addressLimitError(ctx.log, {
    rpc: name,
    limit: 'tracker_view_ip',
    code: 'RATE.LIMITED',
    reason: 'tracker_address',
    hint: 'Too many requests from this network; try again in a moment.',
    retryAfterSeconds: a.retryAfterSeconds,
    address,
    resetAtMs: a.resetAtMs,
  });
}

class Rollback extends Error {
  constructor(readonly result: RestResult) {
    super('rollback');
  }
}

interface RestResult {
  status: number;
  body: string | null;
  headers: Record<string, string>;
}

/**
 * The caller's role's own settings first (PostgREST's "impersonated role settings": `alter role anon set
 * statement_timeout = '3s'`, migration 20261220800001), as PostgREST applies them on Supabase — `set role` alone
 * does not read them (they apply at login only). Only time limits are taken; a database-specific setting wins
 * over one for every database. Then the role, and the claims PostgREST sets.
 */
const SET_REQUEST_SQL = `select (select count(*) from (
    select set_config(x.name, x.value, true)
      from pg_catalog.pg_db_role_setting s
      join pg_catalog.pg_roles r on r.oid = s.setrole
      cross join lateral unnest(s.setconfig) as c(setting)
      cross join lateral (select split_part(c.setting, '=', 1) as name,
                                 substr(c.setting, strpos(c.setting, '=') + 1) as value) x
     where r.rolname = $1
       and s.setdatabase in (0, (select d.oid from pg_catalog.pg_database d where d.datname = current_database()))
       and x.name in ('statement_timeout', 'lock_timeout')
     order by s.setdatabase) applied),
  set_config('role', $1, true),
  set_config('request.jwt.claims', $2, true),
  set_config('request.jwt.claim.sub', $3, true),
  set_config('request.jwt.claim.role', $1, true),
  set_config('request.method', $4, true),
  set_config('request.path', $5, true),
  set_config('request.headers', $6, true),
  set_config('queuemed.client_address', $7, true)`;

/**
 * sec22b: `queuemed.client_address` is the client the stack settled for this request (http.ts auditAddress), the
 * address an audit row records (private.audit_origin_ip) — never a hop of a caller-written X-Forwarded-For. Always
 * set here ('unknown' when there is none), so the database never falls back to the headers on this stack.
 */
const requestParams = (
  auth: Pick<RequestAuth, 'role' | 'claims'>,
  method: string,
  path: string,
  headers: Record<string, unknown>,
  clientAddress: string | null = null,
): unknown[] => [
  auth.role,
  JSON.stringify(auth.claims),
  typeof auth.claims.sub === 'string' ? auth.claims.sub : '',
  method,
  path,
  JSON.stringify(headers),
  clientAddress ?? 'unknown',
];

/** Enters the caller's role and claims for the rest of the transaction. */
export async function enterRequest(
  tx: DbTx,
  auth: Pick<RequestAuth, 'role' | 'claims'>,
  method = 'POST',
  path = '/',
  headers: Record<string, unknown> = {},
  clientAddress: string | null = null,
): Promise<void> {
  await tx.query(SET_REQUEST_SQL, requestParams(auth, method, path, headers, clientAddress));
}

function prefer(req: IncomingMessage): Set<string> {
  const h = header(req, 'prefer') ?? '';
  return new Set(
    h
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

function pickSchema(req: IncomingMessage, ctx: RestContext): string {
  const method = req.method ?? 'GET';
  const profile = ['GET', 'HEAD'].includes(method)
    ? header(req, 'accept-profile')
    : header(req, 'content-profile');
  const schema = profile ?? ctx.schemas[0] ?? 'public';
  if (!ctx.schemas.includes(schema)) {
    throw pgrstError(
      406,
      'PGRST106',
      'Invalid schema: ' + schema.slice(0, 63),
      null,
      `Only the following schemas are exposed: ${ctx.schemas.join(', ')}`,
    );
  }
  return schema;
}

const wantsObject = (req: IncomingMessage): boolean =>
  (header(req, 'accept') ?? '').includes('application/vnd.pgrst.object+json');

function singular(rowsJson: string): string {
  const rows = JSON.parse(rowsJson) as unknown[];
  if (rows.length !== 1) {
    throw pgrstError(
      406,
      'PGRST116',
      'JSON object requested, multiple (or no) rows returned',
      `The result contains ${rows.length} rows`,
    );
  }
  return JSON.stringify(rows[0]);
}

function chooseFunction(
  candidates: FnInfo[],
  keys: string[],
  schema: string,
  name: string,
  singleObject: boolean,
): { fn: FnInfo; singleJson: boolean } {
  const set = new Set(keys);
  const matches = candidates.filter((f) => {
    const names = new Set(f.args.map((a) => a.name));
    return keys.every((k) => names.has(k)) && f.args.every((a) => a.hasDefault || set.has(a.name));
  });
  const single = candidates.filter(
    (f) =>
      f.args.length === 1 &&
      (f.args[0]?.name === '' || singleObject) &&
      ['json', 'jsonb'].includes(f.args[0]?.type ?? ''),
  );
  if (singleObject && single[0]) return { fn: single[0], singleJson: true };
  if (matches.length > 0) {
    matches.sort((a, b) => a.args.length - b.args.length);
    return { fn: matches[0] as FnInfo, singleJson: false };
  }
  if (single[0] && keys.length > 0) return { fn: single[0], singleJson: true };
  const sig = keys.join(', ');
  throw pgrstError(
    404,
    'PGRST202',
    `Could not find the function ${schema}.${name}(${sig}) in the schema cache`,
    `Searched for the function ${schema}.${name}${keys.length ? ` with parameters ${sig}` : ' without parameters'} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
    null,
  );
}

/** A function call ready to run: its SQL and parameters, and how its one result row becomes the answer. */
interface PlannedCall {
  sql: string;
  params: unknown[];
  /** The answer from the call's rows; throws only where `canThrow` (the answer may be refused after the call). */
  finish(rows: Record<string, unknown>[]): RestResult;
  canThrow: boolean;
}

function planCall(
  fn: FnInfo,
  singleJson: boolean,
  req: IncomingMessage,
  url: URL,
  schema: string,
  name: string,
  args: Record<string, unknown> | undefined,
  rawBody: unknown,
): PlannedCall {
  const argKeys = Object.keys(args ?? {});
  const params: unknown[] = [];
  let call: string;
  let from = '';
  const qname = `${ident(schema)}.${ident(name)}`;
  if (singleJson) {
    params.push(JSON.stringify(rawBody ?? {}));
    call = `${qname}($1::${fn.args[0]?.type ?? 'json'})`;
  } else if (argKeys.length === 0) {
    call = `${qname}()`;
  } else {
    params.push(JSON.stringify(args));
    const used = fn.args.filter((a) => argKeys.includes(a.name));
    from = `json_to_record($1::json) as _a(${used.map((a) => `${ident(a.name)} ${a.type}`).join(', ')})`;
    call = `${qname}(${used.map((a) => `${ident(a.name)} := _a.${ident(a.name)}`).join(', ')})`;
  }
  // Arguments (body or, for GET, query string) are not filters on the result.
  const argNames = new Set(argKeys);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (fn.returnKind === 'void') {
    return {
      sql: `select ${call}::text as v ${from ? `from ${from}` : ''}`,
      params,
      canThrow: false,
      finish: () => ({ status: 204, body: null, headers: {} }),
    };
  }
  if (!fn.returnsSet && fn.returnKind === 'scalar') {
    return {
      sql: `select to_json(${call})::text as body ${from ? `from ${from}` : ''}`,
      params,
      canThrow: false,
      finish: (rows) => ({ status: 200, body: (rows[0]?.body as string | undefined) ?? 'null', headers }),
    };
  }
  const source = fn.returnKind === 'scalar' ? `${call} as _r(${ident(name)})` : `${call} as _r`;
  const inner = `select _r.* from ${from ? `${from}, ` : ''}${source}`;
  const q = parseQuery(url.searchParams, null, argNames, params.length + 1);
  const limit = q.limit !== null ? `limit ${q.limit}` : '';
  const offset = q.offset ? `offset ${q.offset}` : '';
  const shaped = `select ${q.columns} from (${inner}) _s ${q.where} ${q.orderBy} ${limit} ${offset}`;
  if (!fn.returnsSet) {
    return {
      sql: `select to_json(_t)::text as body from (${shaped}) _t`,
      params: [...params, ...q.params],
      canThrow: false,
      finish: (rows) => ({
        status: 200,
        body: (rows[0]?.body as string | null | undefined) ?? 'null',
        headers,
      }),
    };
  }
  const agg =
    fn.returnKind === 'scalar' && q.columns === '*' ? `json_agg(_t.${ident(name)})` : 'json_agg(_t)';
  const object = wantsObject(req);
  return {
    sql: `select coalesce(${agg}, '[]')::text as body from (${shaped}) _t`,
    params: [...params, ...q.params],
    // a JSON object asked for and not exactly one row: refused, and the call rolled back (as PostgREST)
    canThrow: object,
    finish: (rows) => {
      let body = (rows[0]?.body as string | undefined) ?? '[]';
      if (!object) return { status: 200, body, headers };
      body = singular(body);
      return {
        status: 200,
        body,
        headers: { ...headers, 'content-type': 'application/vnd.pgrst.object+json; charset=utf-8' },
      };
    },
  };
}

async function callFunction(
  tx: DbTx,
  req: IncomingMessage,
  url: URL,
  ctx: RestContext,
  schema: string,
  name: string,
  args: Record<string, unknown> | undefined,
  rawBody: unknown,
  prefs: Set<string>,
): Promise<RestResult> {
  const candidates = await ctx.cache.functions(tx, schema, name);
  const { fn, singleJson } = chooseFunction(
    candidates,
    Object.keys(args ?? {}),
    schema,
    name,
    prefs.has('params=single-object'),
  );
  const plan = planCall(fn, singleJson, req, url, schema, name, args, rawBody);
  const { rows } = await tx.query<Record<string, unknown>>(plan.sql, plan.params);
  return plan.finish(rows);
}

async function readTable(
  tx: DbTx,
  req: IncomingMessage,
  url: URL,
  ctx: RestContext,
  schema: string,
  table: string,
  prefs: Set<string>,
): Promise<RestResult> {
  const cols = await ctx.cache.columns(tx, schema, table);
  if (!cols) {
    throw pgrstError(404, 'PGRST205', `Could not find the table '${schema}.${table}' in the schema cache`);
  }
  const q = parseQuery(url.searchParams, new Set(cols.keys()));
  const base = `from ${ident(schema)}.${ident(table)} ${q.where}`;
  const limit = q.limit !== null ? `limit ${q.limit}` : '';
  const offset = q.offset ? `offset ${q.offset}` : '';
  const exact = prefs.has('count=exact');
  const { rows } = await tx.query<{ body: string; n: number; total: number | null }>(
    `select coalesce(json_agg(_t), '[]')::text as body, count(_t.*)::int as n,
            ${exact ? `(select count(*) ${base})::int` : 'null::int'} as total
       from (select ${q.columns} ${base} ${q.orderBy} ${limit} ${offset}) _t`,
    q.params,
  );
  const row = rows[0] ?? { body: '[]', n: 0, total: null };
  const n = Number(row.n);
  const range = n === 0 ? '*' : `${q.offset}-${q.offset + n - 1}`;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'content-range': `${range}/${row.total === null ? '*' : String(row.total)}`,
  };
  let body = row.body;
  if (wantsObject(req)) {
    body = singular(body);
    headers['content-type'] = 'application/vnd.pgrst.object+json; charset=utf-8';
  }
  return { status: 200, body, headers };
}

function requestHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    // the function host's forward secret is the stack's own, not the caller's: never handed to SQL
    if (k === 'authorization' || k === 'apikey' || k === 'cookie' || k === FORWARD_SECRET_HEADER) continue;
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

export async function handleRest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
  ctx: RestContext,
  span?: RequestSpan,
): Promise<void> {
  let auth: RequestAuth | null = null;
  /** The request's database span (../tracing.ts): one per transaction, named after the function or table. */
  let dbSpan: (() => Span) | undefined;
  /** A kiosk code exchange's reserved wrong code (kept or given back after the call), else null. */
  let pairing: PairingReservation | null = null;
  try {
    auth = await authenticate(req, ctx.keys, url);
    for (const [k, v] of url.searchParams.entries()) {
      if (k.includes('\u0000') || v.includes('\u0000'))
        throw pgrstError(400, 'PGRST100', 'NUL characters are not allowed in the query string');
    }
    const method = req.method ?? 'GET';
    const schema = pickSchema(req, ctx);
    const prefs = prefer(req);
    const rpc = /^\/rpc\/([^/]+)$/.exec(path);
    const table = /^\/([^/]+)$/.exec(path);
    let run: (tx: DbTx) => Promise<RestResult>;
    if (rpc) {
      const name = decodePathSegment(rpc[1] ?? '');
      let args: Record<string, unknown> | undefined;
      let raw: unknown;
      if (method === 'POST') {
        raw = await readJson(req);
        if (
          raw !== undefined &&
          (typeof raw !== 'object' || raw === null || Array.isArray(raw)) &&
          !prefs.has('params=single-object')
        ) {
          throw pgrstError(400, 'PGRST102', 'Empty or invalid json');
        }
        args = (raw as Record<string, unknown> | undefined) ?? {};
      } else if (method === 'GET' || method === 'HEAD') {
        args = {};
        const cands = await ctx.db.transaction((tx) => ctx.cache.functions(tx, schema, name));
        const argNames = new Set(cands.flatMap((f) => f.args.map((a) => a.name)));
        for (const [k, v] of url.searchParams.entries()) if (argNames.has(k)) args[k] = v;
      } else {
        throw pgrstError(405, 'PGRST101', 'Only GET and POST verbs are allowed for functions');
      }
      await takeBooking(req, ctx, auth, schema, name);
      await takePublicRead(req, ctx, auth, schema, name, args);
      takeTrackerView(req, ctx, auth, schema, name, args);
      pairing = await checkKioskPairing(req, ctx, auth.role, schema, name);
      run = (tx) => callFunction(tx, req, url, ctx, schema, name, args, raw, prefs);
      dbSpan = span
        ? () =>
            span.child(`db rpc ${schema}.${name}`, SpanKind.CLIENT, {
              'db.system.name': 'postgresql',
              'db.operation.name': 'rpc',
              'db.stored_procedure.name': `${schema}.${name}`,
            })
        : undefined;
      // One round trip where the driver can (PostgreSQL): BEGIN, role + claims, the call, COMMIT in one message
      // instead of four (issue 12). The function must be in the schema cache already (a miss is looked up first,
      // once) and the answer must not be refusable after the call (a refused answer rolls the call back).
      if (ctx.db.batch && pairing === null) {
        const candidates = await ctx.cache.functions(ctx.db, schema, name);
        const { fn, singleJson } = chooseFunction(
          candidates,
          Object.keys(args ?? {}),
          schema,
          name,
          prefs.has('params=single-object'),
        );
        const plan = planCall(fn, singleJson, req, url, schema, name, args, raw);
        if (!plan.canThrow) {
          const batch = ctx.db.batch.bind(ctx.db);
          const setRequest = requestParams(
            auth,
            method,
            url.pathname,
            requestHeaders(req),
            auditAddress(req, ctx.forwardSecret),
          );
          const out = await inSpan(dbSpan?.(), () =>
            batch(
              [
                { sql: SET_REQUEST_SQL, params: setRequest },
                { sql: plan.sql, params: plan.params },
              ],
              { readOnly: method === 'GET' || method === 'HEAD', rollback: prefs.has('tx=rollback') },
            ),
          );
          if (out !== null) {
            const result = plan.finish(out[1]?.rows ?? []);
            send(res, result.status, method === 'HEAD' ? null : result.body, result.headers);
            return;
          }
        }
      }
    } else if (table && (method === 'GET' || method === 'HEAD')) {
      const name = decodePathSegment(table[1] ?? '');
      run = (tx) => readTable(tx, req, url, ctx, schema, name, prefs);
      dbSpan = span
        ? () =>
            span.child(
              `db select ${schema}.${name}`,
              SpanKind.CLIENT,
              tableAttributes('select', schema, name),
            )
        : undefined;
    } else if (table && (method === 'POST' || method === 'PATCH' || method === 'DELETE')) {
      const name = decodePathSegment(table[1] ?? '');
      const body = method === 'DELETE' ? undefined : await readJson(req);
      const singularWanted = wantsObject(req);
      const op = method === 'POST' ? 'insert' : method === 'PATCH' ? 'update' : 'delete';
      dbSpan = span
        ? () => span.child(`db ${op} ${schema}.${name}`, SpanKind.CLIENT, tableAttributes(op, schema, name))
        : undefined;
      run = (tx) =>
        mutateTable(tx, ctx.cache, {
          method,
          schema,
          table: name,
          query: url.searchParams,
          prefs,
          body,
          singular: singularWanted,
        });
    } else if (table) {
      throw pgrstError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
    } else {
      throw pgrstError(404, 'PGRST125', `Invalid path specified in request URL`);
    }
    const rollback = prefs.has('tx=rollback');
    const a = auth;
    let result: RestResult;
    try {
      result = await inSpan(dbSpan?.(), () =>
        ctx.db.transaction(async (tx) => {
          // As PostgREST: GET/HEAD run read-only, so a function that writes fails there (25006 → 405).
          if (method === 'GET' || method === 'HEAD') await tx.exec('set transaction read only');
          await enterRequest(
            tx,
            a,
            method,
            url.pathname,
            requestHeaders(req),
            auditAddress(req, ctx.forwardSecret),
          );
          const r = await run(tx);
          if (rollback) throw new Rollback(r);
          return r;
        }),
      );
    } catch (e) {
      if (e instanceof Rollback) result = e.result;
      else throw e;
    }
    const settled = pairing;
    pairing = null;
    await settleKioskPairing(ctx, settled, result.status, result.body);
    send(res, result.status, method === 'HEAD' ? null : result.body, result.headers);
  } catch (e) {
    // a reserved pairing attempt whose call failed was no wrong code: given back (best effort)
    if (pairing) await settleKioskPairing(ctx, pairing, null, null).catch(() => undefined);
    const err = toHttpError(e, auth?.role ?? 'anon', ctx.log, ctx.cache);
    send(res, err.status, JSON.stringify(err.body), {
      'content-type': 'application/json; charset=utf-8',
      ...err.headers,
    });
  }
}

const tableAttributes = (op: string, schema: string, table: string) => ({
  'db.system.name': 'postgresql',
  'db.operation.name': op,
  'db.collection.name': `${schema}.${table}`,
});

export function toHttpError(e: unknown, role: string, log: Logger, cache?: SchemaCache): HttpError {
  if (e instanceof HttpError) return e;
  if (isDbError(e)) {
    // A function or table dropped/recreated since it was cached: forget the cache for the next request.
    if (cache && ['42883', '42P01', '42703'].includes(e.code)) cache.clear();
    const err = httpErrorFromDb(e, role);
    if (err.status >= 500) log.error({ code: e.code, err: e.message }, 'database error');
    return err;
  }
  log.error({ err: e instanceof Error ? e.message : String(e) }, 'unexpected error');
  return internalError();
}
