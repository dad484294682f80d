/**
 * Structured JSON logs for the edge functions. Phone numbers never reach a log: pass them through
 * `maskPhone`, and free text (provider errors) through `redactPhones`.
 */
import { scrub } from '../../../src/services/shared/logSanitize.ts';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** +212612345678 → +2126••••••78 (country code and operator digit, last two). */
export const maskPhone = (phone: string | null | undefined): string => {
  if (!phone) return '';
  const p = phone.trim();
  if (p.length <= 6) return '•'.repeat(p.length);
  return p.slice(0, 5) + '•'.repeat(p.length - 7) + p.slice(-2);
};

/**
 * Phone-like runs in free text masked: the app's own `scrub` (one implementation for the browser, the local
 * stack and the edge functions), 7+ digits with spaces, dots, dashes, slashes or parentheses between them.
 */
export const redactPhones = (text: string): string => scrub(text);

export const createLogger = (fn: string, sink: (line: string) => void = (l) => console.log(l)) => {
  const write = (level: 'info' | 'warn' | 'error', msg: string, fields: LogFields = {}) =>
    sink(JSON.stringify({ level, fn, msg, time: new Date().toISOString(), ...fields }));
  return {
    info: (msg: string, fields?: LogFields) => write('info', msg, fields),
    warn: (msg: string, fields?: LogFields) => write('warn', msg, fields),
    error: (msg: string, fields?: LogFields) => write('error', msg, fields),
  };
};
export type Log = ReturnType<typeof createLogger>;
