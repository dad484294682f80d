/**
 * RFC 9457 problem details for REST /v1: every failure answers `application/problem+json` with a stable
 * `code` (the app's error codes, src/services/shared/AppError.ts, plus the gateway's own), a title, and —
 * for invalid input — the zod issues as `{path, message}`. Never a stack or SQL text. Pure.
 */
import type { ErrorCode } from '../../../src/services/shared/AppError.ts';

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
  CURSOR_STALE: 'QUEUE.CURSOR_STALE',
  BAD_JSON: 'VALIDATION.MALFORMED_JSON',
  NOT_CONFIGURED: 'API.NOT_CONFIGURED',
} as const;

export type ApiCode = (typeof ApiCodes)[keyof typeof ApiCodes];

/**
 * Every code the API can answer → its HTTP status: ONE table, keyed by code. Typed as a total record over
 * the application's catalogue (ErrorCodes) and the gateway's own codes, so adding a code without a status
 * fails `tsc`/`deno check`, and pure.test.ts checks every catalogue value at run time as well.
 *
 * - 404: the thing does not exist for the caller (another clinic's ids are indistinguishable from none).
 * - 409: a real conflict with the current state: the slot was taken, the patient is not in the state the
 *   command needs, the desk is busy, a concurrent change — the same request may succeed later or elsewhere.
 * - 422: the request itself is refused by a rule or is invalid: too late to cancel, too soon to book, a
 *   template variable that does not exist — repeating it unchanged will not help.
 * - 412: If-Match named a queue version that is no longer current. 429: rate limit.
 * - 500: the server's own invariants (never the caller's fault); the detail is never sent.
 */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode | ApiCode, number>> = {
  // queue: conflicts with the queue's current state
  'QUEUE.NO_PATIENT_PRESENT': 409,
  'QUEUE.ILLEGAL_TRANSITION': 409,
  'QUEUE.CLOSED': 409,
  'QUEUE.DUPLICATE_ENTRY': 409,
  'QUEUE.WALK_IN_LIMIT_REACHED': 409,
  'QUEUE.VERSION_CONFLICT': 409,
  'QUEUE.PRACTITIONER_BUSY': 409,
  'QUEUE.CALLED_NOT_STARTED': 409,
  'QUEUE.COMMAND_ALREADY_APPLIED': 409,
  'QUEUE.DESK_PAUSED': 409,
  'QUEUE.INTAKE_CLOSED': 409,
  'QUEUE.UNDO_ENTRY_CHANGED': 409,
  'QUEUE.UNDO_DESK_BUSY': 409,
  'QUEUE.UNDO_REFUSED': 409,
  'QUEUE.REMOTE_JOIN_FULL': 409,
  'QUEUE.CURSOR_STALE': 409,
  // queue: rule refusals
  'QUEUE.SKIP_CAP_REACHED': 422,
  'QUEUE.REASON_REQUIRED': 422,
  'QUEUE.GRACE_EXPIRED': 422,
  'QUEUE.NOT_TODAY': 422,
  'QUEUE.INVALID_POSITION': 422,
  'QUEUE.CHECK_IN_TOO_EARLY': 422,
  'QUEUE.UNDO_EXPIRED': 422,
  'QUEUE.UNDO_NOT_UNDOABLE': 422,
  'QUEUE.REMOTE_JOIN_OFF': 422,
  'QUEUE.REMOTE_JOIN_OUTSIDE_HOURS': 422,
  'QUEUE.ENTRY_NOT_FOUND': 404,
  'QUEUE.VERSION_STALE': 412,
  // queue: the database's own consistency checks on what a step writes (a server bug, not the caller's)
  'QUEUE.EVENT_MISMATCH': 500,
  'QUEUE.GRACE_MISMATCH': 500,
  'QUEUE.EVENT_PAYLOAD_INVALID': 500,
  // booking: the slot was taken meanwhile is a conflict; the rest are the clinic's rules
  'BOOKING.SLOT_FULL': 409,
  'BOOKING.SLOT_UNAVAILABLE': 422,
  'BOOKING.TOO_SOON': 422,
  'BOOKING.BEYOND_HORIZON': 422,
  'BOOKING.CANCEL_TOO_LATE': 422,
  'BOOKING.RESCHEDULE_TOO_LATE': 422,
  'BOOKING.RESCHEDULE_SAME_SLOT': 422,
  'BOOKING.RESCHEDULE_SAME_DAY': 422,
  'BOOKING.CLINIC_CLOSED': 422,
  'BOOKING.NO_SHOW_TODAY': 409,
  'BOOKING.TOO_MANY_VISITS': 409,
  'BOOKING.PHONE_NOT_CONFIRMED': 403,
  'BOOKING.DAY_FULL': 409,
  'BOOKING.DAY_UNAVAILABLE': 422,
  'BOOKING.MODE_MISMATCH': 422,
  'BOOKING.PRACTITIONER_NOT_OFFERED': 422,
  // hours19: a doctor's leave and own hours (the database's 409 / 422)
  'PRACTITIONER.ON_LEAVE': 409,
  'PRACTITIONER.OFF_HOURS': 409,
  'PRACTITIONER.UNAVAILABLE': 409,
  'LEAVE.INVALID_RANGE': 422,
  'LEAVE.OVERLAP': 409,
  // values
  'VALIDATION.FAILED': 422,
  'EMAIL.DOMAIN_NOT_ASCII': 422,
  'CLINIC.NAME_NOT_ALLOWED': 422,
  'PERSON.NAME_NOT_ALLOWED': 422,
  'APPOINTMENT_TYPE.NAME_NOT_ALLOWED': 422,
  'VALIDATION.MALFORMED_JSON': 400,
  'PHONE.INVALID': 422,
  'PHONE.COUNTRY_NOT_ALLOWED': 422,
  'PHONE.NOT_MOBILE': 422,
  'TEMPLATE.UNKNOWN_VARIABLE': 422,
  'TEMPLATE.EMPTY': 422,
  'TEMPLATE.CLINIC_HELD': 403,
  'INVITATION.TOO_MANY': 429,
  // the team (team19): the last active owner stays; a member with visits is deactivated, not removed
  'MEMBER.LAST_OWNER': 409,
  'MEMBER.HAS_HISTORY': 409,
  'HOURS.INVALID': 422,
  'TIMEZONE.INVALID': 422,
  'REMINDER.INVALID_MINUTES': 422,
  'WEBHOOK.URL_INVALID': 422,
  'WEBHOOK.URL_PRIVATE': 422,
  'EMAIL.UNSUBSCRIBE_INVALID': 400,
  'WAITLIST.OFFER_EXPIRED': 409,
  // a tracking link a day past its visit's end (links17): gone, not unknown
  'VISIT.LINK_EXPIRED': 410,
  // proving a notification email with QueueMed's own code (mail22)
  'EMAIL_PROOF.NO_ADDRESS': 422,
  'EMAIL_PROOF.ALREADY_PROVED': 409,
  'EMAIL_PROOF.CODE_INVALID': 422,
  'EMAIL_PROOF.CODE_EXPIRED': 410,
  'EMAIL_PROOF.TOO_MANY_ATTEMPTS': 429,
  // the waiting-room kiosk (kiosk17): its key unknown or unpaired; too many wrong tickets/digits for a while
  'KIOSK.NOT_PAIRED': 401,
  'KIOSK.TOO_MANY_ATTEMPTS': 429,
  'KIOSK.OUTSIDE_HOURS': 409,
  // sec20: a kiosk walk-in that meets the one-visit-a-day rule, without saying so
  'KIOSK.SEE_DESK': 409,
  'KIOSK.WALK_INS_OFF': 409,
  // the waiting-room board's branding and rooms (board20): refused values
  'BOARD.LOW_CONTRAST': 422,
  'BOARD.LOGO_INVALID': 422,
  'BOARD.ROOM_UNKNOWN': 422,
  // platform and gateway
  'AUTH.REQUIRED': 401,
  'AUTH.INVALID_KEY': 401,
  'AUTH.INVALID_TOKEN': 401,
  'AUTH.FORBIDDEN': 403,
  'AUTH.SCOPE_MISSING': 403,
  NOT_FOUND: 404,
  'API.ROUTE_NOT_FOUND': 404,
  'API.METHOD_NOT_ALLOWED': 405,
  'SMS.BUDGET_EXCEEDED': 409,
  'CONCURRENCY.RETRY': 409,
  'IDEMPOTENCY.KEY_REQUIRED': 400,
  'IDEMPOTENCY.IN_PROGRESS': 409,
  'IDEMPOTENCY.KEY_REUSED': 422,
  'RATE.LIMITED': 429,
  'PATIENT.RENAME_LIMIT': 429,
  'PATIENT.OPT_OUT_PATIENT_ONLY': 403,
  'API.NOT_CONFIGURED': 503,
  'SERVER.BUSY': 503,
  INTERNAL: 500,
};

/** An error code → HTTP status (from STATUS_BY_CODE; a code not in the table is a 500). */
export const statusForCode = (code: string): number =>
  Object.prototype.hasOwnProperty.call(STATUS_BY_CODE, code)
    ? STATUS_BY_CODE[code as ErrorCode | ApiCode]
    : 500;

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
