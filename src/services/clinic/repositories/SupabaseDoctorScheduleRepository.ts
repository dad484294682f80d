/** The doctor-schedule port on supabase-js (hours19): loaded with the admin's doctor-schedule section only. */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { err, ok, type Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import type { HoursRow } from './ClinicRepository';
import type {
  DoctorHoursRow,
  DoctorLeave,
  DoctorLeaveInput,
  DoctorScheduleRepository,
} from './DoctorScheduleRepository';
import { WEEKDAYS } from '../../appointment/api';

const hhmm = z.pipe(
  z.string(),
  z.transform((v) => v.slice(0, 5)),
);

/** set_practitioner_hours's refusal detail (weekday 0 = Sunday, problem) → the domain's `{ weekday, problem }`. */
const HoursRefusalDetail = z.object({
  weekday: z.optional(z.nullable(z.number().check(z.int(), z.gte(0), z.lte(6)))),
  problem: z.enum(['format', 'order', 'overlap', 'outside']),
});
function hoursRefusal(e: AppError): AppError {
  let raw: unknown = null;
  try {
    raw = JSON.parse(String(e.details?.['detail'] ?? ''));
  } catch {
    raw = null;
  }
  const d = HoursRefusalDetail.safeParse(raw);
  if (!d.success) return e;
  const n = d.data.weekday;
  return appError(ErrorCodes.HOURS_INVALID, 'Working hours refused', {
    ...(n === null || n === undefined ? {} : { weekday: WEEKDAYS[(n + 6) % 7] }),
    problem: d.data.problem,
  });
}

const done = <T>(r: Result<T, AppError>): Result<void, AppError> => (r.ok ? ok(undefined) : r);

/** LEAVE.INVALID_RANGE's JSON detail `{ problem }` → the AppError's details (order | past | length). */
function leaveRefusal(e: AppError): AppError {
  let raw: unknown = null;
  try {
    raw = JSON.parse(String(e.details?.['detail'] ?? ''));
  } catch {
    raw = null;
  }
  const d = z.object({ problem: z.enum(['order', 'past', 'length']) }).safeParse(raw);
  return d.success ? appError(ErrorCodes.LEAVE_INVALID_RANGE, 'Leave refused', d.data) : e;
}

export class SupabaseDoctorScheduleRepository implements DoctorScheduleRepository {
  constructor(private readonly client: SupabaseClient) {}

  doctorHours(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client
          .from('practitioner_hours')
          .select('practitioner_id, weekday, starts_at, ends_at')
          .eq('clinic_id', clinicId)
          .order('weekday')
          .order('starts_at'),
        z.array(
          z.pipe(
            z.object({
              practitioner_id: z.string(),
              weekday: z.number().check(z.int()),
              starts_at: hhmm,
              ends_at: hhmm,
            }),
            z.transform((r): DoctorHoursRow => ({
              practitionerId: r.practitioner_id,
              weekday: r.weekday,
              start: r.starts_at,
              end: r.ends_at,
            })),
          ),
        ),
        'practitioner_hours',
      ),
    );
  }

  /** One RPC (set_practitioner_hours), one transaction: a refused range leaves the doctor's week as it was. */
  replaceDoctorHours(clinicId: string, practitionerId: string, rows: readonly HoursRow[]) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('set_practitioner_hours', {
          p_clinic_id: clinicId,
          p_practitioner_id: practitionerId,
          p_hours: rows.map((x) => ({ weekday: x.weekday, starts_at: x.start, ends_at: x.end })),
        }),
        z.unknown(),
        'set_practitioner_hours',
      );
      if (!r.ok && r.error.code === ErrorCodes.HOURS_INVALID) return err(hoursRefusal(r.error));
      return done(r);
    });
  }

  doctorLeave(clinicId: string) {
    return guard(async () =>
      fromResponse(
        // fix20b: one RPC, which hands the reason only to owners/admins and the doctor themself (the table's
        // reason column has no staff grant)
        await this.client.rpc('get_practitioner_leave', { p_clinic_id: clinicId }),
        z.array(
          z.pipe(
            z.object({
              id: z.string(),
              practitioner_id: z.string(),
              from_day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
              to_day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
              reason: z.nullable(z.string()),
            }),
            z.transform((r): DoctorLeave => ({
              id: r.id,
              practitionerId: r.practitioner_id,
              fromDay: r.from_day,
              toDay: r.to_day,
              reason: r.reason,
            })),
          ),
        ),
        'get_practitioner_leave',
      ),
    );
  }

  /** One RPC (set_practitioner_leave): the database judges order, past, overlap and whose doctor it is. */
  addDoctorLeave(clinicId: string, leave: DoctorLeaveInput) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('set_practitioner_leave', {
          p_clinic_id: clinicId,
          p_practitioner_id: leave.practitionerId,
          p_from_day: leave.fromDay,
          p_to_day: leave.toDay,
          p_reason: leave.reason ?? null,
        }),
        z.object({ id: z.string(), visits: z.number().check(z.int(), z.gte(0)) }),
        'set_practitioner_leave',
      );
      if (r.ok) return ok({ id: r.value.id, visits: r.value.visits });
      return r.error.code === ErrorCodes.LEAVE_INVALID_RANGE ? err(leaveRefusal(r.error)) : r;
    });
  }

  removeDoctorLeave(leaveId: string) {
    return guard(async () =>
      done(
        fromResponse(
          await this.client.rpc('delete_practitioner_leave', { p_leave_id: leaveId }),
          z.unknown(),
          'delete_practitioner_leave',
        ),
      ),
    );
  }
}
