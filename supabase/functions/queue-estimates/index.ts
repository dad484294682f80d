// Supabase Edge Function: queue-estimates (see handler.ts). On Supabase, call it with the service role key
// from pg_cron + pg_net every minute and/or a database webhook on public.queues (docs/wait-estimates.md);
// the local stack calls it itself on every queue change and on a tick.
import { defaultRuntime } from '../_shared/context.ts';
import { denoEnv } from '../_shared/http.ts';
import { createLogger } from '../_shared/log.ts';
import { createEstimatesHandler } from './handler.ts';

Deno.serve(createEstimatesHandler(defaultRuntime(denoEnv, createLogger('queue-estimates'))));
