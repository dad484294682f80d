// The hosted client-log ingest (issue 19): the local stack's contract (test/conformance/clientLogs.test.ts)
// held by the edge function — masked lines, coded refusals with nothing logged, budgets per address and in
// total, the anon-key gate and CORS. The clock is a variable: no test waits.
import assert from 'node:assert/strict';
import type { Env } from '../_shared/http.ts';
import { createClientLogsHandler } from './handler.ts';

const ANON = 'anon-key';
const env = (vars: Record<string, string> = {}): Env => ({
  get: (n) => ({ SUPABASE_ANON_KEY: ANON, ...vars })[n],
});
const setup = (vars: Record<string, string> = {}) => {
  const lines: Record<string, unknown>[] = [];
  let now = Date.UTC(2026, 11, 1, 9, 0);
  const handle = createClientLogsHandler({ env: env(vars), now: () => now, sink: (l) => lines.push(l) });
  return { lines, handle, tick: (ms: number) => (now += ms) };
};
const post = (body: unknown, headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1:9/client-logs', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      apikey: ANON,
      'x-forwarded-for': '203.0.113.7',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const warn = (msg: string) => ({ level: 'warn', msg });

Deno.test('logs warnings and errors without phone numbers, names or tokens', async () => {
  const { lines, handle } = setup();
  const res = await handle(
    post({
      entries: [
        {
          level: 'error',
          msg: 'SMS to +212 612-345-678 failed',
          time: 1,
          page: '/staff',
          traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          context: {
            phone: '+212612345678',
            patient: { fullName: 'Amina Benali', note: 'call 0612345678' },
            token: 'abc',
          },
        },
        { level: 'warn', msg: 'slow save', context: { clinicId: 'c1', ms: 900 } },
      ],
      dropped: 3,
    }),
  );
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg, l.svc]),
    [
      [50, 'SMS to +212••••78 failed', 'browser'],
      [40, 'slow save', 'browser'],
      [40, 'browser dropped log entries over its budget', 'browser'],
    ],
  );
  assert.equal(lines[0]!.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.deepEqual(lines[0]!.context, {
    phone: '[redacted]',
    patient: { fullName: '[redacted]', note: 'call 061••••78' },
    token: '[redacted]',
  });
  assert.equal(lines[2]!.dropped, 3);
  const all = JSON.stringify(lines);
  for (const secret of ['612345678', '612-345-678', 'Amina', '"abc"'])
    assert.ok(!all.includes(secret), secret);
});

Deno.test('a bad body is a coded 400 (413 when too long) and nothing is logged', async () => {
  const { lines, handle } = setup();
  for (const body of [
    'not json',
    {},
    { entries: [] },
    { entries: [{ level: 'info', msg: 'x' }] },
    { entries: [{ level: 'error', msg: 'x'.repeat(1001) }] },
    { entries: Array.from({ length: 21 }, () => warn('x')) },
    { entries: [{ level: 'warn', msg: 'x', traceId: 'not-a-trace' }] },
  ]) {
    const res = await handle(post(body));
    assert.equal(res.status, 400, JSON.stringify(body).slice(0, 60));
    const j = (await res.json()) as { code: string };
    assert.equal(j.code, 'VALIDATION.FAILED');
    assert.ok(!JSON.stringify(j).includes('at '), 'no stack');
  }
  const big = await handle(post({ entries: [warn('x'.repeat(40_000))] }));
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { code: string }).code, 'VALIDATION.FAILED');
  assert.equal(lines.length, 0);
});

Deno.test('without the anon key → 401 AUTH.INVALID_KEY, nothing logged; OPTIONS and GET', async () => {
  const { lines, handle } = setup();
  for (const key of [null, 'service-key', '']) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers.apikey = key;
    const res = await handle(
      new Request('http://127.0.0.1:9/client-logs', {
        method: 'POST',
        headers,
        body: JSON.stringify({ entries: [warn('x')] }),
      }),
    );
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { code: string }).code, 'AUTH.INVALID_KEY');
  }
  assert.equal(lines.length, 0);
  const pre = await handle(new Request('http://127.0.0.1:9/client-logs', { method: 'OPTIONS' }));
  assert.equal(pre.status, 204);
  assert.match(pre.headers.get('access-control-allow-headers') ?? '', /apikey/);
  assert.equal((await handle(new Request('http://127.0.0.1:9/client-logs'))).status, 405);
});

Deno.test(
  'an address over its budget gets 429 RATE.LIMITED with Retry-After; others and the next minute go on',
  async () => {
    const { lines, handle, tick } = setup({ CLIENT_LOGS_PER_MINUTE: '5' });
    assert.equal((await handle(post({ entries: [warn('1'), warn('2'), warn('3')] }))).status, 204);
    // 3 + 3 > 5: the whole batch is refused, none of it logged
    const over = await handle(post({ entries: [warn('4'), warn('5'), warn('6')] }));
    assert.equal(over.status, 429);
    assert.equal(((await over.json()) as { code: string }).code, 'RATE.LIMITED');
    assert.ok(Number(over.headers.get('retry-after')) > 0);
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['1', '2', '3'],
    );
    // another client is not punished for it
    assert.equal(
      (await handle(post({ entries: [warn('b')] }, { 'x-forwarded-for': '10.0.0.1, 198.51.100.9' }))).status,
      204,
    );
    tick(60_000);
    assert.equal((await handle(post({ entries: [warn('later')] }))).status, 204);
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['1', '2', '3', 'b', 'later'],
    );
  },
);

Deno.test('forged X-Forwarded-For addresses share the total budget', async () => {
  const { lines, handle } = setup({ CLIENT_LOGS_PER_MINUTE: '100', CLIENT_LOGS_TOTAL_PER_MINUTE: '10' });
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++)
    statuses.push(
      (await handle(post({ entries: [warn(`a${i}`), warn(`b${i}`)] }, { 'x-forwarded-for': `192.0.2.${i}` })))
        .status,
    );
  assert.deepEqual(statuses, [204, 204, 204, 204, 204, 429, 429, 429]);
  assert.equal(lines.length, 10);
});

// sec19 (review19 L1): the first X-Forwarded-For value is the caller's own text; the platform appends the last.
Deno.test('rotating the first X-Forwarded-For value does not dodge the per-address budget', async () => {
  const { lines, handle } = setup({ CLIENT_LOGS_PER_MINUTE: '4', CLIENT_LOGS_TOTAL_PER_MINUTE: '1000' });
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++)
    statuses.push(
      (
        await handle(
          post(
            { entries: [warn(`a${i}`), warn(`b${i}`)] },
            { 'x-forwarded-for': `192.0.2.${i}, 203.0.113.7` },
          ),
        )
      ).status,
    );
  assert.deepEqual(statuses, [204, 204, 429, 429]);
  assert.equal(lines.length, 4);
  // another client behind the same proxy chain still writes
  assert.equal(
    (await handle(post({ entries: [warn('c')] }, { 'x-forwarded-for': '192.0.2.1, 198.51.100.9' }))).status,
    204,
  );
});

Deno.test('an IPv6 client is counted by its /64, like the stack’s own limits', async () => {
  const { handle } = setup({ CLIENT_LOGS_PER_MINUTE: '2', CLIENT_LOGS_TOTAL_PER_MINUTE: '1000' });
  const at = (address: string) =>
    handle(post({ entries: [warn(address)] }, { 'x-forwarded-for': address })).then((r) => r.status);
  assert.deepEqual(
    [await at('2001:db8:0:1::a'), await at('2001:db8:0:1:ffff::b'), await at('2001:DB8:0:1::c')],
    [204, 204, 429],
  );
  assert.equal(await at('2001:db8:0:2::a'), 204);
});

Deno.test(
  'run by the local stack, the gateway’s client-address header is the key; a caller’s own is not',
  async () => {
    // QUEUEMED_FORWARD_SECRET marks the local stack, whose gateway overwrites x-queuemed-client-address
    const local = setup({ CLIENT_LOGS_PER_MINUTE: '1', QUEUEMED_FORWARD_SECRET: 's' });
    const viaStack = (address: string, xff: string) =>
      local
        .handle(
          post(
            { entries: [warn(address)] },
            { 'x-queuemed-client-address': address, 'x-forwarded-for': xff },
          ),
        )
        .then((r) => r.status);
    assert.deepEqual(
      [await viaStack('192.0.2.50', '198.51.100.1'), await viaStack('192.0.2.50', '198.51.100.2')],
      [204, 429],
    );
    assert.equal(await viaStack('192.0.2.51', '198.51.100.1'), 204);
    // hosted (no stack secret): the header is the caller's text and counts for nothing
    const hosted = setup({ CLIENT_LOGS_PER_MINUTE: '1' });
    const forged = (address: string) =>
      hosted
        .handle(post({ entries: [warn(address)] }, { 'x-queuemed-client-address': address }))
        .then((r) => r.status);
    assert.deepEqual([await forged('192.0.2.60'), await forged('192.0.2.61')], [204, 429]);
  },
);

Deno.test(
  'review26 L4: a phone with a zero-width space, e-mails, tracking tokens and Bearer JWTs never reach the log; ordinary text does',
  async () => {
    const { lines, handle } = setup();
    const token = '3f9a0c5be1d24a7f8c6e0b9d1a2f3e4c5b6a7d8e9f0a1b2c3d4e5f6a7b8c9f1a';
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImV4cCI6MTk5OTk5OTk5OX0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
    const res = await handle(
      post({
        entries: [
          { level: 'warn', msg: 'tel 0661\u200b234567', page: `/t/${token}` },
          {
            level: 'warn',
            msg: 'mail amine.tazi@gmail.com',
            page: `/t/${token.slice(0, 20)}\u200b${token.slice(20)}`,
          },
          {
            level: 'error',
            msg: `GET /t/${token} failed`,
            context: {
              url: `https://q.ma/t/${token}`,
              headers: { Authorization: `Bearer ${jwt}`, apikey: jwt, cookie: 'sb-access-token=x' },
              note: `retry with Bearer ${jwt}`,
            },
          },
          {
            level: 'warn',
            msg: 'الانتظار المتوقع 25 دقيقة — room 12, Aïn Sebaâ, ticket A-007 at 10:30',
            page: '/board/cabinet-anfa',
          },
        ],
      }),
    );
    assert.equal(res.status, 204);
    const all = JSON.stringify(lines);
    for (const secret of [
      '234567',
      '\u200b',
      'amine.tazi',
      'gmail.com',
      token.slice(0, 16),
      'eyJ',
      'sb-access',
    ])
      assert.ok(!all.includes(secret), `the log holds ${JSON.stringify(secret)}: ${all}`);
    assert.deepEqual(
      lines.map((l) => [l.msg, l.page]),
      [
        ['tel 066••••67', '/t/:token'],
        ['mail [email]', '/t/:token'],
        ['GET /t/:token failed', undefined],
        ['الانتظار المتوقع 25 دقيقة — room 12, Aïn Sebaâ, ticket A-007 at 10:30', '/board/cabinet-anfa'],
      ],
    );
    assert.deepEqual(lines[2]!.context, {
      url: 'https://q.ma/t/:token',
      headers: { Authorization: '[redacted]', apikey: '[redacted]', cookie: '[redacted]' },
      note: 'retry with Bearer [redacted]',
    });
  },
);
