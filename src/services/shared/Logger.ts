/**
 * Structured logging (pino) for the browser and Node. Every line carries the clinic id, actor and
 * correlation id where known. Phone numbers and names never reach a log: known sensitive keys are redacted
 * by path, and any phone-like digit run left in a message or string field is masked by `scrub`.
 */
import pino, { type DestinationStream, type Logger as PinoLogger, type LoggerOptions } from 'pino';
import { SENSITIVE_KEYS, scrub } from './logSanitize';

export type Logger = PinoLogger;

export interface LogContext {
  clinicId?: string;
  actorId?: string;
  correlationId?: string;
  [key: string]: unknown;
}

export { SENSITIVE_KEYS, scrub } from './logSanitize';
export { sanitizeLogValue } from './logTextSanitize';

export const REDACT_PATHS = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

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
