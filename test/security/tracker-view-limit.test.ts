// Security, session 25 (sec25 item 3) — get_tracker_view (the tracker's status read, anon with a visit token) was
// in no per-address counter: a token guesser was limited only by the token's entropy. Now each call over /rest/v1 is
// counted per client address in its OWN counter (scope tracker_view_ip; npm start: QUEUEMED_TRACKER_VIEW_IP_*,
// default 1200 a minute — about 100 phones behind one NAT address reading on every queue change and reconnect), so a
// waiting room never spends the bookings' public reads (public_api_ip). Past it: 429 RATE.LIMITED (reason
// tracker_address, Retry-After) before the database looks the token up; the app's tracker read hands it on as
// RATE.LIMITED with retry_after_seconds (the tracker screen then says calmly that it tries again: TrackerPage.test).
// The decision is in memory (no round trip added to the tracker's path) and exact within one process; the window is
// an hour, so nothing depends on the machine's speed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../supabase/local/stack';
import type { Db } from '../../supabase/local/db/types';
import { createFetchPublicScreensRepository } from '../../src/services/queue/repositories/FetchPublicScreensRepository';
import { openTestDb, startFixtureStack } from '../fixtures/localStack';

const HOUR = 3_600_000;
const LIMIT = 4;

describe('get_tracker_view is counted per client address (sec25)', () => {
  let stack: Stack;
  let db: Db;
  let closeDb: () => Promise<void>;

  beforeAll(async () => {
    const t = await openTestDb('pglite', 5, 'migrated');
    db = t.db;
    closeDb = t.close;
    stack = await startFixtureStack(db, {
      trackerViewIpLimit: { max: LIMIT, windowMs: HOUR },
      publicReadIpLimit: { max: 2, windowMs: HOUR },
    });
  }, 400_000);
  afterAll(async () => {
    await stack?.stop();
    await closeDb?.();
  });

  const rpc = (fn: string, body: unknown, bearer = stack.keys.anonKey) =>
    fetch(`${stack.url}/rest/v1/rpc/${fn}`, {
      method: 'POST',
      headers: {
        apikey: stack.keys.anonKey,
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  const view = (token: string, bearer?: string) =>
    rpc('get_tracker_view', { p_tracking_token: token }, bearer);

  it(`${LIMIT} reads per address (anon or a signed-in patient alike), then 429 RATE.LIMITED; the service role and the public reads are apart`, async () => {
    // a signed-in patient's token counts like anon: sign-up is open, a token proves nothing about volume
    const up = await fetch(`${stack.url}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: stack.keys.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'sec25-guesser@example.test', password: 'secret-pass-123' }),
    });
    const patientToken = ((await up.json()) as { access_token?: string }).access_token;
    expect(typeof patientToken).toBe('string');
    const statuses: number[] = [];
    // guesses: unknown tokens, SQL metacharacters, Arabic — each answered by the database until the limit
    // fix25c: the token lookups beside get_tracker_view (get_visit_status, get_visit_live, get_visit_running_late)
    // spend the same counter — before, only get_tracker_view was counted and a guesser called the others
    const guesses = ['guess-1', "x';--", 'تتبع', 'guess-4'];
    const fns = ['get_visit_status', 'get_visit_live', 'get_visit_running_late', 'get_tracker_view'];
    for (let i = 0; i < LIMIT; i++)
      statuses.push(
        (await rpc(fns[i]!, { p_tracking_token: guesses[i]! }, i % 2 ? patientToken : undefined)).status,
      );
    expect(statuses.every((s) => s !== 429 && s < 500)).toBe(true);
    // before: answered (404 / 410) without end
    const over = await view('guess-5');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await over.json()) as { code: string; message: string; details: string };
    expect(body.code).toBe('PT429');
    expect(body.message).toBe('RATE.LIMITED');
    expect(JSON.parse(body.details)).toMatchObject({ reason: 'tracker_address' });
    expect((await view('guess-6', patientToken)).status).toBe(429);
    // the siblings are refused too, and the token paths of the running-late and push RPCs
    expect((await rpc('get_visit_live', { p_tracking_token: 'guess-6b' })).status).toBe(429);
    expect((await rpc('report_running_late', { p_tracking_token: 'guess-6c', p_minutes: 10 })).status).toBe(
      429,
    );
    expect(
      (
        await rpc('push_unsubscribe', {
          p_endpoint: 'https://push.example.test/x',
          p_tracking_token: 'guess-6d',
        })
      ).status,
    ).toBe(429);
    // the app's read (the tracker screen's port) hands it on as RATE.LIMITED with when to try again
    const repo = createFetchPublicScreensRepository({
      supabaseUrl: stack.url,
      supabaseAnonKey: stack.keys.anonKey,
    });
    const read = await repo.visit('guess-7');
    expect(read.ok ? 'ok' : read.error.code).toBe('RATE.LIMITED');
    expect(read.ok ? null : Number(read.error.details?.['retryAfterSeconds'])).toBeGreaterThan(0);
    // the service role (the server's own reads) is not counted
    expect((await view('guess-8', stack.keys.serviceKey)).status).not.toBe(429);
    // the bookings' public reads (public_api_ip) were not spent by the tracker's reads: both of theirs remain
    const slots = () =>
      rpc('get_free_slots', {
        p_clinic_id: '00000000-0000-4000-8000-000000000000',
        p_from: '2026-12-02',
        p_to: '2026-12-02',
      });
    expect((await slots()).status).not.toBe(429);
    expect((await slots()).status).not.toBe(429);
    expect((await slots()).status).toBe(429);
  });
});
