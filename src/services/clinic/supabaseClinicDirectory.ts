// The clinic directory on supabase-js (dir20): its own chunk, loaded by services.directory().
import type { SupabaseClient } from '@supabase/supabase-js';
import { ClinicDirectoryService } from './ClinicDirectoryService';
import { SupabaseClinicDirectoryRepository } from './repositories/SupabaseClinicDirectoryRepository';

export const createSupabaseClinicDirectoryService = (client: SupabaseClient): ClinicDirectoryService =>
  new ClinicDirectoryService(new SupabaseClinicDirectoryRepository(client));
