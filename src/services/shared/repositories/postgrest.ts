/**
 * Shared by the Supabase adapters: PostgREST / supabase-js errors → AppError codes, and zod parsing of RPC
 * results. The database raises coded errors as SQLSTATE `PTxyz` with MESSAGE = the app error code, which
 * supabase-js surfaces as `{ code: 'PT409', message: 'QUEUE.VERSION_CONFLICT' }`.
 */
import type { z } from '../zod';
import { appError, ErrorCodes, isAppError, type AppError, type ErrorCode } from '../AppError';
import { err, ok, type Result } from '../Result';

export interface PostgrestLikeError {
  readonly code?: string | null;
  readonly message?: string | null;
  readonly details?: string | null;
  readonly hint?: string | null;
}

const KNOWN = new Set<string>(Object.values(ErrorCodes));

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A coded error's figures travel as a JSON object in DETAIL (e.g. check_in's QUEUE.CHECK_IN_TOO_EARLY:
 * `{"opens_at", "window_minutes", "slot_start"}`); they become the AppError's details in camelCase
 * (`opensAt`, `windowMinutes`, `slotStart`), the same names the domain uses. Plain English detail → null.
 */
export function detailData(details: string | null | undefined): Record<string, unknown> | null {
  if (typeof details !== 'string' || !details.startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(details);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [camel(k), v as unknown]));
  } catch {
    return null;
  }
}

export function mapPostgrestError(error: PostgrestLikeError | null | undefined, status?: number): AppError {
  const message = error?.message ?? 'unknown error';
  const base = { pgCode: error?.code ?? null, detail: error?.details ?? null, status: status ?? null };
  // no HTTP answer (status 0: the connection dropped, a timeout) or a server failure without a code: the
  // request may have been applied all the same (isOutcomeUnknown)
  const details =
    !KNOWN.has(message) && status !== undefined && (status === 0 || status >= 500)
      ? { ...base, outcomeUnknown: true }
      : base;
  if (KNOWN.has(message)) {
    const data = detailData(error?.details);
    return data
      ? appError(message as ErrorCode, message, { ...data, ...details })
      : appError(message as ErrorCode, error?.details ?? message, details);
  }
  const code = error?.code ?? '';
  const http = /^PT(\d{3})$/.exec(code)?.[1];
  const byStatus = (s: number): ErrorCode | null =>
    s === 401
      ? ErrorCodes.AUTH_REQUIRED
      : s === 403
        ? ErrorCodes.AUTH_FORBIDDEN
        : s === 404
          ? ErrorCodes.NOT_FOUND
          : s === 422 || s === 400
            ? ErrorCodes.VALIDATION_FAILED
            : null;
  if (http) return appError(byStatus(Number(http)) ?? ErrorCodes.INTERNAL, message, details);
  if (code === '42501' || code === 'PGRST301' || code === 'PGRST302') {
    return appError(
      status === 401 || code === 'PGRST301' ? ErrorCodes.AUTH_REQUIRED : ErrorCodes.AUTH_FORBIDDEN,
      message,
      details,
    );
  }
  // a deadlock or serialization failure any RPC may still meet: nothing was written, the call can be retried
  if (code === '40P01' || code === '40001' || code === '55P03')
    return appError(ErrorCodes.CONCURRENCY_RETRY, message, details);
  // the role's statement_timeout cancelled the call (hosted PostgREST answers it as a raw 57014; the local stack
  // as SERVER.BUSY): the transaction rolled back, so the outcome is known — nothing was written
  if (code === '57014') return appError(ErrorCodes.SERVER_BUSY, message, base);
  if (code === 'PGRST116' || code === 'PGRST202' || code === 'PGRST205')
    return appError(ErrorCodes.NOT_FOUND, message, details);
  if (code.startsWith('22') || code.startsWith('23') || code === 'PGRST102' || code === 'PGRST100') {
    return appError(ErrorCodes.VALIDATION_FAILED, message, details);
  }
  const s = status !== undefined ? byStatus(status) : null;
  return appError(s ?? ErrorCodes.INTERNAL, message, details);
}

/** `{ data, error }` of supabase-js → Result, parsing `data` with `schema` (a bad shape is INTERNAL: a bug). */
export function fromResponse<S extends z.ZodMiniType>(
  response: { data: unknown; error: PostgrestLikeError | null; status?: number },
  schema: S,
  what: string,
): Result<z.output<S>, AppError> {
  if (response.error) return err(mapPostgrestError(response.error, response.status));
  const parsed = schema.safeParse(response.data);
  if (!parsed.success) {
    return err(
      appError(ErrorCodes.INTERNAL, `${what}: unexpected response shape`, {
        issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
      }),
    );
  }
  return ok(parsed.data);
}

/** A thrown value (network failure, aborted fetch) as an AppError. */
export const thrownToAppError = (e: unknown): AppError =>
  isAppError(e)
    ? e
    : appError(ErrorCodes.INTERNAL, e instanceof Error ? e.message : String(e), { outcomeUnknown: true });

/**
 * An adapter's call as a Result whatever happens: the Result `fn` answers passes through; a throw (network
 * failure, aborted fetch, a bug) becomes its coded AppError (thrownToAppError). Every adapter's methods use it.
 */
export const guard = async <T>(fn: () => Promise<Result<T, AppError>>): Promise<Result<T, AppError>> => {
  try {
    return await fn();
  } catch (e) {
    return err(thrownToAppError(e));
  }
};

export const isUuid = (s: string | null | undefined): s is string =>
  typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
