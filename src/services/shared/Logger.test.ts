import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, sanitizeLogValue, scrub } from './Logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { text: () => lines.join(''), stream };
}

describe('Logger', () => {
  it('never writes a phone number or a name, by key or inside a message', () => {
    const out = capture();
    const log = createLogger({ context: { clinicId: 'c1', correlationId: 'r1' } }, out.stream);
    log.info(
      { phone: '+212612345678', patient: { name: 'Fatima Zahra', phone: '0612345678' } },
      'sent SMS to +212 6 12 34 56 78',
    );
    const text = out.text();
    expect(text).not.toContain('612345678');
    expect(text).not.toContain('12 34 56 78');
    expect(text).not.toContain('Fatima');
    expect(text).toContain('[redacted]');
    const line = JSON.parse(text.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ clinicId: 'c1', correlationId: 'r1' });
  });

  it('scrub masks digit runs that look like phones and leaves short numbers alone', () => {
    expect(scrub('call 0612345678 now')).toBe('call 061••••78 now');
    expect(scrub('ticket A-014, position 3')).toBe('ticket A-014, position 3');
  });

  it('sanitizeLogValue: sensitive keys in any case redacted, phones masked at any depth, sizes capped', () => {
    const v = sanitizeLogValue({
      Phone: '+212612345678',
      nested: { FULL_NAME: 'Fatima Zahra', note: ['ring 0612345678'], deeper: { a: { b: { c: 1 } } } },
      long: 'x'.repeat(1500),
      fn: () => 1,
    }) as Record<string, unknown>;
    expect(v.Phone).toBe('[redacted]');
    expect(v.nested).toEqual({
      FULL_NAME: '[redacted]',
      note: ['ring 061••••78'],
      deeper: { a: { b: '[deep]' } },
    });
    expect((v.long as string).length).toBe(1001);
    expect(v.fn).toBeUndefined();
    expect(sanitizeLogValue(Array.from({ length: 30 }, (_, i) => i))).toHaveLength(20);
  });
});
