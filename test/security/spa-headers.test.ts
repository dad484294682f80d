// Attack review of session 18, finding 6: the web app sent no anti-framing or referrer headers. The local stack now
// answers every SPA file and client-side route — the staff dashboard, a tracking link /t/<token>, the board and the
// kiosk alike (none of them is meant to be embedded) — with frame-ancestors 'none', X-Frame-Options DENY and
// Referrer-Policy no-referrer, driven over HTTP through the real stack (supabase/local/stack.ts → static.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../supabase/local/stack';
import { openTestDb, startFixtureStack } from '../fixtures/localStack';

describe('SPA security headers through the local stack', () => {
  const dist = mkdtempSync(join(tmpdir(), 'qm-spa-headers-'));
  let stack: Stack;
  let closeDb: () => Promise<void>;
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app-Ab12.js'), 'console.log(1)');
    const t = await openTestDb('pglite', 5, 'migrated');
    closeDb = t.close;
    stack = await startFixtureStack(t.db, { staticDir: dist });
  }, 400_000);
  afterAll(async () => {
    await stack?.stop();
    await closeDb?.();
    rmSync(dist, { recursive: true, force: true });
  });

  it.each(['/', '/t/demo-visit-token', '/board/clinic-a', '/kiosk', '/dashboard', '/assets/app-Ab12.js'])(
    '%s cannot be framed and sends no Referer',
    async (path) => {
      const res = await fetch(`${stack.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );
});
