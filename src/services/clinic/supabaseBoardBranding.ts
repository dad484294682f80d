// The board's branding service on supabase-js (board20): its own chunk, loaded by services.boardBranding().
import type { SupabaseClient } from '@supabase/supabase-js';
import { BoardBrandingService } from './BoardBrandingService';
import { SupabaseBoardBrandingRepository } from './repositories/SupabaseBoardBrandingRepository';

export const createSupabaseBoardBrandingService = (client: SupabaseClient): BoardBrandingService =>
  new BoardBrandingService(new SupabaseBoardBrandingRepository(client));
