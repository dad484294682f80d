/**
 * Does a Supabase gateway let a browser send the trace headers (issue 19)? The app's supabase-js sends
 * `traceparent` with every request (src/services/shared/trace.ts); on a hosted project the preflights of
 * /rest/v1 and /auth/v1 are answered by Supabase's gateway, not by our code, and if it does not allow the
 * header every browser request fails. This asks the preflights as a browser would and says which headers each
 * route refuses. `npm run check:cors -- https://<project>.supabase.co [origin]` (docs/operations.md); the local
 * stack answers the same check (test/integration/gatewayCors.test.ts).
 */

/** What the app's browser requests carry besides the CORS-safelisted headers. */
export const BROWSER_REQUEST_HEADERS = [
  'apikey',
  'authorization',
  'content-type',
  'x-client-info',
  'traceparent',
  'tracestate',
] as const;

/** One route of each gateway a browser reaches: PostgREST, GoTrue, edge functions. */
export const PREFLIGHT_PATHS = [
  { path: '/rest/v1/rpc/get_queue', method: 'POST' },
  { path: '/auth/v1/token', method: 'POST' },
  { path: '/functions/v1/api/v1/openapi.json', method: 'GET' },
] as const;

export interface PreflightResult {
  path: string;
  status: number;
  allowedHeaders: string;
  /** Headers the answer does not allow (empty: the browser may send them all). */
  refused: string[];
  originAllowed: boolean;
}

const allows = (allowHeaders: string, name: string): boolean => {
  const list = allowHeaders
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return list.includes('*') || list.includes(name);
};

export async function checkGatewayCors(
  baseUrl: string,
  origin = 'https://app.queuemed.ma',
): Promise<PreflightResult[]> {
  const base = baseUrl.replace(/\/+$/, '');
  const out: PreflightResult[] = [];
  for (const { path, method } of PREFLIGHT_PATHS) {
    const res = await fetch(`${base}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': BROWSER_REQUEST_HEADERS.join(', '),
      },
    });
    await res.arrayBuffer();
    const allowedHeaders = res.headers.get('access-control-allow-headers') ?? '';
    const allowOrigin = res.headers.get('access-control-allow-origin') ?? '';
    const ok = res.status >= 200 && res.status < 300;
    out.push({
      path,
      status: res.status,
      allowedHeaders,
      refused: ok
        ? BROWSER_REQUEST_HEADERS.filter((h) => !allows(allowedHeaders, h))
        : [...BROWSER_REQUEST_HEADERS],
      originAllowed: allowOrigin === '*' || allowOrigin === origin,
    });
  }
  return out;
}

export const corsCheckPassed = (results: readonly PreflightResult[]): boolean =>
  results.every((r) => r.refused.length === 0 && r.originAllowed);
