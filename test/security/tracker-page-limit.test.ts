// Security, session 24 (sec24a, review24 L3) — GET /t/<token> renders the tracker's first view on the server
// (supabase/local/trackerPage.ts): a render costs about twice the CPU of the get_tracker_view call it makes, and it
// had no per-address limit (100 renders: 2.39 CPU-s against 1.19 for 100 RPC calls). Now each render is counted per
// client address in its OWN counter (fix24b: scope tracker_page_ip — sec24a counted it in the public reads' public_api_ip,
// so a waiting room behind one NAT address spent that address's get_free_slots and bookings got 429): past the limit the
// stack serves the plain SPA shell (200, the browser reads the visit itself, as before the server render) — never an
// error page, and the renderer is not called. The renderer here is a stand-in that counts its calls (the real one
// is test/integration/trackerFirstView.test.ts's). The window is an hour: nothing depends on the machine's speed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../supabase/local/stack';
import type { Db } from '../../supabase/local/db/types';
import { openTestDb, startFixtureStack } from '../fixtures/localStack';

const HOUR = 3_600_000;
const LIMIT = 3;
const SHELL =
  '<!doctype html>\n<html lang="fr" dir="ltr">\n  <head><meta charset="UTF-8" /><title>QueueMed</title></head>\n' +
  '  <body>\n    <div id="root"></div>\n  </body>\n</html>\n';
// a stand-in renderer (CommonJS: no package.json beside it) that writes each call to a file
const RENDERER = (calls: string) => `
const fs = require('node:fs');
exports.trackerLanguage = () => 'fr';
exports.renderTracker = async ({ token }) => {
  fs.appendFileSync(${JSON.stringify(calls)}, token + '\\n');
  return { html: '<p data-testid="rendered">RENDERED</p>', seed: { token } };
};
`;

describe('the tracker page is counted per client address (review24 L3)', () => {
  const dist = mkdtempSync(join(tmpdir(), 'qm-tracker-limit-'));
  const ssr = `${dist}-ssr`;
  const calls = join(dist, 'calls.txt');
  let stack: Stack;
  let db: Db;
  let closeDb: () => Promise<void>;

  beforeAll(async () => {
    writeFileSync(join(dist, 'index.html'), SHELL);
    mkdirSync(ssr, { recursive: true });
    writeFileSync(join(ssr, 'entry-tracker-server.js'), RENDERER(calls));
    writeFileSync(calls, '');
    const t = await openTestDb('pglite', 5, 'migrated');
    db = t.db;
    closeDb = t.close;
    stack = await startFixtureStack(db, {
      staticDir: dist,
      trackerSsrDir: ssr,
      publicReadIpLimit: { max: LIMIT, windowMs: HOUR },
    });
  }, 400_000);
  afterAll(async () => {
    await stack?.stop();
    await closeDb?.();
    rmSync(dist, { recursive: true, force: true });
    rmSync(ssr, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
  const rendered = async (): Promise<number> => {
    const { readFileSync } = await import('node:fs');
    return readFileSync(calls, 'utf8').split('\n').filter(Boolean).length;
  };

  it(`${LIMIT} renders per address, then the plain shell (200, no render); the public reads keep their own count`, async () => {
    await db.query(`delete from auth.rate_limits`);
    for (let i = 0; i < LIMIT; i++) {
      const res = await get(`/t/limit-${i}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('RENDERED');
    }
    expect(await rendered()).toBe(LIMIT);
    // before: rendered again, without end
    for (const token of ['limit-x', "x'%3B--", encodeURIComponent('تتبع')]) {
      const res = await get(`/t/${token}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).not.toContain('RENDERED');
      expect(html).toContain('<div id="root"></div>');
      expect(html).not.toContain('RATE.LIMITED');
    }
    expect(await rendered()).toBe(LIMIT);
    // fix24b: a counter of its own (scope tracker_page_ip). Before, it was get_free_slots' (public_api_ip) and this
    // read got 429 here — the expectation changed deliberately: the renders spent nothing of the bookings' reads,
    // which still have all LIMIT of theirs, and only then get 429
    const slots = () =>
      fetch(`${stack.url}/rest/v1/rpc/get_free_slots`, {
        method: 'POST',
        headers: {
          apikey: stack.keys.anonKey,
          authorization: `Bearer ${stack.keys.anonKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          p_clinic_id: '00000000-0000-4000-8000-000000000000',
          p_from: '2026-12-02',
          p_to: '2026-12-02',
        }),
      });
    for (let i = 0; i < LIMIT; i++) expect((await slots()).status).not.toBe(429);
    expect((await slots()).status).toBe(429);
    // the renders' own counter stays spent: still the shell
    expect(await (await get('/t/limit-y')).text()).not.toContain('RENDERED');
    expect(await rendered()).toBe(LIMIT);
    // a new window (the counter's row gone): rendered again
    await db.query(`delete from auth.rate_limits`);
    expect(await (await get('/t/limit-again')).text()).toContain('RENDERED');
    expect(await rendered()).toBe(LIMIT + 1);
  });
});
