/** The remote-join service on supabase-js; imported on demand by the browser composition root (clinic page). */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Logger } from '../shared/Logger';
import { RemoteJoinService } from './RemoteJoinService';
import { SupabaseRemoteJoinRepository } from './repositories/SupabaseRemoteJoinRepository';

export const createSupabaseRemoteJoinService = (
  client: SupabaseClient,
  trackingUrl: (token: string) => string,
  logger?: Logger,
): RemoteJoinService => new RemoteJoinService(new SupabaseRemoteJoinRepository(client), trackingUrl, logger);
