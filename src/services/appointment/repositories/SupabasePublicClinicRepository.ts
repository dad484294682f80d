/** `PublicClinicRepository` on the `get_public_clinic` RPC (anon may call it), parsed with zod. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { AppError } from '../../shared/AppError';
import { err, type Result } from '../../shared/Result';
import { fromResponse, thrownToAppError } from '../../shared/repositories/postgrest';
import type { PublicClinic, PublicClinicRepository } from './PublicClinicRepository';

const hhmm = z
  .string()
  .regex(/^\d{2}:\d{2}/)
  .transform((v) => v.slice(0, 5));
const PublicClinicSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    time_zone: z.string().min(1),
    default_language: z.enum(['ar', 'fr', 'en']),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    appointment_types: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          duration_minutes: z.number().int(),
          booking_mode: z.enum(['slotted', 'fluid']).default('slotted'),
        }),
      )
      .nullable()
      .transform((v) => v ?? []),
    working_hours: z
      .array(z.object({ weekday: z.number().int().min(0).max(6), starts_at: hhmm, ends_at: hhmm }))
      .nullable()
      .transform((v) => v ?? []),
    practitioners: z
      .array(z.object({ id: z.string(), display_name: z.string() }))
      .nullable()
      .transform((v) => v ?? []),
    booking: z.object({
      booking_horizon_days: z.number(),
      min_booking_notice_minutes: z.number(),
      min_cancel_notice_minutes: z.number(),
    }),
  })
  .transform((c): PublicClinic => ({
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
    })),
    workingHours: c.working_hours.map((w) => ({ weekday: w.weekday, start: w.starts_at, end: w.ends_at })),
    practitioners: c.practitioners.map((p) => ({ id: p.id, displayName: p.display_name })),
    booking: {
      horizonDays: c.booking.booking_horizon_days,
      minBookingNoticeMinutes: c.booking.min_booking_notice_minutes,
      minCancelNoticeMinutes: c.booking.min_cancel_notice_minutes,
    },
  }));

export class SupabasePublicClinicRepository implements PublicClinicRepository {
  constructor(private readonly client: SupabaseClient) {}

  async publicClinic(slugOrId: string): Promise<Result<PublicClinic, AppError>> {
    try {
      return fromResponse(
        await this.client.rpc('get_public_clinic', { p_slug: slugOrId }),
        PublicClinicSchema,
        'get_public_clinic',
      );
    } catch (e) {
      return err(thrownToAppError(e));
    }
  }
}
