/**
 * RFC 9457 problem details for REST /v1: every failure answers `application/problem+json` with a stable
 * `code` (the app's error codes, src/services/shared/AppError.ts, plus the gateway's own), a title, and —
 * for invalid input — the zod issues as `{path, message}`. Never a stack or SQL text. Pure.
 */

export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly issues?: readonly { path: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The gateway's own codes (besides the application's). */
export const ApiCodes = {
  ROUTE_NOT_FOUND: 'API.ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'API.METHOD_NOT_ALLOWED',
  INVALID_KEY: 'AUTH.INVALID_KEY',
  INVALID_TOKEN: 'AUTH.INVALID_TOKEN',
  SCOPE_MISSING: 'AUTH.SCOPE_MISSING',
  IDEMPOTENCY_KEY_REQUIRED: 'IDEMPOTENCY.KEY_REQUIRED',
  IDEMPOTENCY_IN_PROGRESS: 'IDEMPOTENCY.IN_PROGRESS',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY.KEY_REUSED',
  PRECONDITION_FAILED: 'QUEUE.VERSION_STALE',
  BAD_JSON: 'VALIDATION.MALFORMED_JSON',
  NOT_CONFIGURED: 'API.NOT_CONFIGURED',
} as const;

/** An application error code → HTTP status (stable; a code not listed is a 500). */
export const statusForCode = (code: string): number => {
  if (code === 'AUTH.REQUIRED' || code.startsWith('AUTH.INVALID')) return 401;
  if (code === 'AUTH.FORBIDDEN' || code === 'AUTH.SCOPE_MISSING') return 403;
  if (code === 'NOT_FOUND' || code === 'QUEUE.ENTRY_NOT_FOUND' || code === 'API.ROUTE_NOT_FOUND') return 404;
  if (code === 'API.METHOD_NOT_ALLOWED') return 405;
  if (code === 'QUEUE.VERSION_STALE') return 412;
  if (code === 'RATE.LIMITED') return 429;
  if (
    code.startsWith('VALIDATION.') ||
    code.startsWith('TEMPLATE.') ||
    code === 'PHONE.INVALID' ||
    code === 'TIMEZONE.INVALID' ||
    code === 'HOURS.INVALID' ||
    code === 'QUEUE.REASON_REQUIRED' ||
    code === 'QUEUE.INVALID_POSITION' ||
    code === 'IDEMPOTENCY.KEY_REUSED'
  )
    return 422;
  if (code === 'IDEMPOTENCY.KEY_REQUIRED') return 400;
  if (code.startsWith('QUEUE.') || code.startsWith('BOOKING.') || code === 'IDEMPOTENCY.IN_PROGRESS')
    return 409;
  if (code === 'SMS.BUDGET_EXCEEDED') return 409;
  return 500;
};

export const PROBLEM_TYPE_BASE = 'https://queuemed.org/problems/';

/** The problem body (what `problemResponse` sends). */
export const problemBody = (p: Problem, instance?: string) => ({
  type: PROBLEM_TYPE_BASE + p.code.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
  title: TITLES[p.status] ?? 'Error',
  status: p.status,
  code: p.code,
  ...(p.detail ? { detail: p.detail } : {}),
  ...(instance ? { instance } : {}),
  ...(p.issues ? { issues: p.issues } : {}),
});

/** A service's AppError-like value → a problem (the message is the developer text, never SQL). */
export const problemFromError = (e: {
  code: string;
  message?: string;
  details?: Readonly<Record<string, unknown>>;
}): Problem => {
  const status = statusForCode(e.code);
  const issues = Array.isArray(e.details?.['issues'])
    ? (e.details['issues'] as unknown[]).flatMap((i) =>
        typeof i === 'object' && i !== null && 'path' in i && 'message' in i
          ? [
              {
                path: String((i as { path: unknown }).path),
                message: String((i as { message: unknown }).message),
              },
            ]
          : [],
      )
    : undefined;
  // 5xx: the internal message may carry driver text — never sent.
  const detail = status >= 500 ? 'The request could not be completed.' : safeDetail(e.message);
  return {
    status,
    code: e.code,
    ...(detail ? { detail } : {}),
    ...(issues && issues.length ? { issues } : {}),
  };
};

/** Developer messages are short English sentences; anything that looks like SQL or a stack is dropped. */
const safeDetail = (m: string | undefined): string | undefined => {
  if (!m) return undefined;
  if (/\b(select|insert|update|delete)\b.*\b(from|into|set)\b|\n\s+at\s|PGRST|SQLSTATE|relation "/i.test(m))
    return undefined;
  return m.slice(0, 300);
};
