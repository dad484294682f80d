// Supabase Edge Function: api — REST /v1 (see handler.ts; OpenAPI at /functions/v1/api/v1/openapi.json).
import { denoEnv } from '../_shared/http.ts';
import { createLogger } from '../_shared/log.ts';
import { createApiHandler } from './handler.ts';

Deno.serve(
  createApiHandler({
    env: denoEnv,
    fetch: (...a) => fetch(...a),
    log: createLogger('api'),
    nowSeconds: () => Math.floor(Date.now() / 1000),
  }),
);
