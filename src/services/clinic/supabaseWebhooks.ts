/** The webhook service on supabase-js; imported on demand by the browser composition root (API tab only). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { WebhookService } from './WebhookService';
import { SupabaseWebhookRepository } from './repositories/SupabaseWebhookRepository';

export const createSupabaseWebhookService = (client: SupabaseClient): WebhookService =>
  new WebhookService(new SupabaseWebhookRepository(client));
