// Edge functions conformance: supabase-js functions.invoke against real Deno (warm process per
// function), Supabase's environment variables, JWT verification and verify_jwt = false.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../supabase/local/keys';
import { assertNoLeak, call, startTestStack, type TestStack } from './harness';

// Deno is the same on both databases; one database kind is enough here.
describe('Edge functions', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack('pglite');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('invokes a function with the body, auth header and Supabase env', async () => {
    const { data, error } = await t.client().functions.invoke('echo', { body: { hello: 'world' } });
    expect(error).toBeNull();
    expect(data).toEqual({
      method: 'POST',
      path: '/echo',
      body: { hello: 'world' },
      hasAuth: true,
      clientAddress: expect.stringMatching(/127\.0\.0\.1$/) as string,
      now: expect.any(Number) as number,
      env: { url: t.stack.url, anon: true, service: true },
    });
    // warm: a second call answers from the same process
    const again = await t.client().functions.invoke('echo', { body: { n: 2 } });
    expect((again.data as { body: unknown }).body).toEqual({ n: 2 });
  });

  it('verifies the JWT: none → 401, invalid → 401; verify_jwt = false functions run without one', async () => {
    const none = await call(t.stack, '/functions/v1/echo', { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    const forged = await signJwt('x'.repeat(40), { role: 'anon' }, 60);
    const bad = await call(t.stack, '/functions/v1/echo', { method: 'POST', body: '{}', token: forged });
    expect(bad.status).toBe(401);
    const expired = await signJwt(t.stack.jwtSecret, { role: 'anon' }, -5);
    const exp = await call(t.stack, '/functions/v1/echo', { method: 'POST', body: '{}', token: expired });
    expect(exp.status).toBe(401);
    const open = await call(t.stack, '/functions/v1/open', { method: 'GET', apikey: null });
    expect(open.status).toBe(200);
    expect(open.json).toEqual({ open: true });
    for (const r of [none, bad, exp]) assertNoLeak(r.text);
  });

  it('unknown function → 404; body over 1 MB → 413', async () => {
    const r = await t.client().functions.invoke('nope', { body: {} });
    expect(r.error).not.toBeNull();
    const raw = await call(t.stack, '/functions/v1/nope', {
      method: 'POST',
      body: '{}',
      token: t.stack.anonKey,
    });
    expect(raw.status).toBe(404);
    const traversal = await call(t.stack, '/functions/v1/..%2F..%2Fetc', {
      method: 'POST',
      body: '{}',
      token: t.stack.anonKey,
    });
    expect(traversal.status).toBe(404);
    const big = await call(t.stack, '/functions/v1/echo', {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
      token: t.stack.anonKey,
    });
    expect(big.status).toBe(413);
  });
});

// The first patient message of a morning must not wait for a cold Deno start (issue 16: patient 1's
// "almost your turn" reached the database after the call): listed functions start with the stack.
describe('Edge functions started with the stack', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack('pglite', { prewarmFunctions: ['echo', 'no-such-function'] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('prewarmFunctions: their Deno process runs before any call (unknown names ignored), and answers', async () => {
    expect(t.stack.warmFunctions()).toEqual(['echo']);
    const { data, error } = await t.client().functions.invoke('echo', { body: { first: true } });
    expect(error).toBeNull();
    expect((data as { body: unknown }).body).toEqual({ first: true });
    expect(t.stack.warmFunctions()).toEqual(['echo']);
  });
});
