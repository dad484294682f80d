/** The reports service on supabase-js; imported on demand by the browser composition root (Reports tab). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { ReportService } from './ReportService';
import { SupabaseReportsRepository } from './repositories/SupabaseReportsRepository';

export const createSupabaseReportService = (client: SupabaseClient): ReportService =>
  new ReportService(new SupabaseReportsRepository(client));
