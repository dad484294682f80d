// Supabase Edge Function: client-logs (verify_jwt = false; the anon key and the budgets gate it; see handler.ts).
import { denoEnv } from '../_shared/http.ts';
import { createClientLogsHandler } from './handler.ts';

Deno.serve(
  createClientLogsHandler({
    env: denoEnv,
    now: () => Date.now(),
    sink: (line) => console.log(JSON.stringify(line)),
  }),
);
