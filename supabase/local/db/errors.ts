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
