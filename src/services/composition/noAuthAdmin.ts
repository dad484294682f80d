/**
 * What supabase-js's auth client gets for `GoTrueAdminApi` (`auth.admin`) in the browser build (vite.config.ts,
 * `authJsStubs`; tests, Node and the edge functions use the real package). The admin API needs the service
 * role's key, which never reaches a browser; yet the client constructs it eagerly, ≈ 1.9 KiB gzipped on every
 * signed-in screen's first load (issue 14). Here `auth.admin` exists and every call of it throws.
 */
export default class GoTrueAdminApi {
  constructor(_settings?: unknown) {
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
}
