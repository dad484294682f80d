/**
 * The clinic and staff services with their Supabase repository, loaded by the browser's composition root on their
 * first call beyond the desk's first reads (memberships and the clinic's clock, supabaseClinicFirstReads.ts):
 * the desk renders its queue without them (issue 14). The admin page, whose first tab reads the team, the profile
 * and the hours, names this module in FIRST_RENDER_DYNAMIC (scripts/routeSizes.mjs): preloaded and counted.
 */
export { ClinicService } from '../clinic/ClinicService';
export { StaffService } from '../clinic/StaffService';
export { SupabaseClinicRepository } from '../clinic/repositories/SupabaseClinicRepository';
