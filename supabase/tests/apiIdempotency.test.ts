/**
 * REST /v1's Idempotency-Key store (issue 18) on both databases: a repeat replays the first stored answer,
 * another body under the same key is a mismatch, and the store stays bounded — every begin drops a batch
 * of rows older than the 24-hour retention (by the database's pinnable clock), not only the caller's own
 * key. Service role only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, openTestDb, type TestDb } from './helpers/testDb';
import { failure, rpc, type Actor } from './helpers/sql';

const SERVICE: Actor = { name: 'service', role: 'service_role' };
const USER: Actor = { name: 'user', role: 'authenticated', sub: '00000000-0000-4000-8000-00000000a001' };

describe.each(DB_KINDS)('api_idempotency on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await t.db.query(`insert into private.pinned_clock (at) values ('2026-11-30T10:00:00Z')`);
  }, 300_000);
  afterAll(async () => {
    await t?.stop();
  });

  const begin = (principal: string, key: string, fingerprint: string) =>
    rpc<{ state: string; status?: number; body?: string }>(t.db, SERVICE, 'api_idempotency_begin', {
      p_principal: principal,
      p_key: key,
      p_fingerprint: fingerprint,
    });
  const count = async (where = 'true') =>
    (await t.db.query<{ n: number }>(`select count(*)::int as n from public.api_idempotency where ${where}`))
      .rows[0]!.n;

  it('new → pending → done (replayed), another body is a mismatch; callers other than the service are refused', async () => {
    expect(await begin('key:a', 'k1', 'f1')).toEqual({ state: 'new' });
    expect(await begin('key:a', 'k1', 'f1')).toEqual({ state: 'pending' });
    await rpc(t.db, SERVICE, 'api_idempotency_finish', {
      p_principal: 'key:a',
      p_key: 'k1',
      p_status: 201,
      p_headers: JSON.stringify({ location: '/v1/bookings/x' }),
      p_body: '{"id":"x"}',
    });
    expect(await begin('key:a', 'k1', 'f1')).toMatchObject({
      state: 'done',
      status: 201,
      body: '{"id":"x"}',
    });
    expect(await begin('key:a', 'k1', 'f2')).toEqual({ state: 'mismatch' });
    // the same key of another caller is another request
    expect(await begin('key:b', 'k1', 'f2')).toEqual({ state: 'new' });
    const refused = await failure(
      rpc(t.db, USER, 'api_idempotency_begin', { p_principal: 'x', p_key: 'y', p_fingerprint: 'z' }),
    );
    expect(refused.message).toMatch(/permission denied|AUTH.FORBIDDEN/);
  });

  it('rows older than 24 hours are dropped by any later begin (a bounded batch), younger ones kept', async () => {
    await t.db.query(
      `insert into public.api_idempotency (principal, idempotency_key, fingerprint, status, body, created_at)
       select 'key:old', 'old-' || i, 'f', 200, '{}', timestamptz '2026-11-30T10:00:00Z' - interval '25 hours' - i * interval '1 second'
         from generate_series(1, 150) i`,
    );
    await t.db.query(
      `insert into public.api_idempotency (principal, idempotency_key, fingerprint, created_at)
       values ('key:young', 'pending-1', 'f', timestamptz '2026-11-30T10:00:00Z' - interval '23 hours')`,
    );
    expect(await count(`principal = 'key:old'`)).toBe(150);
    expect(await begin('key:other', 'fresh-1', 'f')).toEqual({ state: 'new' });
    expect(await count(`principal = 'key:old'`)).toBe(50);
    // oldest first: what is left is the 50 youngest of the expired
    const { rows } = await t.db.query<{ lo: number; hi: number }>(
      `select min(substr(idempotency_key, 5)::int) as lo, max(substr(idempotency_key, 5)::int) as hi
         from public.api_idempotency where principal = 'key:old'`,
    );
    expect(rows[0]).toEqual({ lo: 1, hi: 50 });
    expect(await begin('key:other', 'fresh-2', 'f')).toEqual({ state: 'new' });
    expect(await count(`principal = 'key:old'`)).toBe(0);
    expect(await count(`principal = 'key:young'`)).toBe(1);
    // a pending first request that died is released after 24 hours: the key works again
    await t.db.query(`update private.pinned_clock set at = at + interval '2 hours'`);
    expect(await begin('key:young', 'pending-1', 'f2')).toEqual({ state: 'new' });
  });
});
