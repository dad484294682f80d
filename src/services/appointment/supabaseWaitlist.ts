/** The waitlist service on supabase-js; imported on demand by the browser composition root (My visits, admin). */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Logger } from '../shared/Logger';
import { WaitlistService } from './WaitlistService';
import { SupabaseWaitlistRepository } from './repositories/SupabaseWaitlistRepository';

export const createSupabaseWaitlistService = (client: SupabaseClient, logger?: Logger): WaitlistService =>
  new WaitlistService(new SupabaseWaitlistRepository(client), logger);
