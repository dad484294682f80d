/** `PublicClinicRepository` on the `get_public_clinic` RPC (anon may call it), parsed with zod. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import { VisitTypeNamesSchema } from '../../clinic/api';
import type { PublicClinic, PublicClinicRepository } from './PublicClinicRepository';

const hhmm = z.pipe(
  z.string().check(z.regex(/^\d{2}:\d{2}/)),
  z.transform((v) => v.slice(0, 5)),
);
const PublicClinicSchema = z.pipe(
  z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    time_zone: z.string().check(z.minLength(1)),
    default_language: z.enum(['ar', 'fr', 'en']),
    phone: z.nullable(z.string()),
    address: z.nullable(z.string()),
    appointment_types: z.pipe(
      z.nullable(
        z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            duration_minutes: z.number().check(z.int()),
            booking_mode: z._default(z.enum(['slotted', 'fluid']), 'slotted'),
            names: VisitTypeNamesSchema,
            color: z.nullable(z.string()),
            practitioner_ids: z.nullable(z.array(z.string())),
          }),
        ),
      ),
      z.transform((v) => v ?? []),
    ),
    working_hours: z.pipe(
      z.nullable(
        z.array(
          z.object({
            weekday: z.number().check(z.int(), z.gte(0), z.lte(6)),
            starts_at: hhmm,
            ends_at: hhmm,
          }),
        ),
      ),
      z.transform((v) => v ?? []),
    ),
    practitioners: z.pipe(
      z.nullable(z.array(z.object({ id: z.string(), display_name: z.nullable(z.string()) }))),
      z.transform((v) => v ?? []),
    ),
    booking: z.object({
      booking_horizon_days: z.number(),
      min_booking_notice_minutes: z.number(),
      min_cancel_notice_minutes: z.number(),
    }),
  }),
  z.transform((c): PublicClinic => ({
    id: c.id,
    slug: c.slug,
    name: c.name,
    timeZone: c.time_zone,
    defaultLanguage: c.default_language,
    phone: c.phone,
    address: c.address,
    appointmentTypes: c.appointment_types.map((t) => ({
      id: t.id,
      name: t.name,
      durationMinutes: t.duration_minutes,
      bookingMode: t.booking_mode,
      names: t.names,
      color: t.color,
      practitionerIds: t.practitioner_ids,
    })),
    workingHours: c.working_hours.map((w) => ({ weekday: w.weekday, start: w.starts_at, end: w.ends_at })),
    practitioners: c.practitioners.map((p) => ({ id: p.id, displayName: p.display_name })),
    booking: {
      horizonDays: c.booking.booking_horizon_days,
      minBookingNoticeMinutes: c.booking.min_booking_notice_minutes,
      minCancelNoticeMinutes: c.booking.min_cancel_notice_minutes,
    },
  })),
);

export class SupabasePublicClinicRepository implements PublicClinicRepository {
  constructor(private readonly client: SupabaseClient) {}

  async publicClinic(slugOrId: string): Promise<Result<PublicClinic, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_public_clinic', { p_slug: slugOrId }),
        PublicClinicSchema,
        'get_public_clinic',
      ),
    );
  }
}
