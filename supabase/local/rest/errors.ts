/**
 * PostgreSQL error → PostgREST HTTP status and body, per PostgREST's error reference
 * (docs.postgrest.org, references/errors): PTxyz → xyz; 42501 → 401 for anon, 403 otherwise; …
 */
import { HttpError } from '../http.js';
import type { DbError } from '../db/types.js';

export function statusForSqlState(code: string, role: string): number {
  const custom = /^PT(\d{3})$/.exec(code);
  if (custom) return Number(custom[1]);
  if (code === '42501') return role === 'anon' ? 401 : 403;
  const exact: Record<string, number> = {
    '23503': 409,
    '23505': 409,
    '25006': 405,
    '53400': 500,
    P0001: 400,
    '42883': 404,
    '42P01': 404,
  };
  const e = exact[code];
  if (e !== undefined) return e;
  const prefixes: [string, number][] = [
    ['08', 503],
    ['09', 500],
    ['0L', 403],
    ['0P', 403],
    ['25', 500],
    ['28', 403],
    ['2D', 500],
    ['38', 500],
    ['39', 500],
    ['3B', 500],
    ['40', 500],
    ['53', 503],
    ['54', 413],
    ['55', 500],
    ['57', 500],
    ['58', 500],
    ['F0', 500],
    ['HV', 500],
    ['P0', 500],
    ['XX', 500],
  ];
  for (const [p, s] of prefixes) if (code.startsWith(p)) return s;
  return 400;
}

export function isDbError(e: unknown): e is DbError & { code: string } {
  return (
    e instanceof Error &&
    typeof (e as DbError).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((e as DbError).code ?? '')
  );
}

/** The PostgREST body for a database error; internal-state errors are reduced to their code. */
export function httpErrorFromDb(e: DbError & { code: string }, role: string): HttpError {
  const bad = badRequestFromDb(e.code);
  if (bad) return bad;
  const status = statusForSqlState(e.code, role);
  const internal = status >= 500 && !/^PT\d{3}$/.test(e.code);
  return new HttpError(status, {
    code: e.code,
    details: internal ? null : (e.detail ?? null),
    hint: internal ? null : (e.hint ?? null),
    message: internal ? 'Internal database error' : e.message,
  });
}

export const internalError = (): HttpError =>
  new HttpError(500, { code: 'PGRSTX00', details: null, hint: null, message: 'Internal server error' });

/**
 * A value the caller sent breaks a rule of the schema: answered 400 as the app's VALIDATION.FAILED (what
 * mapPostgrestError reads from `message`) with a plain sentence, never Postgres' wording — that names the
 * constraint ("violates check constraint profiles_full_name_check"), the column or the type.
 */
const VALIDATION_SQLSTATES: Readonly<Record<string, string>> = {
  '23514': 'a value is outside what the field accepts',
  '23502': 'a required value is missing',
  '22001': 'a value is too long',
  '22P02': 'a value is not of the expected form',
  '22003': 'a number is out of range',
  '22007': 'a date or time is not of the expected form',
  '22008': 'a date or time is out of range',
};

/** Integrity violations other than a bad value (sec21): what a caller may learn, never which constraint. */
const CONFLICT_SQLSTATES: Readonly<Record<string, string>> = {
  '23505': 'a record with these values already exists',
  '23503': 'a record this refers to does not exist, or another record still refers to this one',
  '23P01': 'the values overlap an existing record',
  '23001': 'another record still refers to this one',
  '23000': 'the change breaks a rule of the data',
};

/**
 * Errors that only a malformed request can cause in the gateway's own SQL (a syntax error from an odd
 * select, bytes Postgres text cannot hold, a value nested too deep): a coded 4xx without Postgres'
 * wording, which would describe the gateway's SQL rather than the caller's mistake.
 */
function badRequestFromDb(code: string): HttpError | null {
  if (code === '42601' || code === '42602' || code === '42P18') {
    return new HttpError(400, {
      code: 'PGRST100',
      details: null,
      hint: null,
      message: 'Could not parse the request',
    });
  }
  if (code === '22021' || code === '22P05') {
    return new HttpError(400, {
      code: 'PGRST100',
      details: null,
      hint: null,
      message: 'The request holds characters Postgres text cannot store (NUL or invalid UTF-8)',
    });
  }
  if (code === '57014') {
    // the role's statement_timeout (20261220800001) cancelled the call: nothing was written; a coded 503 with
    // Retry-After instead of Postgres' "canceling statement due to statement timeout"
    return new HttpError(
      503,
      {
        code,
        details: null,
        hint: 'The request took too long and was cancelled; try again.',
        message: 'SERVER.BUSY',
      },
      { 'retry-after': '5' },
    );
  }
  const rule = VALIDATION_SQLSTATES[code];
  if (rule !== undefined) {
    // the code stays (supabase-js and the app read it); Postgres' text would name the constraint, column or type
    return new HttpError(400, { code, details: rule, hint: null, message: 'VALIDATION.FAILED' });
  }
  const conflict =
    CONFLICT_SQLSTATES[code] ?? (code.startsWith('23') ? CONFLICT_SQLSTATES['23000'] : undefined);
  if (conflict !== undefined) {
    // sec21: unique/foreign-key/exclusion (and any other integrity) violations kept PostgREST's status and code
    // (409 23505 / 23503, 400 otherwise) but answered Postgres' message and detail — the constraint's name, the
    // table, the columns and the values ("Key (phone)=(+2126…) already exists"). Now the app's VALIDATION.FAILED
    // (translated by every screen) with a plain sentence; supabase-js callers still read `code`.
    return new HttpError(statusForSqlState(code, 'authenticated'), {
      code,
      details: conflict,
      hint: null,
      message: 'VALIDATION.FAILED',
    });
  }
  if (code.startsWith('54')) {
    return new HttpError(413, {
      code: 'PGRST413',
      details: null,
      hint: null,
      message: 'The request is too large or nested too deeply',
    });
  }
  return null;
}
