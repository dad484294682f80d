/** The fixed-window limiter lives in the app's shared code (the hosted client-logs function uses it too). */
export { RateLimiter, type RateLimit } from '../../src/services/shared/RateLimiter';

/** Masks a phone number for logs and the outbox: `+2126•••••78`. Never log a full number. */
export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '');
  if (d.length <= 4) return '•'.repeat(d.length);
  return `+${d.slice(0, 3)}${'•'.repeat(Math.max(0, d.length - 5))}${d.slice(-2)}`;
}
