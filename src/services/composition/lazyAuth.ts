/**
 * What the browser build gets for `@supabase/auth-js` (vite.config.ts aliases it here; tests, Node and the edge
 * functions use the real package). supabase-js constructs its auth client eagerly, which put auth-js (≈ 19 KiB
 * gzipped) in every signed-in screen's first load, though a screen opened with a stored session only needs that
 * session's access token to make its first reads (issue 14: the dashboard's first render).
 *
 * This stand-in loads the real package in the background as soon as it is built (the real client then owns the
 * session as before: it recovers and refreshes it, emits the auth events, signs in and out), and forwards every
 * call to a real client built with the options supabase-js gave. Only `getSession()` answers before the real
 * client is there, and only from what the real one would return without any network call or write: the session
 * stored under the client's storage key, while it is valid for more than auth-js's own expiry margin (90 s), or
 * no session when none is stored. Anything else (an expiring or malformed session, a separate user storage)
 * waits for the real client. `onAuthStateChange` subscribes the callback on the real client once it is loaded,
 * which then tells it INITIAL_SESSION as it would have.
 * test/unit/lazyAuth.test.ts drives it on the real auth-js; the e2e specs run it in the built app.
 */
import type * as AuthJs from '@supabase/auth-js';

type RealModule = typeof AuthJs;
type RealClient = InstanceType<RealModule['AuthClient']>;
type Options = ConstructorParameters<RealModule['AuthClient']>[0];
type Callback = (event: AuthJs.AuthChangeEvent, session: AuthJs.Session | null) => void | Promise<void>;
type SessionResult = Awaited<ReturnType<RealClient['getSession']>>;
type Storage = { getItem(key: string): string | null | Promise<string | null> };

// the deep path escapes the build's alias of the bare name (which points here); the client's own module, not the
// package's index, whose namespace would bring the admin API that vite.config.ts's authJsStubs keep out
const loadReal = (): Promise<Pick<RealModule, 'AuthClient'>> =>
  (
    import('@supabase/auth-js/dist/module/AuthClient.js') as unknown as Promise<{
      default: RealModule['AuthClient'];
    }>
  ).then((m) => ({ AuthClient: m.default }));

/** auth-js's EXPIRY_MARGIN_MS: a session closer than this to its expiry is refreshed by getSession() */
const EXPIRY_MARGIN_MS = 90_000;
const DEFAULT_STORAGE_KEY = 'supabase.auth.token'; // auth-js's own default (supabase-js always passes one)

/** The methods of GoTrueClient that QueueMed or supabase-js may call: each waits for the real client. */
const FORWARDED = [
  'initialize',
  'signInAnonymously',
  'signUp',
  'signInWithPassword',
  'signInWithOAuth',
  'exchangeCodeForSession',
  'signInWithIdToken',
  'signInWithOtp',
  'verifyOtp',
  'signInWithSSO',
  'reauthenticate',
  'resend',
  'getUser',
  'updateUser',
  'setSession',
  'refreshSession',
  'signOut',
  'resetPasswordForEmail',
  'getUserIdentities',
  'linkIdentity',
  'unlinkIdentity',
  'getClaims',
  'startAutoRefresh',
  'stopAutoRefresh',
  'dispose',
] as const;

type Forwarded = { [K in (typeof FORWARDED)[number]]: RealClient[K] };

function storedSession(raw: unknown): { expires_at: number } | null | 'unusable' {
  if (raw === null || raw === undefined) return null;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return 'unusable'; // auth-js decides what to do with what it cannot read
    }
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    !('access_token' in value) ||
    !('refresh_token' in value) ||
    !('expires_at' in value) ||
    typeof value.expires_at !== 'number'
  )
    return 'unusable';
  return value as { expires_at: number };
}

class LazyAuthClient {
  private client: Promise<RealClient> | null = null;
  private real: RealClient | null = null;

  constructor(
    private readonly options: Options,
    private readonly load: () => Promise<Pick<RealModule, 'AuthClient'>> = loadReal,
    private readonly now: () => number = Date.now,
  ) {
    // the real client loads right away but after the caller's own work (its first reads go first)
    setTimeout(() => void this.loaded().catch(() => undefined), 0);
  }

  /** the real client, built on first need; after a failed load (a dropped connection) the next call loads again */
  loaded(): Promise<RealClient> {
    if (this.client) return this.client;
    const client = this.load().then(({ AuthClient: Real }) => {
      const real = new Real(this.options);
      this.real = real;
      return real;
    });
    this.client = client;
    client.catch(() => {
      if (this.client === client) this.client = null;
    });
    return client;
  }

  /** the stored session while it is fresh (what the real client would answer from storage), else the real answer */
  async getSession(): Promise<SessionResult> {
    if (this.real) return this.real.getSession();
    const storage = (this.options.storage ?? globalThis.localStorage) as Storage | undefined;
    if (storage && !this.options.userStorage && this.options.persistSession !== false) {
      let raw: unknown;
      try {
        raw = await storage.getItem(this.options.storageKey ?? DEFAULT_STORAGE_KEY);
      } catch {
        raw = undefined;
      }
      if (raw === null) return { data: { session: null }, error: null };
      const session = raw === undefined ? 'unusable' : storedSession(raw);
      if (
        session &&
        session !== 'unusable' &&
        session.expires_at * 1000 - this.now() >= EXPIRY_MARGIN_MS &&
        !this.real
      )
        return { data: { session: session as never }, error: null };
    }
    return (await this.loaded()).getSession();
  }

  onAuthStateChange(callback: Callback): ReturnType<RealClient['onAuthStateChange']> {
    let subscription: { unsubscribe(): void } | null = null;
    let unsubscribed = false;
    const subscribe = (attempt: number): void => {
      this.loaded().then(
        (real) => {
          if (!unsubscribed)
            subscription = real.onAuthStateChange(callback as (e: AuthJs.AuthChangeEvent) => void).data
              .subscription;
        },
        () => {
          if (!unsubscribed) setTimeout(() => subscribe(attempt + 1), Math.min(30_000, 1_000 * 2 ** attempt));
        },
      );
    };
    subscribe(0);
    const id = typeof crypto !== 'undefined' && crypto.randomUUID ? crypto.randomUUID() : String(this.now());
    return {
      data: {
        subscription: {
          id,
          callback,
          unsubscribe: () => {
            unsubscribed = true;
            subscription?.unsubscribe();
          },
        },
      },
    } as ReturnType<RealClient['onAuthStateChange']>;
  }
}

for (const name of FORWARDED)
  Object.defineProperty(LazyAuthClient.prototype, name, {
    configurable: true,
    writable: true,
    value(this: LazyAuthClient, ...args: unknown[]) {
      return this.loaded().then((real) => (real[name] as (...a: unknown[]) => unknown).apply(real, args));
    },
  });

/** supabase-js extends this (`class SupabaseAuthClient extends AuthClient`); the forwarded methods are defined above */
export const AuthClient = LazyAuthClient as unknown as new (
  options: Options,
  load?: () => Promise<Pick<RealModule, 'AuthClient'>>,
  now?: () => number,
) => LazyAuthClient & Forwarded;
