/** Clinic API keys on supabase-js; imported on demand by the browser composition root (the API keys tab). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { ApiKeyService } from './ApiKeyService';
import { SupabaseApiKeyRepository } from './repositories/SupabaseApiKeyRepository';

export const createSupabaseApiKeyService = (client: SupabaseClient): ApiKeyService =>
  new ApiKeyService(new SupabaseApiKeyRepository(client));
