// review26 L1: rpcFailure turns a PostgREST error body into an app-coded RpcError, never Postgres' own text.
import assert from 'node:assert/strict';
import { ErrorCodes } from '../../../src/services/shared/AppError.ts';
import { makeRpc, RpcError, rpcFailure } from './rest.ts';

Deno.test('a code the database raised (PTxyz, message = app code) is kept with its status and detail', () => {
  const e = rpcFailure(409, { code: 'PT409', message: 'QUEUE.VERSION_CONFLICT', details: 'stale version' });
  assert.deepEqual(
    [e.status, e.code, e.detail, e.pgCode],
    [409, 'QUEUE.VERSION_CONFLICT', 'stale version', null],
  );
});

Deno.test('anything else gets a code of ErrorCodes and a fixed message', () => {
  const known = new Set<string>(Object.values(ErrorCodes));
  const cases: [number, unknown, number, string][] = [
    [
      401,
      { code: '42501', message: 'permission denied for function notification_prepare' },
      401,
      'AUTH.FORBIDDEN',
    ],
    [403, { code: '42501', message: 'permission denied for table patients' }, 403, 'AUTH.FORBIDDEN'],
    [401, { code: 'PGRST303', message: 'JWT expired' }, 401, 'AUTH.REQUIRED'],
    [400, { code: '22P02', message: 'invalid input syntax for type uuid: "x"' }, 400, 'VALIDATION.FAILED'],
    [
      409,
      { code: '23505', message: 'duplicate key value violates unique constraint "x_key"' },
      409,
      'VALIDATION.FAILED',
    ],
    [500, { code: '40P01', message: 'deadlock detected' }, 409, 'CONCURRENCY.RETRY'],
    [500, { code: '57014', message: 'canceling statement due to statement timeout' }, 503, 'SERVER.BUSY'],
    [404, { code: 'PGRST202', message: 'Could not find the function public.x' }, 500, 'INTERNAL'],
    [503, { code: 'PGRST000', message: 'Could not connect with the database' }, 503, 'INTERNAL'],
    [502, null, 502, 'INTERNAL'],
    // a message that only looks like a code is still Postgres' text
    [400, { code: 'P0001', message: 'NOT.A_CODE' }, 500, 'INTERNAL'],
  ];
  for (const [status, body, wantStatus, wantCode] of cases) {
    const e = rpcFailure(status, body as Parameters<typeof rpcFailure>[1]);
    assert.ok(e instanceof RpcError);
    assert.deepEqual([e.status, e.code], [wantStatus, wantCode], JSON.stringify(body));
    assert.ok(known.has(e.code));
    const said = `${e.code} ${e.detail ?? ''} ${e.message}`;
    for (const leak of [
      'permission',
      'function',
      'uuid',
      'JWT',
      'deadlock',
      'statement',
      'patients',
      'x_key',
    ])
      assert.ok(!said.includes(leak), `${said} names ${leak}`);
  }
});

Deno.test(
  'makeRpc throws the mapped error for a non-2xx answer (and for a body that is not JSON)',
  async () => {
    const answer = (status: number, text: string) =>
      makeRpc({
        url: 'http://supa.test',
        apiKey: 'k',
        token: 't',
        fetch: () => Promise.resolve(new Response(text, { status })),
      });
    await assert.rejects(
      answer(401, JSON.stringify({ code: '42501', message: 'permission denied for function f' }))('f', {}),
      (e: unknown) => e instanceof RpcError && e.code === 'AUTH.FORBIDDEN' && e.pgCode === '42501',
    );
    await assert.rejects(
      answer(502, '<html>bad gateway</html>')('f', {}),
      (e: unknown) => e instanceof RpcError && e.code === 'INTERNAL' && e.status === 502,
    );
  },
);
