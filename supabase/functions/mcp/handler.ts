/**
 * Edge function `mcp`: QueueMed's MCP server over streamable HTTP (issue 18), the same tools as the stdio
 * server (scripts/mcpServer.ts — one definition, two transports).
 *
 * Stateless: each POST (JSON-RPC) gets a fresh server and transport with JSON answers, so any instance can
 * serve any request. The caller's credential (`Authorization: Bearer qmk_…` / `X-API-Key`, or a user's JWT)
 * is handed to REST /v1 as it came, and REST runs in this very process (its handler, not a network hop):
 * the same key lookup, scopes, rate limits, Idempotency-Keys and problems as /functions/v1/api. Without a
 * credential only the public tools (free slots, a visit's status) answer; the others return the API's 401
 * as a tool error. `verify_jwt = false` (config.toml) because API keys are not JWTs.
 */
// @ts-types="../../../node_modules/@modelcontextprotocol/sdk/dist/esm/server/webStandardStreamableHttp.d.ts"
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createMcpServer } from '../../../scripts/mcpServer.ts';
import { createApiHandler, type ApiRuntime } from '../api/handler.ts';

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
  // REST /v1 in-process: the tools' requests go to the API handler itself.
  const inProcess = ((input: Request | URL | string, init?: RequestInit) =>
    api(new Request(input, init))) as typeof fetch;

  return async (req: Request): Promise<Response> => {
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
    // Stateless JSON answers: no standalone SSE stream (GET) and no session to end (DELETE).
    if (req.method !== 'POST')
      return problem(405, 'API.METHOD_NOT_ALLOWED', 'use POST (JSON-RPC)', { allow: 'POST' });
    const server = createMcpServer({ apiUrl, apiKey: credential(req), fetch: inProcess });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      const res = await transport.handleRequest(req);
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
