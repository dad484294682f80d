/**
 * Structured logging (pino) for the browser and Node. Every line carries the clinic id, actor and
 * correlation id where known. Phone numbers and names never reach a log: known sensitive keys are redacted
 * by path, and any phone-like digit run left in a message or string field is masked by `scrub`.
 */
import pino, { type DestinationStream, type Logger as PinoLogger, type LoggerOptions } from 'pino';

export type Logger = PinoLogger;

export interface LogContext {
  clinicId?: string;
  actorId?: string;
  correlationId?: string;
  [key: string]: unknown;
}

export const SENSITIVE_KEYS = [
  'phone',
  'phoneNumber',
  'phone_number',
  'to',
  'from',
  'patientName',
  'patient_name',
  'name',
  'fullName',
  'full_name',
  'firstName',
  'lastName',
  'email',
  'password',
  'token',
  'access_token',
  'refresh_token',
  'otp',
  'code',
];

export const REDACT_PATHS = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** Masks phone-like digit runs (7+ digits, optionally with +, spaces, dots or dashes) inside free text. */
export function scrub(text: string): string {
  return text.replace(/\+?\d[\d\s.-]{5,}\d/g, (match) => {
    const digits = match.replace(/\D/g, '');
    if (digits.length < 7) return match;
    return `${match.startsWith('+') ? '+' : ''}${digits.slice(0, 3)}••••${digits.slice(-2)}`;
  });
}

const SENSITIVE = new Set(SENSITIVE_KEYS.map((k) => k.toLowerCase()));

/**
 * A value from outside (the browser's log entries) made safe to log: sensitive keys (phone, name, token …, any
 * case) replaced by "[redacted]", phone-like digit runs in every string masked, strings cut at 1000
 * characters, at most 20 keys or items per level and 4 levels deep.
 */
export function sanitizeLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value.length > 1000 ? `${value.slice(0, 1000)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value !== 'object') return undefined;
  if (depth >= 4) return '[deep]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => sanitizeLogValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 20)) {
    const key = scrub(k.slice(0, 60));
    out[key] = SENSITIVE.has(k.toLowerCase()) ? '[redacted]' : sanitizeLogValue(v, depth + 1);
  }
  return out;
}

export function createLogger(
  options: LoggerOptions & { context?: LogContext } = {},
  destination?: DestinationStream,
): Logger {
  const { context, ...rest } = options;
  const opts: LoggerOptions = {
    level: rest.level ?? 'info',
    ...rest,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  const base = destination ? pino(opts, destination) : pino(opts);
  return context ? base.child(context) : base;
}
