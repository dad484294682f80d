// Supabase Edge Function: email-unsubscribe (verify_jwt = false; the signed token is the proof; see handler.ts).
import { defaultRuntime } from '../_shared/context.ts';
import { denoEnv } from '../_shared/http.ts';
import { createLogger } from '../_shared/log.ts';
import { createUnsubscribeHandler } from './handler.ts';

Deno.serve(createUnsubscribeHandler(defaultRuntime(denoEnv, createLogger('email-unsubscribe'))));
