// The browser's logger (issue 19): warnings and errors go out in batches without phone numbers, names or
// tokens; info does not; at most N entries per minute of the injected clock (the rest counted and reported);
// uncaught errors and rejections of the page are logged.
import { describe, expect, it } from 'vitest';
import {
  clientLogTarget,
  createBrowserLogger,
  logUncaught,
  maskPath,
  type ClientLogBatch,
} from './browserLogger';

function setup(maxPerMinute = 20, names?: readonly string[]) {
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
    ...(names ? { names: () => ({ version: names.length, names }) } : {}),
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
    logger
      .child({ actor: 'u1' })
      .error({ err: new Error('boom for Amina'), fullName: 'Amina Benali' }, 'save failed');
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
    expect(error).toMatchObject({
      level: 'error',
      msg: 'save failed',
      context: { actor: 'u1', fullName: '[redacted]' },
    });
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
    const error = Object.assign(new Event('error'), {
      message: 'x is undefined',
      error: new TypeError('x is undefined'),
    });
    target.dispatchEvent(error);
    target.dispatchEvent(
      Object.assign(new Event('unhandledrejection'), { reason: new Error('fetch failed') }),
    );
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

  it('masks the names the page has shown inside free text: the message, error texts, any string', () => {
    const { sent, logger, flush } = setup(20, ['Amina Benali', 'فاطمة الزهراء العلوي']);
    logger.error(
      { err: new Error('boom for Amina'), note: 'فاطمة الزهراء العلوي late' },
      'could not save Amina Benali',
    );
    flush();
    const [e] = sent[0]!.entries;
    expect(e!.msg).toBe('could not save [name]');
    expect((e!.context!.err as { message: string }).message).toBe('boom for [name]');
    expect(e!.context!.note).toBe('[name] late');
    const text = JSON.stringify(sent);
    for (const n of ['Amina', 'Benali', 'فاطمة']) expect(text).not.toContain(n);
  });
});

describe('clientLogTarget', () => {
  const base = { supabaseUrl: 'https://abc.supabase.co/', supabaseAnonKey: 'anon' };
  it("the local stack's route when the config names it; the hosted function with the anon key in a hosted build", () => {
    expect(clientLogTarget({ ...base, clientLogsUrl: '/client-logs', hosted: false })).toEqual({
      url: '/client-logs',
    });
    expect(clientLogTarget({ ...base, hosted: true })).toEqual({
      url: 'https://abc.supabase.co/functions/v1/client-logs',
      headers: { apikey: 'anon' },
    });
    expect(clientLogTarget({ ...base, hosted: false })).toBeNull();
    expect(clientLogTarget({ ...base, supabaseUrl: 'javascript:x', hosted: true })).toBeNull();
  });
});

describe('browser logger trace ids', () => {
  it("each entry carries the trace id of the page's last request, so the server's lines of that call match", () => {
    const sent: ClientLogBatch[] = [];
    let trace: string | null = null;
    let flushes: (() => void)[] = [];
    const logger = createBrowserLogger({
      send: (b) => sent.push(b),
      now: () => 0,
      schedule: (f) => flushes.push(f),
      console: false,
      traceId: () => trace,
    });
    logger.warn('before any request');
    trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    logger.error('save failed');
    flushes.forEach((f) => f());
    flushes = [];
    expect(sent[0]!.entries.map((e) => e.traceId)).toEqual([undefined, '4bf92f3577b34da6a3ce929d0e0e4736']);
  });
});
