// The browser's logger (issue 19): warnings and errors go out in batches without phone numbers, names or
// tokens; info does not; at most N entries per minute of the injected clock (the rest counted and reported);
// uncaught errors and rejections of the page are logged.
import { describe, expect, it } from 'vitest';
import { createBrowserLogger, logUncaught, maskPath, type ClientLogBatch } from './browserLogger';

function setup(maxPerMinute = 20) {
  const sent: ClientLogBatch[] = [];
  let flushes: (() => void)[] = [];
  const clock = { t: Date.parse('2026-11-30T09:00:00Z') };
  const logger = createBrowserLogger({
    send: (b) => sent.push(b),
    now: () => clock.t,
    page: () => '/t/Ab3dEf6hIj9kLm2nOp5q',
    maxPerMinute,
    schedule: (f) => flushes.push(f),
    console: false,
  });
  const flush = () => {
    const f = flushes;
    flushes = [];
    f.forEach((x) => x());
  };
  return { sent, logger, clock, flush };
}

describe('browser logger', () => {
  it('sends warnings and errors, redacted and masked; not info', () => {
    const { sent, logger, flush } = setup();
    logger.info('opened the desk');
    logger.warn({ phone: '+212612345678', clinicId: 'c1' }, 'SMS to 0612345678 bounced');
    logger.child({ actor: 'u1' }).error({ err: new Error('boom for Amina'), fullName: 'Amina Benali' }, 'save failed');
    flush();
    expect(sent).toHaveLength(1);
    const [warn, error] = sent[0]!.entries;
    expect(sent[0]!.entries).toHaveLength(2);
    expect(warn).toMatchObject({
      level: 'warn',
      msg: 'SMS to 061••••78 bounced',
      page: '/t/:token',
      context: { phone: '[redacted]', clinicId: 'c1' },
    });
    expect(error).toMatchObject({ level: 'error', msg: 'save failed', context: { actor: 'u1', fullName: '[redacted]' } });
    expect((error!.context!.err as { message: string }).message).toBe('boom for Amina');
    const text = JSON.stringify(sent);
    expect(text).not.toContain('612345678');
    expect(text).not.toContain('Amina Benali');
    expect(text).not.toContain('Ab3dEf6hIj9kLm2nOp5q');
  });

  it('keeps to its budget per minute of its clock, reports what it dropped, sends again a minute later', () => {
    const { sent, logger, clock, flush } = setup(3);
    for (let i = 0; i < 5; i++) logger.error(`failure ${i}`);
    flush();
    expect(sent.map((b) => b.entries.map((e) => e.msg))).toEqual([['failure 0', 'failure 1', 'failure 2']]);
    expect(sent[0]!.dropped).toBe(2);
    clock.t += 59_999;
    logger.error('still this minute');
    flush();
    expect(sent).toHaveLength(1);
    clock.t += 1;
    logger.error('next minute');
    flush();
    // the drop of this minute was reported with the next batch; the count starts again
    expect(sent[1]).toEqual({ entries: [expect.objectContaining({ msg: 'next minute' })], dropped: 1 });
  });

  it('logs the page’s uncaught errors and unhandled rejections', () => {
    const { sent, logger, flush } = setup();
    const target = new EventTarget();
    logUncaught(target as unknown as Window, logger);
    const error = Object.assign(new Event('error'), { message: 'x is undefined', error: new TypeError('x is undefined') });
    target.dispatchEvent(error);
    target.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason: new Error('fetch failed') }));
    flush();
    expect(sent[0]!.entries.map((e) => [e.level, e.msg, e.context?.source])).toEqual([
      ['error', 'x is undefined', 'window.onerror'],
      ['error', 'unhandled rejection', 'unhandledrejection'],
    ]);
  });

  it('masks token-like path segments and query strings', () => {
    expect(maskPath('/t/Ab3dEf6hIj9kLm2nOp5q?x=1')).toBe('/t/:token');
    expect(maskPath('/staff')).toBe('/staff');
  });
});
