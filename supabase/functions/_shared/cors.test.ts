// CORS of the functions a browser calls (issue 19): supabase-js in the app sends `traceparent` (and a
// tracing page may add `tracestate`) with every call, so a hosted preflight must allow them — or every
// browser request to the function fails before it is sent. Each handler answers the preflight itself; this
// asks each one with the headers the browser sends and checks every one of them is allowed.
import assert from 'node:assert/strict';
import { createApiHandler } from '../api/handler.ts';
import { createClientLogsHandler } from '../client-logs/handler.ts';
import { createMcpHandler } from '../mcp/handler.ts';
import { createSendSmsHandler } from '../send-sms/handler.ts';
import { createInvitationHandler } from '../send-staff-invitation/handler.ts';
import { makeRuntime } from '../_test/fakes.ts';

/** What supabase-js (functions.invoke through the app's traced fetch) and the API clients send. */
const BROWSER_HEADERS = [
  'authorization',
  'x-client-info',
  'apikey',
  'content-type',
  'traceparent',
  'tracestate',
];

const apiRuntime = () => ({
  env: { get: (n: string) => ({ SUPABASE_URL: 'http://127.0.0.1:9' })[n] },
  fetch: () => Promise.reject(new Error('no network in this test')),
  log: { info: () => {}, warn: () => {}, error: () => {} } as never,
  nowSeconds: () => 1_800_000_000,
});

const handlers: [string, (req: Request) => Promise<Response> | Response][] = [
  ['send-sms', createSendSmsHandler(makeRuntime().rt)],
  ['send-staff-invitation', createInvitationHandler(makeRuntime().rt)],
  [
    'client-logs',
    createClientLogsHandler({ env: { get: () => 'anon-key' }, now: () => 0, sink: () => undefined }),
  ],
  ['api', createApiHandler(apiRuntime())],
  ['mcp', createMcpHandler(apiRuntime())],
];

for (const [name, handle] of handlers) {
  Deno.test(
    `${name}: the preflight allows traceparent, tracestate and every header the browser sends`,
    async () => {
      const res = await handle(
        new Request(`http://127.0.0.1:9/functions/v1/${name}`, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://clinic.example.ma',
            'access-control-request-method': 'POST',
            'access-control-request-headers': BROWSER_HEADERS.join(', '),
          },
        }),
      );
      assert.ok(res.status === 200 || res.status === 204, `${name}: preflight answered ${res.status}`);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const allowed = new Set(
        (res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase()),
      );
      for (const h of BROWSER_HEADERS) assert.ok(allowed.has(h), `${name} does not allow ${h}`);
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    },
  );
}
