// Issue 14 (lcp23): GET /t/<token> on the local stack answers the tracker's first view rendered on the server with
// the real components (dist-ssr's renderer, built here from src/entry-tracker-server.tsx as `vite build` builds it),
// in the reader's language (Arabic: <html dir="rtl">), with the visit embedded for hydration — the visit exactly as
// the browser reads it (get_tracker_view as anon): nothing the browser could not read, no name, no phone. A link
// that answers no visit gets the plain SPA shell (never a 500); the rendered answer is never cached (no-store).
// The database clock is pinned (the clinic's day does not depend on the hour the suite runs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../supabase/local/stack';
import type { Db } from '../../supabase/local/db/types';
import { buildTrackerServer } from '../../scripts/viteBuildPlugins';
import { openTestDb, startFixtureStack } from '../fixtures/localStack';

const ROOT = new URL('../../', import.meta.url).pathname;
const SHELL =
  '<!doctype html>\n<html lang="fr" dir="ltr">\n  <head><meta charset="UTF-8" /><title>QueueMed</title></head>\n' +
  '  <body>\n    <div id="root"></div>\n  </body>\n</html>\n';
const NAME = 'سلمى 🌿 O\'Brien"; drop table x; --';
const PHONE = '+212661234567';

describe('the tracker first view rendered by the local stack (lcp23)', () => {
  const dist = mkdtempSync(join(tmpdir(), 'qm-tracker-ssr-'));
  const ssr = `${dist}-ssr`;
  let stack: Stack;
  let db: Db;
  let closeDb: () => Promise<void>;

  /** A clinic with `n` walk-ins waiting today (tickets 1…n), each with the tracking link `<prefix>-<ticket>`. */
  const clinic = async (slug: string, name: string, n: number, prefix: string): Promise<void> => {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.clinics (slug, name) values ($1, $2) returning id`,
      [slug, name],
    );
    const clinicId = rows[0]!.id;
    const { rows: q } = await db.query<{ id: string }>(
      `insert into public.queues (clinic_id, day)
       values ($1, (private.now() at time zone 'Africa/Casablanca')::date) returning id`,
      [clinicId],
    );
    for (let i = 1; i <= n; i++) {
      const { rows: p } = await db.query<{ id: string }>(
        `insert into public.patients (clinic_id, full_name, phone) values ($1, $2, $3) returning id`,
        [clinicId, `${NAME} ${i}`, PHONE],
      );
      await db.query(
        `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                                           checked_in_at, tracking_token_hash)
         values ($1, $2, $3, 'walk_in', 'waiting', $4::int, $4::int,
                 private.now() - interval '1 hour' + $4::int * interval '1 minute',
                 private.hash_token($5))`,
        [q[0]!.id, clinicId, p[0]!.id, i, `${prefix}-${i}`],
      );
    }
  };

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } });
  const anonView = async (token: string): Promise<Record<string, unknown>> => {
    const res = await fetch(`${stack.url}/rest/v1/rpc/get_tracker_view`, {
      method: 'POST',
      headers: {
        apikey: stack.keys.anonKey,
        authorization: `Bearer ${stack.keys.anonKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ p_tracking_token: token }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const seedOf = (html: string) => {
    const m = /<script id="qm-seed" type="application\/json">(.*?)<\/script>/s.exec(html);
    return m ? (JSON.parse(m[1]!) as { token: string; lng: string; visit: Record<string, unknown> }) : null;
  };

  beforeAll(async () => {
    writeFileSync(join(dist, 'index.html'), SHELL);
    await buildTrackerServer(ROOT, ssr);
    const t = await openTestDb('pglite', 5, 'migrated');
    db = t.db;
    closeDb = t.close;
    await db.query(
      `insert into private.pinned_clock (at) values ('2026-12-02T10:00:00Z')
       on conflict (id) do update set at = excluded.at`,
    );
    await clinic('ssr-anfa', 'Cabinet SSR Anfa', 3, 'ssr-a');
    await clinic('ssr-other', 'عيادة أخرى', 1, 'ssr-b');
    await db.query(
      `update public.queue_entries set status = 'cancelled', cancelled_at = private.now()
        where tracking_token_hash = private.hash_token('ssr-a-3')`,
    );
    stack = await startFixtureStack(db, { staticDir: dist, trackerSsrDir: ssr });
  }, 400_000);
  afterAll(async () => {
    await stack?.stop();
    await closeDb?.();
    rmSync(dist, { recursive: true, force: true });
    rmSync(ssr, { recursive: true, force: true });
  });

  it('renders the ticket and place in line in Arabic (rtl), embeds the visit as anon reads it, never cached', async () => {
    const res = await get('/t/ssr-a-2', { 'accept-language': 'ar-MA,ar;q=0.9,fr;q=0.8' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    const anon = await anonView('ssr-a-2');
    expect(html).toContain(`data-testid="tracker-ticket">${String(anon['ticket'])}<`);
    expect(html).toContain('data-testid="tracker-position">2<');
    expect(html).toContain('في الانتظار'); // status.waiting in Arabic
    const seed = seedOf(html);
    expect(seed).toMatchObject({ token: 'ssr-a-2', lng: 'ar' });
    // the embedded visit is what the browser itself reads with the anon key, key by key
    for (const [k, v] of Object.entries(seed!.visit)) expect(anon[k], k).toEqual(v);
    // no name, no phone, no other visit's link
    expect(html).not.toContain('سلمى');
    expect(html).not.toContain('661234567');
    expect(html).not.toContain('ssr-a-1');
  });

  it('speaks the link language, else the saved choice (cookie), else Accept-Language', async () => {
    const fr = await (await get('/t/ssr-a-2?lang=fr', { 'accept-language': 'ar' })).text();
    expect(fr).toContain('<html lang="fr" dir="ltr">');
    expect(seedOf(fr)?.lng).toBe('fr');
    const en = await (
      await get('/t/ssr-a-2', { 'accept-language': 'ar', cookie: 'x=1; queuemed.language=en' })
    ).text();
    expect(en).toContain('<html lang="en" dir="ltr">');
    expect(en).toContain('Waiting');
  });

  it("a cancelled visit and another clinic's visit show only what the tracker shows", async () => {
    const cancelled = await (await get('/t/ssr-a-3', { 'accept-language': 'en' })).text();
    expect(seedOf(cancelled)?.visit['status']).toBe('cancelled');
    expect(cancelled).toContain('data-testid="tracker-status">Cancelled<');
    expect(cancelled).not.toContain('data-testid="tracker-position"');
    const other = await (await get('/t/ssr-b-1', { 'accept-language': 'en' })).text();
    expect(other).toContain('عيادة أخرى');
    expect(other).not.toContain('Cabinet SSR Anfa');
    expect(other).toContain('data-testid="tracker-position">1<');
    for (const page of [cancelled, other]) {
      expect(page).not.toContain('سلمى');
      expect(page).not.toContain('661234567');
    }
  });

  it.each(['/t/no-such-link', "/t/'%3B%20select%201--", `/t/${'x'.repeat(300)}`, '/t/ssr-a-2/extra'])(
    '%s answers the plain SPA shell (no render, no 500)',
    async (path) => {
      const res = await get(path, { 'accept-language': 'ar' });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(SHELL);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    },
  );

  it("a malformed link is answered as before (the shell's 404), never a render nor a 500", async () => {
    const res = await get('/t/%E0%A4%A', { 'accept-language': 'ar' });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('qm-seed');
  });

  it('sends the rendered page compressed when the browser accepts it', async () => {
    const res = await fetch(`${stack.url}/t/ssr-a-1`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(await res.text()).toContain('data-testid="tracker-position">1<');
  });
});
