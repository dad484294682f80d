/**
 * A doctor's own week and leave (issue 17, hours19; docs/domain-rules.md H1–H5): its own port, so its adapter loads
 * with the admin's doctor-schedule section only (services.doctorSchedule(), issue 14's size budgets). The database
 * judges every rule (set_practitioner_hours, set_practitioner_leave, delete_practitioner_leave; RLS for the reads).
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { HoursRow } from './ClinicRepository';

/** One range of a doctor's own week (H4): as HoursRow, for one doctor. */
export interface DoctorHoursRow extends HoursRow {
  readonly practitionerId: string;
}

/** A doctor's days off (H1): `fromDay`..`toDay` inclusive, the clinic's local days. */
export interface DoctorLeave {
  readonly id: string;
  readonly practitionerId: string;
  readonly fromDay: string;
  readonly toDay: string;
  readonly reason: string | null;
}
export interface DoctorLeaveInput {
  readonly practitionerId: string;
  readonly fromDay: string;
  readonly toDay: string;
  readonly reason?: string | null;
}

export interface DoctorScheduleRepository {
  /** Every doctor's own weekly hours in the clinic (staff read them); a doctor without rows works the clinic's. */
  doctorHours(clinicId: string): Promise<Result<readonly DoctorHoursRow[], AppError>>;
  /**
   * Replaces one doctor's week (owner/admin; [] = the clinic's hours again). HOURS.INVALID `{ weekday, problem }`
   * as replaceWorkingHours, plus problem 'outside' for a range not inside one of the clinic's ranges that day (H5).
   */
  replaceDoctorHours(
    clinicId: string,
    practitionerId: string,
    rows: readonly HoursRow[],
  ): Promise<Result<void, AppError>>;
  /** Every doctor's leave in the clinic (its staff read them; anyone else reads none), by first day. */
  doctorLeave(clinicId: string): Promise<Result<readonly DoctorLeave[], AppError>>;
  /**
   * Enters one doctor's leave (owner/admin). LEAVE.INVALID_RANGE (ends first, wholly past, over a year),
   * LEAVE.OVERLAP (the doctor already has leave on one of the days), NOT_FOUND (not a doctor of this clinic).
   * Answers how many visits stay booked with the doctor on those days (they are not moved).
   */
  addDoctorLeave(
    clinicId: string,
    leave: DoctorLeaveInput,
  ): Promise<Result<{ readonly id: string; readonly visits: number }, AppError>>;
  /** Removes one leave (owner/admin of its clinic; NOT_FOUND for another clinic's or a missing one). */
  removeDoctorLeave(leaveId: string): Promise<Result<void, AppError>>;
}
