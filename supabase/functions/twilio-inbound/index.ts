// Supabase Edge Function: twilio-inbound (verify_jwt = false; see handler.ts).
import { defaultRuntime } from '../_shared/context.ts';
import { denoEnv } from '../_shared/http.ts';
import { createLogger } from '../_shared/log.ts';
import { createInboundHandler } from './handler.ts';

Deno.serve(createInboundHandler(defaultRuntime(denoEnv, createLogger('twilio-inbound'))));
