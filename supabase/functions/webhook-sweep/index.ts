// Supabase Edge Function: webhook-sweep (see handler.ts). On Supabase, schedule it with pg_cron + pg_net
// (every minute) calling this URL with the service role key; the local stack calls it itself.
import { defaultRuntime } from '../_shared/context.ts';
import { denoEnv } from '../_shared/http.ts';
import { createLogger } from '../_shared/log.ts';
import { createWebhookSweepHandler } from './handler.ts';

Deno.serve(createWebhookSweepHandler(defaultRuntime(denoEnv, createLogger('webhook-sweep'))));
