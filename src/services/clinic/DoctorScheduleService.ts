/**
 * DoctorScheduleService — a doctor's own week and leave (issue 17, hours19; docs/domain-rules.md H1–H5). Input is
 * validated here (zod, WorkingHours); the database judges who may and every rule. Loaded on first use
 * (services.doctorSchedule()), with the admin's doctor-schedule section only.
 */
import { z } from '../shared/zod';
import { WEEKDAYS, WorkingHours, type WeeklyHours, type Weekday } from '../appointment/api';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { err, ok, type Result } from '../shared/Result';
import type { HoursRow } from './repositories/ClinicRepository';
import type { DoctorLeave, DoctorScheduleRepository } from './repositories/DoctorScheduleRepository';

const isoDay = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
/** One doctor's leave as the admin enters it (H1); the database judges order, past, overlap and the doctor. */
export const DoctorLeaveInputSchema = z.object({
  practitionerId: z.string().check(z.uuid()),
  fromDay: isoDay,
  toDay: isoDay,
  reason: z._default(z.nullable(z.string().check(z.trim(), z.maxLength(200))), null),
});

/** ISO weekday name ↔ the database's weekday number (0 = Sunday), as ClinicService's. */
const dbWeekday = (w: Weekday): number => (WEEKDAYS.indexOf(w) + 1) % 7;
const weekdayName = (n: number): Weekday => WEEKDAYS[(n + 6) % 7] as Weekday;

const invalid = (e: z.core.$ZodError): AppError =>
  appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
    issues: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

export class DoctorScheduleService {
  constructor(private readonly repo: DoctorScheduleRepository) {}

  /** Each doctor's own week (hours19, H4), by member id; a doctor missing from it works the clinic's hours. */
  async doctorHours(clinicId: string): Promise<Result<Readonly<Record<string, WeeklyHours>>, AppError>> {
    const rows = await this.repo.doctorHours(clinicId);
    if (!rows.ok) return rows;
    const out: Record<string, Partial<Record<Weekday, { start: string; end: string }[]>>> = {};
    for (const r of rows.value)
      ((out[r.practitionerId] ??= {})[weekdayName(r.weekday)] ??= []).push({ start: r.start, end: r.end });
    return ok(out);
  }

  /**
   * Replaces one doctor's week ({} = the clinic's hours again): HOURS.INVALID for malformed or overlapping ranges
   * here, and from the database for a range outside the clinic's hours (`problem: 'outside'`, H5).
   */
  async setDoctorHours(
    clinicId: string,
    practitionerId: string,
    weekly: WeeklyHours,
  ): Promise<Result<void, AppError>> {
    const checked = WorkingHours.create({ weekly });
    if (!checked.ok) return checked;
    const rows: HoursRow[] = [];
    for (const w of WEEKDAYS)
      for (const iv of weekly[w] ?? [])
        rows.push({ weekday: dbWeekday(w), start: iv.start, end: iv.end === '24:00' ? '23:59' : iv.end });
    return this.repo.replaceDoctorHours(clinicId, practitionerId, rows);
  }

  /** Every doctor's leave (hours19, H1), by first day. */
  doctorLeave(clinicId: string): Promise<Result<readonly DoctorLeave[], AppError>> {
    return this.repo.doctorLeave(clinicId);
  }

  /** Enters one doctor's leave; answers how many visits stay booked with the doctor on those days. */
  async addDoctorLeave(
    clinicId: string,
    input: z.input<typeof DoctorLeaveInputSchema>,
  ): Promise<Result<{ readonly id: string; readonly visits: number }, AppError>> {
    const p = DoctorLeaveInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    if (p.data.toDay < p.data.fromDay)
      return err(appError(ErrorCodes.LEAVE_INVALID_RANGE, 'Leave refused', { problem: 'order' }));
    return this.repo.addDoctorLeave(clinicId, p.data);
  }

  removeDoctorLeave(leaveId: string): Promise<Result<void, AppError>> {
    return this.repo.removeDoctorLeave(leaveId);
  }
}
