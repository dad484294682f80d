/**
 * The browser build's auth stand-in (src/services/composition/lazyAuth.ts, issue 14): auth-js loads in the
 * background, and a screen opened with a stored, fresh session makes its first reads with that session without
 * waiting for it. Driven on the real auth-js (a memory storage and a fetch double): what the stand-in answers
 * early is what the real client answers, and everything else is the real client's own answer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as RealAuthJs from '@supabase/auth-js';
import viteConfig from '../../vite.config';
import { AuthClient } from '../../src/services/composition/lazyAuth';

const NOW = Date.parse('2026-12-03T09:00:00Z');
const KEY = 'sb-queuemed-auth-token';
const URL_ = 'http://127.0.0.1:1/auth/v1';
const user = {
  id: 'u-1',
  aud: 'authenticated',
  email: 'desk@example.test',
  app_metadata: {},
  user_metadata: {},
};
const session = (access: string, expiresInS: number) => ({
  access_token: access,
  refresh_token: `r-${access}`,
  token_type: 'bearer',
  expires_in: expiresInS,
  expires_at: Math.floor(NOW / 1000) + expiresInS,
  user,
});

function memoryStorage(initial: Record<string, string> = {}) {
  const m = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    map: m,
  };
}

/** The real auth-js, its load held until `release()`; every request the real client makes is written down. */
function harness(stored: Record<string, string>) {
  const storage = memoryStorage(stored);
  const requests: string[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    requests.push(`${init?.method ?? 'GET'} ${url.replace(URL_, '')}`);
    if (url.includes('grant_type=refresh_token'))
      return Promise.resolve(Response.json(session('refreshed', 3600)));
    if (url.includes('grant_type=password'))
      return Promise.resolve(Response.json(session('signed-in', 3600)));
    return Promise.resolve(new Response('{}', { status: 404 }));
  };
  let loads = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const load = () => {
    loads += 1;
    return gate.then(() => RealAuthJs);
  };
  const options = {
    url: URL_,
    storageKey: KEY,
    storage,
    persistSession: true,
    autoRefreshToken: false, // no ticker in a unit test; getSession still refreshes an expiring session
    detectSessionInUrl: false,
    fetch: fetch as typeof globalThis.fetch,
  };
  const lazy = new AuthClient(options, load);
  return { lazy, storage, requests, release, loads: () => loads, options };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('auth-js loads beside the first reads (browser build)', () => {
  // the stand-in and the real client read the same pinned clock (timers stay real)
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a fresh stored session is the answer at once, before auth-js has loaded, with no request — as the real client answers', async () => {
    const fresh = session('fresh', 3600);
    const h = harness({ [KEY]: JSON.stringify(fresh) });
    const early = await h.lazy.getSession();
    expect(early).toEqual({ data: { session: fresh }, error: null });
    expect(h.requests).toEqual([]);
    // the real client, from the same storage, says the same
    const real = new RealAuthJs.AuthClient({
      ...h.options,
      storage: memoryStorage({ [KEY]: JSON.stringify(fresh) }),
    });
    expect((await real.getSession()).data.session?.access_token).toBe('fresh');
    await tick();
    expect(h.loads()).toBe(1); // the real client loads in the background all the same
    h.release();
  });

  it('no stored session is no session at once; a sign-in waits for auth-js and then the real client owns the session', async () => {
    const h = harness({});
    expect(await h.lazy.getSession()).toEqual({ data: { session: null }, error: null });
    const signIn = h.lazy.signInWithPassword({ email: 'desk@example.test', password: 'pw' });
    h.release();
    const { data, error } = await signIn;
    expect(error).toBeNull();
    expect(data.session?.access_token).toBe('signed-in');
    expect(h.requests).toEqual(['POST /token?grant_type=password']);
    expect((await h.lazy.getSession()).data.session?.access_token).toBe('signed-in');
  });

  it('a session within auth-js’s 90 s expiry margin is not answered early: the real client refreshes it', async () => {
    const h = harness({ [KEY]: JSON.stringify(session('expiring', 60)) });
    let answered = false;
    const pending = h.lazy.getSession().then((r) => ((answered = true), r));
    await tick();
    expect(answered).toBe(false); // waits for auth-js
    h.release();
    const { data } = await pending;
    expect(data.session?.access_token).toBe('refreshed');
    expect(h.requests).toContain('POST /token?grant_type=refresh_token');
  });

  it('a stored value auth-js would reject (no refresh token, not JSON) is left to the real client', async () => {
    for (const bad of [
      JSON.stringify({ access_token: 'a', expires_at: Math.floor(NOW / 1000) + 3600 }),
      '{oops',
    ]) {
      const h = harness({ [KEY]: bad });
      let answered = false;
      const pending = h.lazy.getSession().then((r) => ((answered = true), r));
      await tick();
      expect(answered).toBe(false);
      h.release();
      expect((await pending).data.session).toBeNull();
    }
  });

  it('auth events reach a subscriber from the real client (INITIAL_SESSION); one unsubscribed before the load hears nothing', async () => {
    const h = harness({ [KEY]: JSON.stringify(session('fresh', 3600)) });
    const heard: string[] = [];
    const gone: string[] = [];
    const { data } = h.lazy.onAuthStateChange((event, s) => {
      heard.push(`${event} ${s?.access_token ?? ''}`);
    });
    expect(typeof data.subscription.unsubscribe).toBe('function');
    h.lazy
      .onAuthStateChange((event) => {
        gone.push(event);
      })
      .data.subscription.unsubscribe();
    h.release();
    await h.lazy.getSession();
    for (let i = 0; i < 20 && !heard.some((e) => e.startsWith('INITIAL_SESSION')); i++) await tick();
    expect(heard).toContain('INITIAL_SESSION fresh');
    expect(gone).toEqual([]);
    await h.lazy.signOut({ scope: 'local' });
    expect(heard.at(-1)).toBe('SIGNED_OUT ');
    expect(h.storage.map.has(KEY)).toBe(false);
  });

  it('a failed load (a dropped connection) is tried again on the next call', async () => {
    let calls = 0;
    const load = () =>
      ++calls === 1 ? Promise.reject(new Error('chunk load failed')) : Promise.resolve(RealAuthJs);
    const lazy = new AuthClient(
      { url: URL_, storageKey: KEY, storage: memoryStorage(), persistSession: true },
      load,
    );
    await tick(); // the background load fails
    expect(calls).toBe(1);
    expect(await lazy.initialize()).toEqual({ error: null }); // a forwarded call loads again
    expect(calls).toBe(2);
  });

  it('its own loader brings the real client (the module the browser build loads)', async () => {
    const h = harness({ [KEY]: JSON.stringify(session('expiring', 60)) });
    const lazy = new AuthClient(h.options);
    const { data } = await lazy.getSession();
    expect(data.session?.access_token).toBe('refreshed');
    h.release();
  });

  it('the browser build aliases @supabase/auth-js to the stand-in, and the stand-in’s own import escapes it', () => {
    const alias = (viteConfig as { resolve?: { alias?: { find: RegExp; replacement: string }[] } }).resolve
      ?.alias;
    const entry = alias?.find((a) => a.find.test('@supabase/auth-js'));
    expect(entry?.replacement).toMatch(/src\/services\/composition\/lazyAuth\.ts$/);
    expect(entry?.find.test('@supabase/auth-js/dist/module/AuthClient.js')).toBe(false);
  });
});
