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
  'tools/list: the fifteen tools of the stdio server (issue 18: message log and webhooks since session 12, enable_webhook since 13; issue 17: find_fluid_days since 14, find_clinics since 21)',
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
      'find_clinics',
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

Deno.test(
  'a JSON-RPC batch is refused before any tool runs (review18: one message per request)',
  async () => {
    let calls = 0;
    const h = createMcpHandler({
      env: { get: (n: string) => ({ SUPABASE_URL: 'http://127.0.0.1:9' })[n] },
      fetch: () => {
        calls += 1;
        return Promise.reject(new Error('no network in this test'));
      },
      log: { info: () => {}, warn: () => {}, error: () => {} } as never,
      nowSeconds: () => 1_800_000_000,
    });
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'todays_queue', arguments: { clinicId: '00000000-0000-4000-8000-000000000000' } },
    });
    const r = await h(rpc(Array.from({ length: 100 }, (_, i) => call(i + 1))));
    assert.deepEqual(r.status, 400);
    assert.deepEqual(await r.json(), {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: 'Batches are not supported: send one JSON-RPC message per request.' },
    });
    assert.deepEqual(r.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(calls, 0);
    // a batch of one is a batch too; a single message still answers
    assert.deepEqual((await h(rpc([call(1)]))).status, 400);
    const one = await h(rpc(call(2)));
    assert.deepEqual(one.status, 200);
    assert.deepEqual((await one.json()).id, 2);
  },
);

Deno.test(
  'apiaddr18: a tool’s /rest/v1 calls carry the client address the gateway set, with the stack secret',
  async () => {
    const seen: Headers[] = [];
    const h = createMcpHandler({
      env: {
        get: (n: string) =>
          ({
            SUPABASE_URL: 'http://127.0.0.1:9',
            SUPABASE_ANON_KEY: 'anon-key',
            QUEUEMED_FORWARD_SECRET: 'stack-secret',
          })[n],
      },
      fetch: (input: Request | URL | string, init?: RequestInit) => {
        seen.push(new Request(input, init).headers);
        return Promise.resolve(new Response('[]', { headers: { 'content-type': 'application/json' } }));
      },
      log: { info: () => {}, warn: () => {}, error: () => {} } as never,
      nowSeconds: () => 1_800_000_000,
    });
    const answer = await h(
      rpc(
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: {
            name: 'find_free_slots',
            arguments: { clinicId: '11111111-1111-4111-8111-111111111111', from: '2026-12-03' },
          },
        },
        { 'x-queuemed-client-address': '198.51.100.7' },
      ),
    );
    const rest = seen.filter((x) => x.get('x-queuemed-forward-secret') !== null);
    assert.ok(seen.length > 0, `the tool reached /rest/v1: ${await answer.text()}`);
    assert.deepEqual(rest.length, seen.length);
    for (const x of seen) {
      assert.deepEqual(x.get('x-queuemed-client-address'), '198.51.100.7');
      assert.deepEqual(x.get('x-queuemed-forward-secret'), 'stack-secret');
    }
  },
);
