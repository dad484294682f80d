// The `mcp` function without a network: its answers to non-JSON-RPC methods, the tool list (the stdio
// server's definitions), malformed JSON-RPC, and a staff tool without a credential answered by REST /v1
// in-process (401 before any database call).
import assert from 'node:assert/strict';
import { createMcpHandler } from './handler.ts';

const handler = () =>
  createMcpHandler({
    env: { get: (n: string) => ({ SUPABASE_URL: 'http://127.0.0.1:9' })[n] },
    fetch: () => Promise.reject(new Error('no network in this test')),
    log: { info: () => {}, warn: () => {}, error: () => {} } as never,
    nowSeconds: () => 1_800_000_000,
  });

const rpc = (body: unknown, headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1/functions/v1/mcp', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });

Deno.test('GET and DELETE are 405 problems; OPTIONS is CORS', async () => {
  const h = handler();
  for (const method of ['GET', 'DELETE']) {
    const r = await h(new Request('http://127.0.0.1/functions/v1/mcp', { method }));
    assert.deepEqual(r.status, 405);
    assert.deepEqual(r.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual((await r.json()).code, 'API.METHOD_NOT_ALLOWED');
  }
  const o = await h(new Request('http://127.0.0.1/functions/v1/mcp', { method: 'OPTIONS' }));
  assert.deepEqual(o.status, 204);
  assert.deepEqual(o.headers.get('access-control-allow-origin'), '*');
});

Deno.test(
  'tools/list: the fourteen tools of the stdio server (issue 18: message log and webhooks since session 12, enable_webhook since 13; issue 17: find_fluid_days since 14)',
  async () => {
    const r = await handler()(rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }));
    assert.deepEqual(r.status, 200);
    const body = await r.json();
    assert.deepEqual(body.result.tools.map((t: { name: string }) => t.name).sort(), [
      'book_visit',
      'call_next',
      'cancel_visit',
      'create_webhook',
      'delete_webhook',
      'enable_webhook',
      'find_fluid_days',
      'find_free_slots',
      'list_webhooks',
      'message_log',
      'resend_webhook_delivery',
      'todays_queue',
      'visit_status',
      'webhook_deliveries',
    ]);
  },
);

Deno.test('a staff tool without a credential: the API’s 401 as a tool error', async () => {
  const r = await handler()(
    rpc({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'todays_queue', arguments: { clinicId: '00000000-0000-4000-8000-000000000000' } },
    }),
  );
  assert.deepEqual(r.status, 200);
  const body = await r.json();
  assert.deepEqual(body.result.isError, true);
  assert.deepEqual(JSON.parse(body.result.content[0].text).code, 'AUTH.REQUIRED');
});

Deno.test('malformed JSON-RPC: a JSON-RPC error, no stack', async () => {
  const r = await handler()(
    new Request('http://127.0.0.1/functions/v1/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc": ',
    }),
  );
  assert.deepEqual(r.status, 400);
  const text = await r.text();
  assert.deepEqual(/\n\s+at\s/.test(text), false);
});
