/**
 * What supabase-js's auth client gets for `GoTrueAdminApi` (`auth.admin`) in the browser build (vite.config.ts,
 * `authJsStubs`; tests, Node and the edge functions use the real package). The admin API needs the service
 * role's key, which never reaches a browser; yet the client constructs it eagerly, ≈ 1.9 KiB gzipped on every
 * signed-in screen's first load (issue 14). Here `auth.admin` exists and every call of it throws — except
 * `signOut(jwt, scope)`, the one method GoTrueClient itself calls, with the signed-in user's own token (its
 * `signOut()` ends the session on the server with it, POST /logout). Without it every sign-out in the browser
 * build threw before the session was removed (found in session 21: test/e2e/desk-first-render.spec.ts).
 */
import { _request } from '@supabase/auth-js/dist/module/lib/fetch.js';
import { isAuthError } from '@supabase/auth-js/dist/module/lib/errors.js';
import { resolveFetch } from '@supabase/auth-js/dist/module/lib/helpers.js';

const SIGN_OUT_SCOPES = ['global', 'local', 'others'] as const;

export default class GoTrueAdminApi {
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly fetch: ReturnType<typeof resolveFetch>;

  constructor(settings?: { url?: string; headers?: Record<string, string>; fetch?: typeof fetch }) {
    this.url = settings?.url ?? '';
    this.headers = settings?.headers ?? {};
    this.fetch = resolveFetch(settings?.fetch);
    return new Proxy(this, {
      get: (target, key) =>
        key in target || typeof key === 'symbol' || key === 'then'
          ? Reflect.get(target, key)
          : () => {
              throw new Error(
                'auth.admin is not in the browser build (src/services/composition/noAuthAdmin.ts)',
              );
            },
    });
  }

  /** auth-js's GoTrueAdminApi.signOut, as GoTrueClient.signOut calls it */
  async signOut(
    jwt: string,
    scope: (typeof SIGN_OUT_SCOPES)[number] = 'global',
  ): Promise<{ data: null; error: unknown }> {
    if (!SIGN_OUT_SCOPES.includes(scope))
      throw new Error(`@supabase/auth-js: Parameter scope must be one of ${SIGN_OUT_SCOPES.join(', ')}`);
    try {
      await _request(this.fetch, 'POST', `${this.url}/logout?scope=${scope}`, {
        headers: this.headers,
        jwt,
        noResolveJson: true,
      });
      return { data: null, error: null };
    } catch (error) {
      if (isAuthError(error)) return { data: null, error };
      throw error;
    }
  }
}
