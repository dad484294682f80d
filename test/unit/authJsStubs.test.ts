/**
 * The browser build gives supabase-js's auth client inert stand-ins for its admin API and its WebAuthn helpers
 * (vite.config.ts `authJsStubs` → src/services/composition/noAuthAdmin.ts, noWebAuthn.ts; issue 14). Safe only
 * while no browser code uses `auth.admin`, passkeys or WebAuthn MFA, and only while the stand-ins export every
 * name GoTrueClient imports (else the build breaks or, worse, a name is undefined at run time after an upgrade).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import viteConfig from '../../vite.config';
import * as noWebAuthn from '../../src/services/composition/noWebAuthn';
import * as noWeb3 from '../../src/services/composition/noWeb3';
import GoTrueAdminApi from '../../src/services/composition/noAuthAdmin';
// the module build the browser bundles (its errors are the ones the stand-in tells apart)
import GoTrueClient from '@supabase/auth-js/dist/module/GoTrueClient.js';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) ? [p] : [];
  });

const require = createRequire(import.meta.url);
const authJs = join(dirname(require.resolve('@supabase/auth-js/package.json')), 'dist/module');
const goTrueClient = readFileSync(join(authJs, 'GoTrueClient.js'), 'utf8');

/** Names GoTrueClient imports from `spec` (`import { a, b } from 'spec'` / `import X from 'spec'`). */
function importedNames(spec: string): { named: string[]; default: boolean } {
  const esc = spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const named = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*['"]${esc}['"]`).exec(goTrueClient);
  const def = new RegExp(`import\\s+\\w+\\s+from\\s*['"]${esc}['"]`).test(goTrueClient);
  return {
    named: (named?.[1] ?? '')
      .split(',')
      .map((s) => s.trim().split(/\s+as\s+/)[0]!)
      .filter(Boolean),
    default: def,
  };
}

describe('the browser build without auth.admin and WebAuthn', () => {
  it('the stand-ins export every name GoTrueClient imports from the modules they replace', () => {
    const webauthn = importedNames('./lib/webauthn');
    expect(webauthn.named.length).toBeGreaterThan(5);
    const missing = webauthn.named.filter((n) => !(n in noWebAuthn));
    expect(missing).toEqual([]);
    expect(importedNames('./GoTrueAdminApi').default).toBe(true);
    const web3 = importedNames('./lib/web3/ethereum');
    expect(web3.named.length).toBeGreaterThan(2);
    expect(web3.named.filter((n) => !(n in noWeb3))).toEqual([]);
  });

  it('the build replaces them only where GoTrueClient imports them', () => {
    const plugin = (viteConfig as { plugins?: unknown[] }).plugins?.find(
      (p): p is { name: string; resolveId: (s: string, i?: string) => string | null } =>
        (p as { name?: string } | null)?.name === 'queuemed-auth-js-stubs',
    );
    expect(plugin).toBeDefined();
    const client = join(authJs, 'GoTrueClient.js');
    expect(plugin!.resolveId('./lib/webauthn', client)).toMatch(/composition\/noWebAuthn\.ts$/);
    expect(plugin!.resolveId('./GoTrueAdminApi', client)).toMatch(/composition\/noAuthAdmin\.ts$/);
    expect(plugin!.resolveId('./lib/web3/ethereum', client)).toMatch(/composition\/noWeb3\.ts$/);
    expect(plugin!.resolveId('./lib/webauthn', join(authJs, 'index.js'))).toBeNull();
    expect(plugin!.resolveId('./lib/helpers', client)).toBeNull();
  });

  it('no browser source uses auth.admin, passkeys, WebAuthn or Web3 sign-in', () => {
    const uses = (code: string) =>
      /\.auth\s*\.\s*(admin|passkey|mfa|signInWithWeb3)\b|\bwebauthn\b/i.test(code);
    expect(uses('await supabase.auth.admin.listUsers()')).toBe(true);
    expect(uses('client.auth\n  .mfa.enroll({})')).toBe(true);
    expect(uses("await supabase.auth.signInWithWeb3({ chain: 'ethereum' })")).toBe(true);
    expect(uses('await supabase.auth.signInWithPassword(c)')).toBe(false);
    const users = files('src').filter(
      (f) => !/composition\/no(WebAuthn|AuthAdmin|Web3)\.ts$/.test(f) && uses(readFileSync(f, 'utf8')),
    );
    expect(users).toEqual([]);
  });

  it('the stand-ins refuse to be used instead of failing silently', async () => {
    expect(noWebAuthn.browserSupportsWebAuthn()).toBe(false);
    expect(() => noWebAuthn.deserializeCredentialRequestOptions()).toThrow(/without WebAuthn/);
    expect(() => noWeb3.getAddress()).toThrow(/without Web3/);
    expect((await new noWebAuthn.WebAuthnApi().enroll()).error).toBeInstanceOf(Error);
    const admin = new GoTrueAdminApi({}) as unknown as { listUsers: () => unknown; then?: unknown };
    expect(() => admin.listUsers()).toThrow(/auth\.admin is not in the browser build/);
    expect(admin.then).toBeUndefined();
  });
  it('signing out works with the stand-in: GoTrueClient.signOut ends the session on the server with the user’s token (POST /logout) and forgets it', async () => {
    const requests: string[] = [];
    const fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      requests.push(`${init?.method} ${String(input)} ${h.get('Authorization')} ${h.get('apikey')}`);
      return Promise.resolve(
        String(input).includes('scope=global')
          ? Response.json({ code: 401, msg: 'invalid JWT' }, { status: 401 }) // gone already: still signed out
          : new Response(null, { status: 204 }),
      );
    };
    const stored = new Map<string, string>();
    const storage = {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
      removeItem: (k: string) => void stored.delete(k),
    };
    const session = {
      access_token: 'user-jwt',
      refresh_token: 'r',
      token_type: 'bearer',
      expires_in: 3600,
      expires_at: Math.floor(Date.now() / 1000) + 3600,
      user: { id: 'u-1', aud: 'authenticated', app_metadata: {}, user_metadata: {} },
    };
    for (const scope of ['local', 'global'] as const) {
      stored.set('k', JSON.stringify(session));
      const url = 'http://127.0.0.1:1/auth/v1';
      const client = new GoTrueClient({
        url,
        headers: { apikey: 'anon' },
        storageKey: 'k',
        storage,
        autoRefreshToken: false,
        detectSessionInUrl: false,
        fetch: fetch as typeof globalThis.fetch,
      });
      // what the browser build's GoTrueClient constructs in place of the real admin API
      (client as unknown as { admin: unknown }).admin = new GoTrueAdminApi({
        url,
        headers: { apikey: 'anon' },
        fetch: fetch as typeof globalThis.fetch,
      });
      expect(await client.signOut({ scope })).toEqual({ error: null });
      expect(stored.has('k')).toBe(false);
      expect(requests.at(-1)).toBe(`POST ${url}/logout?scope=${scope} Bearer user-jwt anon`);
    }
  });
});
