/**
 * The two reads of `ClinicRepository`/`StaffRepository` that the desk's first render waits for (issue 14): the
 * signed-in user's memberships (StaffGate) and the clinic's clock (useClinicTime). The browser composition keeps
 * them eager and loads the rest of SupabaseClinicRepository on its first other call; that class answers these two
 * through the same functions, so both paths parse the same rows.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import type { ClinicClock, Member } from './ClinicRepository';

export const role = z.enum(['owner', 'admin', 'practitioner', 'receptionist']);
export const instant = z.pipe(
  z.string(),
  z.transform((v) => new Date(/^\d{4}-\d\d-\d\d \d/.test(v) ? v.replace(' ', 'T') : v).toISOString()),
);

export const MemberRow = z.pipe(
  z.object({
    id: z.string(),
    clinic_id: z.string(),
    user_id: z.string(),
    role,
    display_name: z.string(),
    room: z.nullable(z.string()),
    active: z.boolean(),
  }),
  z.transform((m): Member => ({
    id: m.id,
    clinicId: m.clinic_id,
    userId: m.user_id,
    role: m.role,
    displayName: m.display_name,
    room: m.room,
    active: m.active,
  })),
);
export const MEMBER_COLUMNS = 'id, clinic_id, user_id, role, display_name, room, active';

/** The clock as get_clinic_clock answers it. */
const ClinicClockSchema = z.pipe(
  z.object({
    time_zone: z.string().check(z.minLength(1)),
    now: instant,
    today: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
    offsets: z
      .array(z.object({ from: instant, offset_minutes: z.number().check(z.int(), z.gte(-720), z.lte(840)) }))
      .check(z.minLength(1)),
  }),
  z.transform((c): ClinicClock => ({
    timeZone: c.time_zone,
    now: c.now,
    today: c.today,
    offsets: c.offsets.map((o) => ({ from: o.from, offsetMinutes: o.offset_minutes })),
  })),
);

export function clinicClock(
  client: SupabaseClient,
  clinicId: string,
  from?: string | null,
  to?: string | null,
) {
  return guard(async () =>
    fromResponse(
      await client.rpc('get_clinic_clock', { p_clinic_id: clinicId, p_from: from ?? null, p_to: to ?? null }),
      ClinicClockSchema,
      'get_clinic_clock',
    ),
  );
}

export function myMemberships(client: SupabaseClient, userId: string) {
  return guard(async () =>
    fromResponse(
      await client.from('clinic_members').select(MEMBER_COLUMNS).eq('user_id', userId).order('created_at'),
      z.array(MemberRow),
      'clinic_members',
    ),
  );
}
