// Supabase Edge Function: send-sms (see handler.ts for the contract).
import { defaultRuntime } from '../_shared/context.ts';
import { denoEnv } from '../_shared/http.ts';
import { createLogger } from '../_shared/log.ts';
import { createSendSmsHandler } from './handler.ts';

Deno.serve(createSendSmsHandler(defaultRuntime(denoEnv, createLogger('send-sms'))));
