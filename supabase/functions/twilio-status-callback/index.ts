// Supabase Edge Function: twilio-status-callback (verify_jwt = false; see handler.ts).
import { defaultRuntime } from '../_shared/context.ts';
import { denoEnv } from '../_shared/http.ts';
import { createLogger } from '../_shared/log.ts';
import { createStatusCallbackHandler } from './handler.ts';

Deno.serve(createStatusCallbackHandler(defaultRuntime(denoEnv, createLogger('twilio-status-callback'))));
