/**
 * review22 L3: every refused request wrote a warn line (20 parallel refused directory searches → 20 lines, a lock
 * burst → one per try). addressLimitError (supabase/local/http.ts) logs once per limit, address and window when the
 * caller names the address and the window's end (firstInWindow, supabase/local/rateLimit.ts); the line never holds
 * the address.
 */
import { describe, expect, it } from 'vitest';
import { addressLimitError } from '../../supabase/local/http';

const refusal = (address: string | undefined, resetAtMs: number | undefined, limit = 'public_api_ip') => ({
  rpc: 'search_clinic_directory',
  limit,
  code: 'RATE.LIMITED',
  reason: 'public_address',
  hint: 'Too many requests from this network; try again later.',
  retryAfterSeconds: 60,
  address,
  resetAtMs,
});

describe('addressLimitError log lines', () => {
  it('one line per limit, address and window — however many refusals; the 429 itself every time', () => {
    const lines: object[] = [];
    const log = { warn: (obj: object) => void lines.push(obj) };
    const window = Date.UTC(2026, 11, 3, 12, 0, 0);
    for (let i = 0; i < 20; i++)
      expect(addressLimitError(log, refusal('203.0.113.7', window)).status).toBe(429);
    expect(lines).toHaveLength(1);
    addressLimitError(log, refusal('203.0.113.8', window)); // another address
    addressLimitError(log, refusal('203.0.113.7', window + 60_000)); // the next window
    addressLimitError(log, refusal('203.0.113.7', window, 'booking_ip')); // another limit
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(JSON.stringify(l)).not.toContain('203.0.113');
  });

  it('a caller that names no address or window still logs every refusal (as before)', () => {
    const lines: object[] = [];
    const log = { warn: (obj: object) => void lines.push(obj) };
    for (let i = 0; i < 3; i++) addressLimitError(log, refusal(undefined, undefined));
    expect(lines).toHaveLength(3);
  });
});
