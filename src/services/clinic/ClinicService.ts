/**
 * ClinicService — the clinic's profile, validated settings (`ClinicSettings`), weekly working hours and
 * closed dates, and onboarding (create a clinic: the caller becomes its owner). Input is validated here
 * (zod, ClinicSettingsSchema, WorkingHours) before the repository is called; the database enforces who may.
 * WorkingHours (with its closed dates) loads when hours or a time zone are checked, not with every signed-in
 * screen (issue 14).
 */
import { z } from '../shared/zod';
import type { WeeklyHours } from '../appointment/api';
import { WEEKDAYS, type Weekday } from '../appointment/api/weekdays';
import type { WorkingHours } from '../appointment/api/workingHours';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { err, ok, type Result } from '../shared/Result';
import { ClinicSettingsSchema, type ClinicSettings } from './api';
import type {
  ClinicClock,
  ClinicProfile,
  ClinicRepository,
  ClosedDateRow,
  HoursRow,
  VisitType,
  VisitTypeInput,
} from './repositories/ClinicRepository';

const lang = z.enum(['ar', 'fr', 'en']);
export const CreateClinicInputSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  slug: z.string().check(z.trim(), z.toLowerCase(), z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)),
  timeZone: z.optional(z.string().check(z.minLength(1))),
  defaultLanguage: z.optional(lang),
  displayName: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(120)))),
});
export const ClinicProfilePatchSchema = z.partial(
  z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    slug: z.string().check(z.trim(), z.toLowerCase(), z.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)),
    timeZone: z.string().check(z.minLength(1)),
    defaultLanguage: lang,
    ticketPrefix: z.string().check(z.regex(/^[A-Z]{1,3}$/)),
    phone: z.nullable(z.string().check(z.regex(/^\+[1-9][0-9]{6,14}$/))),
    address: z.nullable(z.string().check(z.maxLength(500))),
  }),
);
export const ClosedDateInputSchema = z.object({
  day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  reason: z._default(z.nullable(z.string().check(z.trim(), z.maxLength(200))), null),
});

export const VisitTypeInputSchema = z.object({
  id: z.optional(z.nullable(z.string().check(z.uuid()))),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
  durationMinutes: z.number().check(z.int(), z.gte(5), z.lte(480)),
  active: z.optional(z.boolean()),
  bookingMode: z.optional(z.nullable(z.enum(['slotted', 'fluid']))),
  // types19: undefined = keep, null = none. set_appointment_types checks them (languages, lengths, palette) and
  // refuses with a coded problem ('names' / 'color'); the shapes alone here (every signed-in screen loads this)
  names: z.optional(z.nullable(z.record(z.string(), z.string()))),
  color: z.optional(z.nullable(z.string())),
  practitionerIds: z.optional(z.nullable(z.readonly(z.array(z.string())))),
});

export type CreateClinicInput = z.input<typeof CreateClinicInputSchema>;
export type ClinicProfilePatchInput = z.input<typeof ClinicProfilePatchSchema>;

const invalid = (e: z.core.$ZodError): AppError =>
  appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
    issues: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

/** A stored type as an entry of the saved list: its names, colour and doctors left out (= kept). */
const asInput = (t: VisitType): VisitTypeInput => ({
  id: t.id,
  name: t.name,
  durationMinutes: t.durationMinutes,
  active: t.active,
  bookingMode: t.bookingMode,
});

/** ISO weekday name ↔ the database's weekday number (0 = Sunday). */
const dbWeekday = (w: Weekday): number => (WEEKDAYS.indexOf(w) + 1) % 7;
const weekdayName = (n: number): Weekday => WEEKDAYS[(n + 6) % 7] as Weekday;

/** WorkingHours' code (a chunk of its own); a load that fails (offline, an old deploy) answers a coded error. */
const workingHours = (): Promise<Result<typeof WorkingHours, AppError>> =>
  import('../appointment/api/workingHours').then(
    (m) => ok(m.WorkingHours),
    (e: unknown) =>
      err(
        appError(
          ErrorCodes.INTERNAL,
          `could not load WorkingHours: ${e instanceof Error ? e.message : String(e)}`,
        ),
      ),
  );

export class ClinicService {
  constructor(private readonly repo: ClinicRepository) {}

  async createClinic(
    input: CreateClinicInput,
  ): Promise<Result<{ clinicId: string; memberId: string }, AppError>> {
    const p = CreateClinicInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    return this.repo.createClinic({ ...p.data, displayName: p.data.displayName ?? null });
  }

  profile(clinicId: string): Promise<Result<ClinicProfile, AppError>> {
    return this.repo.profile(clinicId);
  }

  async updateProfile(clinicId: string, patch: ClinicProfilePatchInput): Promise<Result<void, AppError>> {
    const p = ClinicProfilePatchSchema.safeParse(patch);
    if (!p.success) return err(invalid(p.error));
    if (p.data.timeZone !== undefined) {
      const hours = await workingHours();
      if (!hours.ok) return hours;
      if (!hours.value.create({ weekly: {}, timeZone: p.data.timeZone }).ok)
        return err(appError(ErrorCodes.TIMEZONE_INVALID, 'Unknown time zone'));
    }
    return this.repo.updateProfile(clinicId, p.data);
  }

  /** Changes some settings; the full result is validated (ClinicSettings) before it is stored. */
  async updateSettings(
    clinicId: string,
    changes: Partial<ClinicSettings>,
  ): Promise<Result<ClinicSettings, AppError>> {
    const current = await this.repo.profile(clinicId);
    if (!current.ok) return current;
    const next = ClinicSettingsSchema.safeParse({ ...current.value.settings, ...changes });
    if (!next.success) return err(invalid(next.error));
    const saved = await this.repo.saveSettings(clinicId, next.data);
    return saved.ok ? ok(next.data) : saved;
  }

  async workingHours(clinicId: string): Promise<Result<WeeklyHours, AppError>> {
    const rows = await this.repo.workingHours(clinicId);
    if (!rows.ok) return rows;
    const weekly: Partial<Record<Weekday, { start: string; end: string }[]>> = {};
    for (const r of rows.value) (weekly[weekdayName(r.weekday)] ??= []).push({ start: r.start, end: r.end });
    return ok(weekly);
  }

  /** Replaces the weekly hours (split days allowed); HOURS.INVALID for malformed or overlapping intervals. */
  async setWorkingHours(clinicId: string, weekly: WeeklyHours): Promise<Result<void, AppError>> {
    const hours = await workingHours();
    if (!hours.ok) return hours;
    const checked = hours.value.create({ weekly });
    if (!checked.ok) return checked;
    const rows: HoursRow[] = [];
    for (const w of WEEKDAYS)
      for (const iv of weekly[w] ?? [])
        rows.push({ weekday: dbWeekday(w), start: iv.start, end: iv.end === '24:00' ? '23:59' : iv.end });
    return this.repo.replaceWorkingHours(clinicId, rows);
  }

  closedDates(clinicId: string): Promise<Result<readonly ClosedDateRow[], AppError>> {
    return this.repo.closedDates(clinicId);
  }

  /** Replaces the whole list in one transaction (one RPC); a refusal names the entry and changes nothing. */
  async setClosedDates(
    clinicId: string,
    input: readonly z.input<typeof ClosedDateInputSchema>[],
  ): Promise<Result<void, AppError>> {
    const p = z.array(ClosedDateInputSchema).check(z.maxLength(400)).safeParse(input);
    if (!p.success) return err(invalid(p.error));
    return this.repo.replaceClosedDates(clinicId, p.data);
  }

  /** Adds (or re-reasons) one closed day: the list with it is saved as one change. */
  async addClosedDate(
    clinicId: string,
    input: z.input<typeof ClosedDateInputSchema>,
  ): Promise<Result<void, AppError>> {
    const p = ClosedDateInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    const current = await this.repo.closedDates(clinicId);
    if (!current.ok) return current;
    return this.repo.replaceClosedDates(clinicId, [
      ...current.value.filter((d) => d.day !== p.data.day),
      p.data,
    ]);
  }

  async removeClosedDate(clinicId: string, day: string): Promise<Result<void, AppError>> {
    const current = await this.repo.closedDates(clinicId);
    if (!current.ok) return current;
    return this.repo.replaceClosedDates(
      clinicId,
      current.value.filter((d) => d.day !== day),
    );
  }

  /** The clinic's visit types (active and retired), by name. */
  visitTypes(clinicId: string): Promise<Result<readonly VisitType[], AppError>> {
    return this.repo.visitTypes(clinicId);
  }

  /** Saves the whole list in one transaction; types left out are retired (deactivated), not deleted. */
  async saveVisitTypes(
    clinicId: string,
    input: readonly z.input<typeof VisitTypeInputSchema>[],
  ): Promise<Result<readonly string[], AppError>> {
    const p = z.array(VisitTypeInputSchema).check(z.maxLength(100)).safeParse(input);
    if (!p.success) return err(invalid(p.error));
    return this.repo.replaceVisitTypes(clinicId, p.data);
  }

  /** Changes one type's length: the clinic's list with the change is saved as one change. */
  setVisitTypeDuration(
    clinicId: string,
    typeId: string,
    durationMinutes: number,
  ): Promise<Result<readonly string[], AppError>> {
    return this.changeVisitType(clinicId, typeId, { durationMinutes });
  }

  /** Sets one type's booking mode (issue 17, F4: null = the clinic's): the clinic's list, saved as one change. */
  setVisitTypeMode(
    clinicId: string,
    typeId: string,
    bookingMode: 'slotted' | 'fluid' | null,
  ): Promise<Result<readonly string[], AppError>> {
    return this.changeVisitType(clinicId, typeId, { bookingMode });
  }

  /**
   * A new type, saved with the clinic's list as one change (issue 17). An archived type of the same name comes
   * back with the new length instead (names are unique per clinic, archived ones included); an active one of
   * that name is refused by the save (VALIDATION.FAILED, problem 'duplicate').
   */
  async addVisitType(
    clinicId: string,
    type: Pick<
      VisitTypeInput,
      'name' | 'durationMinutes' | 'bookingMode' | 'names' | 'color' | 'practitionerIds'
    >,
  ): Promise<Result<readonly string[], AppError>> {
    const current = await this.repo.visitTypes(clinicId);
    if (!current.ok) return current;
    const key = type.name.trim().toLowerCase();
    const archived = current.value.find((t) => !t.active && t.name.toLowerCase() === key);
    if (archived) return this.changeVisitType(clinicId, archived.id, { ...type, active: true });
    return this.saveVisitTypes(clinicId, [...current.value.map(asInput), type]);
  }

  /**
   * One type of the clinic's list changed (`change` applied to it, the others as they are: rename, length,
   * mode, archive/restore), the whole list saved as one change through saveVisitTypes (its validation);
   * NOT_FOUND for a type the clinic lacks.
   */
  async changeVisitType(
    clinicId: string,
    typeId: string,
    change: Partial<
      Pick<
        VisitTypeInput,
        'name' | 'durationMinutes' | 'bookingMode' | 'active' | 'names' | 'color' | 'practitionerIds'
      >
    >,
  ): Promise<Result<readonly string[], AppError>> {
    const current = await this.repo.visitTypes(clinicId);
    if (!current.ok) return current;
    if (!current.value.some((t) => t.id === typeId))
      return err(appError(ErrorCodes.NOT_FOUND, 'no such visit type'));
    return this.saveVisitTypes(
      clinicId,
      current.value.map((t) => ({ ...asInput(t), ...(t.id === typeId ? change : {}) })),
    );
  }

  /** The clinic's zone, today and UTC offsets for [from, to] as the server computes them. */
  clock(clinicId: string, from?: string | null, to?: string | null): Promise<Result<ClinicClock, AppError>> {
    return this.repo.clock(clinicId, from ?? null, to ?? null);
  }
}
