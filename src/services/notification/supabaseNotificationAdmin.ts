/** The admin's notification settings on supabase-js; imported on demand by the browser composition root (admin tabs). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { NotificationAdminService } from './NotificationAdminService';
import { SupabaseNotificationAdminRepository } from './repositories/SupabaseNotificationAdminRepository';

export const createSupabaseNotificationAdminService = (client: SupabaseClient): NotificationAdminService =>
  new NotificationAdminService(new SupabaseNotificationAdminRepository(client));
