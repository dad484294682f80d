/**
 * The booking service and its Supabase adapters, loaded by the browser's composition root on the first booking call
 * (composition/browser.ts, lazyPort): the staff desk renders its queue without them (issue 14). The screens
 * whose first render books or lists visits (My visits, a clinic's page, the kiosk) name this module in
 * FIRST_RENDER_DYNAMIC (scripts/routeSizes.mjs), so it is preloaded with them and counted in their size.
 */
export { BookingService } from '../appointment/BookingService';
export { SupabaseBookingRepository } from '../appointment/repositories/SupabaseBookingRepository';
export { SupabasePublicClinicRepository } from '../appointment/repositories/SupabasePublicClinicRepository';
