/**
 * Edge function `mcp`: QueueMed's MCP server over streamable HTTP (issue 18), the same tools as the stdio
 * server (scripts/mcpServer.ts — one definition, two transports).
 *
 * Stateless: each POST (JSON-RPC) gets a fresh server and transport with JSON answers, so any instance can
 * serve any request. The caller's credential (`Authorization: Bearer qmk_…` / `X-API-Key`, or a user's JWT)
 * is handed to REST /v1 as it came, and REST runs in this very process (its handler, not a network hop):
 * the same key lookup, scopes, rate limits, Idempotency-Keys and problems as /functions/v1/api. Without a
 * credential only the public tools (the clinic directory, free slots, a visit's status) answer; the others return the API's 401
 * as a tool error. `verify_jwt = false` (config.toml) because API keys are not JWTs.
 *
 * One message per request (review18 finding 3): a JSON-RPC batch (an array) is refused with 400 and JSON-RPC
 * error -32600 before any tool runs — MCP 2025-06-18 dropped batching, and one anonymous request of 100
 * find_free_slots calls held the database for 16 s. The local stack also counts anonymous calls per address
 * (supabase/local/publicApiLimit.ts).
 */
// @ts-types="../../../node_modules/@modelcontextprotocol/sdk/dist/esm/server/webStandardStreamableHttp.d.ts"
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createMcpServer } from '../../../scripts/mcpServer.ts';
import { CLIENT_ADDRESS_HEADER, createApiHandler, type ApiRuntime } from '../api/handler.ts';

const CORS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers':
    // traceparent/tracestate/baggage: a browser caller with W3C tracing sends them (as supabase-js, x-client-info)
    'authorization, x-api-key, apikey, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id, x-client-info, traceparent, tracestate, baggage',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version',
};

/** The credential as the caller sent it (the API validates it; nothing is decided here). */
const credential = (req: Request): string | null => {
  const x = req.headers.get('x-api-key')?.trim();
  if (x) return x;
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization')?.trim() ?? '');
  return m?.[1] ?? null;
};

const problem = (status: number, code: string, detail: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({
      type: `https://queuemed.org/problems/${code.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      title: status === 405 ? 'Method Not Allowed' : 'Error',
      status,
      code,
      detail,
    }),
    { status, headers: { 'content-type': 'application/problem+json', ...CORS, ...headers } },
  );

export const createMcpHandler = (rt: ApiRuntime) => {
  const api = createApiHandler(rt);
  const url = (rt.env.get('SUPABASE_URL') ?? '').replace(/\/$/, '');
  const apiUrl = `${url}/functions/v1/api`;
  // REST /v1 in-process: the tools' requests go to the API handler itself, for the client the gateway named
  // (apiaddr18: per-address limits count the MCP client, not the function host).
  const inProcess = (clientAddress: string | null) =>
    ((input: Request | URL | string, init?: RequestInit) => {
      const inner = new Request(input, init);
      inner.headers.delete(CLIENT_ADDRESS_HEADER);
      if (clientAddress) inner.headers.set(CLIENT_ADDRESS_HEADER, clientAddress);
      return api(inner);
    }) as typeof fetch;

  return async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
    // Stateless JSON answers: no standalone SSE stream (GET) and no session to end (DELETE).
    if (req.method !== 'POST')
      return problem(405, 'API.METHOD_NOT_ALLOWED', 'use POST (JSON-RPC)', { allow: 'POST' });
    // one JSON-RPC message per request: a batch is refused before anything runs
    const text = await req.text();
    let message: unknown = null;
    try {
      message = JSON.parse(text);
    } catch {
      message = null; // the transport answers a parse error itself
    }
    if (Array.isArray(message)) {
      return new Response(
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: {
            code: -32600,
            message: 'Batches are not supported: send one JSON-RPC message per request.',
          },
        }),
        { status: 400, headers: { 'content-type': 'application/json', ...CORS } },
      );
    }
    const server = createMcpServer({
      apiUrl,
      apiKey: credential(req),
      fetch: inProcess(req.headers.get(CLIENT_ADDRESS_HEADER)),
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      const res = await transport.handleRequest(
        new Request(req.url, { method: req.method, headers: req.headers, body: text }),
      );
      const headers = new Headers(res.headers);
      for (const [k, v] of Object.entries(CORS)) headers.set(k, v);
      const body = await res.text();
      return new Response(body === '' ? null : body, { status: res.status, headers });
    } catch (e) {
      rt.log.error('mcp request failed', { err: e instanceof Error ? e.name : 'unknown' });
      return problem(500, 'INTERNAL', 'The request could not be completed.');
    } finally {
      await server.close().catch(() => undefined);
    }
  };
};
