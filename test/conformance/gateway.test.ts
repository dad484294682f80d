// The gateway around the APIs: /health, /config.json, the built SPA (client-side routes fall back to
// index.html, unknown assets are 404), CORS preflight, and the development-mode dev outbox.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoLeak, call, startTestStack, type TestStack } from './harness';
import { SYSTEM_TZ_DIR } from '../../supabase/local/db/pgliteTimeZones';
import { zoneDataVersion, zoneOffsetAt } from '../../supabase/local/db/zoneData';

describe('Gateway', () => {
  let t: TestStack;
  const dist = mkdtempSync(join(tmpdir(), 'qm-dist-'));
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    t = await startTestStack('pglite', { staticDir: dist, devMode: true });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('GET /health → 200 with the database kind; /config.json gives the SPA its backend', async () => {
    const h = await call(t.stack, '/health', { apikey: null });
    expect(h.status).toBe(200);
    expect(h.json).toMatchObject({ status: 'ok', db: 'pglite' });
    const c = await call(t.stack, '/config.json', { apikey: null });
    expect(c.json).toEqual({
      supabaseUrl: t.stack.url,
      supabaseAnonKey: t.stack.anonKey,
      clientLogsUrl: '/client-logs',
    });
  });

  it('GET /health says which zone data release the database computes clinic times with, and what it makes of Morocco', async () => {
    // PGlite reads QUEUEMED_ZONEINFO or /usr/share/zoneinfo (pgliteTimeZones.ts): the oracle is those files
    const h = await call(t.stack, '/health', { apikey: null });
    const offset = zoneOffsetAt(SYSTEM_TZ_DIR, 'Africa/Casablanca', '2026-11-15T12:00:00Z');
    expect(h.json).toMatchObject({
      zone_data: {
        version: zoneDataVersion(SYSTEM_TZ_DIR),
        source: process.env.QUEUEMED_ZONEINFO ? 'QUEUEMED_ZONEINFO' : 'system',
        casablanca_offset_2026_11_minutes: offset,
        morocco_current: offset === 0,
      },
    });
    expect((h.json as { zone_data: { version: string } }).zone_data.version).toMatch(/^20\d\d[a-z]$/);
  });

  it('serves the SPA: assets, index.html for client routes, 404 for unknown assets and traversal', async () => {
    const asset = await call(t.stack, '/assets/app.js', { apikey: null });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    const route = await call(t.stack, '/clinic/abc/queue', { apikey: null });
    expect(route.status).toBe(200);
    expect(route.text).toContain('<div id="root">');
    const missing = await call(t.stack, '/assets/nope.js', { apikey: null });
    expect(missing.status).toBe(404);
    const traversal = await call(t.stack, '/..%2F..%2Fetc%2Fpasswd', { apikey: null });
    expect(traversal.text).not.toContain('root:');
    assertNoLeak(missing.text);
  });

  it('answers CORS preflight for the Supabase headers', async () => {
    const res = await fetch(`${t.stack.url}/rest/v1/rpc/cf_add`, {
      method: 'OPTIONS',
      headers: { origin: 'http://x.test', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('apikey');
  });

  it('development mode: the OTP goes to the dev outbox (service role only) with a masked phone, never the full number', async () => {
    const r = await t.client().auth.signInWithOtp({ phone: '+212612345678' });
    expect(r.error).toBeNull();
    const anon = await call(t.stack, '/dev/outbox');
    expect(anon.status).toBe(403);
    expect(anon.text).not.toMatch(/\d{6}/);
    const box = await call(t.stack, '/dev/outbox', { apikey: t.stack.serviceKey });
    expect(box.status).toBe(200);
    const msgs = box.json as { to: string; body: string; kind: string }[];
    expect(msgs).toHaveLength(1);
    expect(msgs[0]?.kind).toBe('otp');
    expect(msgs[0]?.body).toMatch(/\d{6}/);
    expect(msgs[0]?.to).not.toContain('612345678');
    expect(msgs[0]?.to).toMatch(/78$/);
    const noKey = await call(t.stack, '/dev/outbox', { apikey: null });
    expect(noKey.status).toBe(401);
    const code = /(\d{6})/.exec(msgs[0]?.body ?? '')?.[1] ?? '';
    const v = await t.client().auth.verifyOtp({ phone: '+212612345678', token: code, type: 'sms' });
    expect(v.error).toBeNull();
  });
});
