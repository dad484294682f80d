// POST /client-logs (issue 19, operations): the browser's warnings and errors reach the stack's own log —
// with no phone number, name or token in it — bad bodies are coded 400s with nothing logged, and a client
// over its budget gets 429 RATE.LIMITED with nothing logged. The stack's log is captured in memory.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoLeak, call, startTestStack, type TestStack } from './harness';

describe('Client log ingest', () => {
  let t: TestStack;
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n'))
        if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  beforeAll(async () => {
    // a window far longer than the test: the budget never resets under it, whatever the machine's speed
    t = await startTestStack('pglite', {
      logger: pino({ level: 'debug' }, sink),
      clientLogLimit: { max: 5, windowMs: 24 * 3_600_000 },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });
  const browserLines = () => lines.filter((l) => l.source === 'browser');
  const post = (body: unknown) =>
    call(t.stack, '/client-logs', {
      apikey: null,
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('logs warnings and errors without phone numbers, names or tokens', async () => {
    const r = await post({
      entries: [
        {
          level: 'error',
          msg: 'SMS to +212 612-345-678 failed',
          time: 1,
          page: '/staff',
          context: {
            phone: '+212612345678',
            patient: { fullName: 'Amina Benali', note: 'call 0612345678' },
            token: 'abc',
          },
        },
        { level: 'warn', msg: 'slow save', context: { clinicId: 'c1', ms: 900 } },
      ],
    });
    expect(r.status).toBe(204);
    const got = browserLines();
    expect(got.map((l) => l.msg)).toEqual(['SMS to +212••••78 failed', 'slow save']);
    expect(got.map((l) => l.level)).toEqual([50, 40]);
    expect(got[0]!.context).toEqual({
      phone: '[redacted]',
      patient: { fullName: '[redacted]', note: 'call 061••••78' },
      token: '[redacted]',
    });
    expect(got[1]!.context).toEqual({ clinicId: 'c1', ms: 900 });
    const all = JSON.stringify(lines);
    for (const secret of ['612345678', '612-345-678', 'Amina', 'abc"']) expect(all).not.toContain(secret);
  });

  it('refuses a bad body with a coded 400 and logs nothing', async () => {
    const before = browserLines().length;
    for (const body of [
      'not json',
      {},
      { entries: [] },
      { entries: [{ level: 'info', msg: 'x' }] },
      { entries: [{ level: 'error', msg: 'x'.repeat(1001) }] },
      { entries: Array.from({ length: 21 }, () => ({ level: 'warn', msg: 'x' })) },
    ]) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect((r.json as { code: string }).code).toBe('VALIDATION.FAILED');
      assertNoLeak(r.text);
    }
    expect(browserLines().length).toBe(before);
  });

  it('a client over its budget gets 429 RATE.LIMITED and nothing more is logged', async () => {
    // the first test used 2 of the 5 entries of this window
    expect(
      (
        await post({
          entries: [
            { level: 'warn', msg: 'third' },
            { level: 'warn', msg: 'fourth' },
          ],
        })
      ).status,
    ).toBe(204);
    const before = browserLines().length;
    const r = await post({
      entries: [
        { level: 'error', msg: 'fifth' },
        { level: 'error', msg: 'sixth' },
      ],
    });
    expect(r.status).toBe(429);
    expect((r.json as { code: string }).code).toBe('RATE.LIMITED');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(browserLines().length).toBe(before);
  });

  it("a request's W3C trace is continued in the stack's log line (the id a browser entry carries)", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const r = await call(t.stack, '/rest/v1/rpc/no_such_function_for_trace', {
      method: 'POST',
      body: '{}',
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(r.status).toBe(404);
    const server = lines.find((l) => l.route === '/rest/v1/rpc/no_such_function_for_trace');
    expect(server).toMatchObject({ traceId, status: 404, method: 'POST', msg: 'request' });
    expect(server!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(server!.spanId).not.toBe('00f067aa0ba902b7');
    // without a traceparent (or a malformed one) the stack starts a trace of its own
    await call(t.stack, '/rest/v1/rpc/no_such_function_for_trace_b', {
      method: 'POST',
      body: '{}',
      headers: { traceparent: 'junk' },
    });
    const own = lines.find((l) => l.route === '/rest/v1/rpc/no_such_function_for_trace_b');
    expect(own!.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(own!.traceId).not.toBe(traceId);
    // a tracking link's token or a phone in the path never reaches the request line
    await call(t.stack, '/t/Ab3dEf6hIj9kLm2nOp5qRs/0612345678', { apikey: null });
    expect(lines.some((l) => l.route === '/t/:token/061••••78')).toBe(true);
    const all = JSON.stringify(lines);
    for (const secret of ['Ab3dEf6hIj9kLm2nOp5qRs', '0612345678']) expect(all).not.toContain(secret);
  });
});
