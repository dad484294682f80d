// Issue 17: the end-to-end suite acts out later moments of a clinic's day (a fluid visit's check-in before and
// after the day opens) by pinning the database's clock through the local stack's /dev/clock. Like the dev
// outbox it exists only in development mode and answers only the service-role key from this machine; without
// development mode there is no such path. On PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../conformance/harness';
import { KINDS, expectNoLeak, raw } from './helpers/stack';

// the conformance stack holds the platform shim only: the app's clock table as the schema migration makes it
const CLOCK_TABLE = `create schema if not exists private;
  create table if not exists private.pinned_clock (id boolean primary key default true check (id), at timestamptz not null)`;

describe.each(KINDS)('dev clock (%s)', (kind) => {
  let plain: TestStack;
  let dev: TestStack;
  beforeAll(async () => {
    plain = await startTestStack(kind);
    dev = await startTestStack(kind, { devMode: true });
    for (const s of [plain, dev]) await s.db.exec(CLOCK_TABLE);
  });
  afterAll(async () => {
    await plain?.stop();
    await dev?.stop();
  });
  const pinned = async (s: TestStack) =>
    (await s.db.query<{ at: Date }>('select at from private.pinned_clock')).rows.map((r) =>
      new Date(r.at).toISOString(),
    );
  const post = (s: TestStack, body: unknown, key: string | null, token?: string) =>
    raw(s.stack, '/dev/clock', {
      method: 'POST',
      body: JSON.stringify(body),
      apikey: key,
      ...(token ? { token } : {}),
    });

  it('without development mode there is no /dev/clock, for any key', async () => {
    for (const key of [plain.stack.anonKey, plain.stack.serviceKey]) {
      const r = await post(plain, { at: '2026-12-03T07:00:00Z' }, key);
      expect(r.status).toBe(404);
    }
    expect(await pinned(plain)).toEqual([]);
  });

  it('in development mode the anon key (even with the service key as bearer) and no key are refused; nothing is pinned', async () => {
    const anon = await post(dev, { at: '2026-12-03T07:00:00Z' }, dev.stack.anonKey);
    expect(anon.status).toBe(403);
    expect(anon.json).toMatchObject({ code: 'DEV.SERVICE_ROLE_REQUIRED' });
    const anonAsBearer = await post(
      dev,
      { at: '2026-12-03T07:00:00Z' },
      dev.stack.anonKey,
      dev.stack.serviceKey,
    );
    expect(anonAsBearer.status).toBe(403);
    const none = await post(dev, { at: '2026-12-03T07:00:00Z' }, null);
    expect(none.status).toBe(401);
    for (const r of [anon, anonAsBearer, none]) expectNoLeak(r.text, 'dev clock');
    expect(await pinned(dev)).toEqual([]);
  });

  it('the service-role key pins the clock, moves it, refuses a malformed instant without changing it, and releases it', async () => {
    const key = dev.stack.serviceKey;
    expect((await post(dev, { at: '2026-12-03T07:00:00Z' }, key)).json).toEqual({
      at: '2026-12-03T07:00:00.000Z',
    });
    expect(await pinned(dev)).toEqual(['2026-12-03T07:00:00.000Z']);
    await post(dev, { at: '2026-12-03T08:30:00.000Z' }, key);
    expect(await pinned(dev)).toEqual(['2026-12-03T08:30:00.000Z']);
    for (const bad of [{ at: 'tomorrow' }, { at: 1_700_000_000 }, { at: '2026-12-03 08:30' }, {}, []]) {
      const r = await post(dev, bad, key);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json).toMatchObject({ code: 'VALIDATION.FAILED' });
      expectNoLeak(r.text, 'dev clock');
    }
    expect(await pinned(dev)).toEqual(['2026-12-03T08:30:00.000Z']);
    expect((await post(dev, { at: null }, key)).json).toEqual({ at: null });
    expect(await pinned(dev)).toEqual([]);
  });
});
