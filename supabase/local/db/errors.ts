import type { DbError } from './types';

/** The concrete error both drivers throw: SQLSTATE in `code`, plus PostgreSQL's error fields. */
export class DbStatementError extends Error implements DbError {
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly constraint?: string;
  readonly where?: string;

  constructor(
    message: string,
    fields: { code?: string; detail?: string; hint?: string; constraint?: string; where?: string },
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DbError';
    if (fields.code !== undefined) this.code = fields.code;
    if (fields.detail !== undefined) this.detail = fields.detail;
    if (fields.hint !== undefined) this.hint = fields.hint;
    if (fields.constraint !== undefined) this.constraint = fields.constraint;
    if (fields.where !== undefined) this.where = fields.where;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Normalises a node-postgres or PGlite error (both carry code/detail/hint) into a DbStatementError. */
export const toDbError = (e: unknown): DbStatementError => {
  if (e instanceof DbStatementError) return e;
  if (typeof e === 'object' && e !== null) {
    const o = e as Record<string, unknown>;
    return new DbStatementError(
      str(o.message) ?? 'database error',
      {
        ...(str(o.code) !== undefined ? { code: str(o.code) } : {}),
        ...(str(o.detail) !== undefined ? { detail: str(o.detail) } : {}),
        ...(str(o.hint) !== undefined ? { hint: str(o.hint) } : {}),
        ...(str(o.constraint) !== undefined ? { constraint: str(o.constraint) } : {}),
        ...(str(o.where) !== undefined ? { where: str(o.where) } : {}),
      },
      e,
    );
  }
  return new DbStatementError(String(e), {}, e);
};

export const isDbError = (e: unknown): e is DbStatementError => e instanceof DbStatementError;

/** SQLSTATE the drivers use for "the database cannot be reached" (connection_failure → HTTP 503). */
export const CONNECTION_FAILURE = '08006';

const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** admin/crash shutdown, cannot connect now (starting up / shutting down), connection exceptions. */
const CONN_SQLSTATES = /^(57P0[1-3]|08...)$/;
const CONN_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Client was closed/i;

/**
 * True when an error means the connection (or the server) is gone rather than that a statement failed:
 * the network errors of node-postgres, the server's shutdown/terminate codes and pg's own messages.
 */
export const isConnectionError = (e: unknown): boolean => {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof o.code === 'string' && (NET_CODES.has(o.code) || CONN_SQLSTATES.test(o.code))) return true;
  if (typeof o.message === 'string' && CONN_MESSAGES.test(o.message)) return true;
  return o.cause !== undefined && o.cause !== e && isConnectionError(o.cause);
};

/** A connection-class failure as the one error the gateway maps to 503 (never the server's text). */
export const connectionError = (cause: unknown): DbStatementError =>
  new DbStatementError('database unavailable', { code: CONNECTION_FAILURE }, cause);
