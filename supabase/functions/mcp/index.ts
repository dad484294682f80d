// Supabase Edge Function: mcp — the MCP server over streamable HTTP (see handler.ts).
import { denoEnv } from '../_shared/http.ts';
import { createLogger } from '../_shared/log.ts';
import { createMcpHandler } from './handler.ts';

Deno.serve(
  createMcpHandler({
    env: denoEnv,
    fetch: (...a) => fetch(...a),
    log: createLogger('mcp'),
    nowSeconds: () => Math.floor(Date.now() / 1000),
  }),
);
