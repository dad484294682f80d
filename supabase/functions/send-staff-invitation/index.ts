// Supabase Edge Function: send-staff-invitation (see handler.ts).
import { defaultRuntime } from '../_shared/context.ts';
import { denoEnv } from '../_shared/http.ts';
import { createLogger } from '../_shared/log.ts';
import { createInvitationHandler } from './handler.ts';

Deno.serve(createInvitationHandler(defaultRuntime(denoEnv, createLogger('send-staff-invitation'))));
