/**
 * In-memory fake of `ClinicRepository` + `StaffRepository`, bound to one user (`world.as(userId)`), with
 * the database's rules: owner/admin edits, only an owner touches an owner, invitations single-use, 7-day
 * expiry, only for the email/phone they were sent to. Passes the clinic contract suite.
 */
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import type { Clock } from '../../shared/Clock';
import { runtimeZoneRules, type ZoneRules } from '../../shared/ZoneRules';
import { err, ok, type Result } from '../../shared/Result';
import { isCleanPersonName, publicPersonName } from './inMemoryNameRules';
import { phoneCountryNotAllowed, smsCountryAllowed } from '../../shared/smsCountries';
import { DEFAULT_CLINIC_SETTINGS, VISIT_TYPE_COLORS, type ClinicSettings } from '../api';
import type {
  ClinicProfile,
  ClinicProfilePatch,
  ClinicRepository,
  ClosedDateRow,
  HoursRow,
  Invitation,
  Member,
  MemberRole,
  NewInvitation,
  StaffRepository,
  TeamChange,
  VisitType,
  VisitTypeInput,
} from './ClinicRepository';
import type {
  DoctorHoursRow,
  DoctorLeave,
  DoctorLeaveInput,
  DoctorScheduleRepository,
} from './DoctorScheduleRepository';

const fail = (code: AppError['code'], message: string): Result<never, AppError> =>
  err(appError(code, message));
const DAY = 86_400_000;
/** A set_* refusal as the database gives it: VALIDATION.FAILED `{ index, problem, … }`. */
const refusal = (index: number, problem: string, extra: Record<string, string> = {}) =>
  err(appError(ErrorCodes.VALIDATION_FAILED, 'Refused', { index, problem, ...extra }));
const DB_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** What set_working_hours refuses (all or nothing): a malformed, reversed or overlapping range. */
function checkHours(rows: readonly HoursRow[]): AppError | null {
  const seen: HoursRow[] = [];
  for (const r of rows) {
    const weekday = DB_WEEKDAYS[r.weekday];
    const refuse = (problem: string) =>
      appError(ErrorCodes.HOURS_INVALID, 'Working hours refused', {
        ...(weekday === undefined ? {} : { weekday }),
        problem,
      });
    if (weekday === undefined || !HHMM.test(r.start) || !HHMM.test(r.end)) return refuse('format');
    if (r.end <= r.start) return refuse('order');
    if (seen.some((o) => o.weekday === r.weekday && o.start < r.end && r.start < o.end))
      return refuse('overlap');
    seen.push(r);
  }
  return null;
}

const btrim = (s: string) => s.replace(/^ +| +$/g, '');
/**
 * create_clinic's name for its founder (20261221990001): the given name; else the profile's name if it passes P1
 * and is no address; else 'Owner'. Never the e-mail (fix21d): it would be read on the tracker and the clinic page.
 */
function founderName(given: string | null, profileName: string | null): string {
  const fromProfile =
    profileName !== null && isCleanPersonName(profileName)
      ? publicPersonName(btrim(profileName) || null)
      : null;
  return [...((given !== null && btrim(given)) || fromProfile || 'Owner')].slice(0, 120).join('');
}

export class InMemoryClinicWorld {
  /** Accounts: their contacts and their profile's name (profiles.full_name), as create_clinic reads them. */
  readonly users = new Map<string, { email: string | null; phone: string | null; fullName: string | null }>();
  readonly clinics = new Map<string, ClinicProfile>();
  readonly members = new Map<string, Member>();
  readonly invitations = new Map<string, Invitation & { token: string }>();
  readonly hours = new Map<string, HoursRow[]>();
  readonly closed = new Map<string, ClosedDateRow[]>();
  readonly types = new Map<string, VisitType[]>();
  /** Members with visits (assigned or served) or report rows on record: remove_member refuses them. */
  readonly history = new Set<string>();
  /** Open visits from today on, by doctor's member id: set_team's future_visits counts them (review20 L1). */
  readonly openVisits = new Map<string, number>();
  readonly leave = new Map<string, DoctorLeave & { clinicId: string }>();
  /** A doctor's own week, by member id (hours19, H4). */
  readonly doctorHours = new Map<string, HoursRow[]>();
  constructor(
    readonly clock: Clock,
    readonly zones: ZoneRules = runtimeZoneRules,
  ) {}
  addUser(
    id: string,
    contact: { email?: string | null; phone?: string | null; fullName?: string | null } = {},
  ): void {
    this.users.set(id, {
      email: contact.email ?? null,
      phone: contact.phone ?? null,
      fullName: contact.fullName ?? null,
    });
  }
  /** The account's profile name, stored as it is (a name written before rule P1 included). */
  setProfileName(id: string, fullName: string | null): void {
    const user = this.users.get(id);
    if (user) user.fullName = fullName;
  }
  as(userId: string | null): ClinicRepository & StaffRepository & DoctorScheduleRepository {
    return new InMemoryClinicRepository(this, userId);
  }
}

class InMemoryClinicRepository implements ClinicRepository, StaffRepository, DoctorScheduleRepository {
  constructor(
    private readonly w: InMemoryClinicWorld,
    private readonly userId: string | null,
  ) {}

  private roleIn(clinicId: string): MemberRole | null {
    return (
      [...this.w.members.values()].find(
        (m) => m.clinicId === clinicId && m.userId === this.userId && m.active,
      )?.role ?? null
    );
  }
  private admin(clinicId: string): Result<void, AppError> {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const r = this.roleIn(clinicId);
    return r === 'owner' || r === 'admin'
      ? ok(undefined)
      : fail(ErrorCodes.AUTH_FORBIDDEN, 'owner or admin only');
  }

  async createClinic(input: {
    name: string;
    slug: string;
    timeZone?: string;
    defaultLanguage?: 'ar' | 'fr' | 'en';
    displayName?: string | null;
  }) {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(input.slug) || input.name.trim() === '')
      return fail(ErrorCodes.VALIDATION_FAILED, 'invalid name or slug');
    if ([...this.w.clinics.values()].some((c) => c.slug === input.slug))
      return fail(ErrorCodes.VALIDATION_FAILED, 'this address (slug) is taken');
    const clinicId = globalThis.crypto.randomUUID();
    this.w.clinics.set(clinicId, {
      id: clinicId,
      slug: input.slug,
      name: input.name,
      timeZone: input.timeZone ?? 'Africa/Casablanca',
      defaultLanguage: input.defaultLanguage ?? 'fr',
      ticketPrefix: 'A',
      phone: null,
      address: null,
      settings: DEFAULT_CLINIC_SETTINGS,
    });
    const memberId = globalThis.crypto.randomUUID();
    this.w.members.set(memberId, {
      id: memberId,
      clinicId,
      userId: this.userId,
      role: 'owner',
      displayName: founderName(input.displayName ?? null, this.w.users.get(this.userId)?.fullName ?? null),
      room: null,
      active: true,
    });
    return ok({ clinicId, memberId });
  }

  async profile(clinicId: string) {
    // the clinic's rule set: its staff only, as get_clinic_staff_settings (anyone else: AUTH.FORBIDDEN)
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    if (this.roleIn(clinicId) === null) return fail(ErrorCodes.AUTH_FORBIDDEN, 'not a member of this clinic');
    const c = this.w.clinics.get(clinicId);
    return c ? ok(structuredClone(c)) : fail(ErrorCodes.NOT_FOUND, 'clinic not found');
  }

  async updateProfile(clinicId: string, patch: ClinicProfilePatch) {
    const a = this.admin(clinicId);
    if (!a.ok) return a;
    const c = this.w.clinics.get(clinicId);
    if (!c) return fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    this.w.clinics.set(clinicId, { ...c, ...patch });
    return ok(undefined);
  }

  async saveSettings(clinicId: string, settings: ClinicSettings) {
    const a = this.admin(clinicId);
    if (!a.ok) return a;
    const c = this.w.clinics.get(clinicId);
    if (!c) return fail(ErrorCodes.NOT_FOUND, 'clinic not found');
    this.w.clinics.set(clinicId, { ...c, settings: structuredClone(settings) });
    return ok(undefined);
  }

  async workingHours(clinicId: string) {
    return ok(
      [...(this.w.hours.get(clinicId) ?? [])].sort(
        (a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start),
      ),
    );
  }
  async replaceWorkingHours(clinicId: string, rows: readonly HoursRow[]) {
    const a = this.admin(clinicId);
    if (!a.ok) return a;
    const refused = checkHours(rows);
    if (refused) return err(refused);
    this.w.hours.set(
      clinicId,
      rows.map((r) => ({ ...r })),
    );
    return ok(undefined);
  }
  async closedDates(clinicId: string) {
    return ok([...(this.w.closed.get(clinicId) ?? [])].sort((a, b) => a.day.localeCompare(b.day)));
  }
  async replaceClosedDates(clinicId: string, rows: readonly ClosedDateRow[]) {
    const a = this.admin(clinicId);
    if (!a.ok) return a;
    const seen = new Set<string>();
    for (const [index, r] of rows.entries()) {
      const d = new Date(`${r.day}T00:00:00Z`);
      if (
        !/^\d{4}-\d{2}-\d{2}$/.test(r.day) ||
        Number.isNaN(d.getTime()) ||
        d.toISOString().slice(0, 10) !== r.day ||
        (r.reason ?? '').length > 200
      )
        return refusal(index, 'format', { day: r.day });
      if (seen.has(r.day)) return refusal(index, 'duplicate', { day: r.day });
      seen.add(r.day);
    }
    this.w.closed.set(
      clinicId,
      rows.map((r) => ({ day: r.day, reason: r.reason?.trim() || null })),
    );
    return ok(undefined);
  }

  async visitTypes(clinicId: string) {
    return ok(
      [...(this.w.types.get(clinicId) ?? [])]
        .map((t) => ({ ...t }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
  async replaceVisitTypes(clinicId: string, types: readonly VisitTypeInput[]) {
    const a = this.admin(clinicId);
    if (!a.ok) return a;
    const current = this.w.types.get(clinicId) ?? [];
    const names = new Set<string>();
    const ids = new Set<string>();
    for (const [index, t] of types.entries()) {
      const name = t.name.trim();
      if (name.length < 1 || name.length > 120) return refusal(index, 'name');
      if (!Number.isInteger(t.durationMinutes) || t.durationMinutes < 5 || t.durationMinutes > 480)
        return refusal(index, 'duration');
      // types19: as set_appointment_types — the three languages, text of ≤ 120; a palette colour
      if (
        t.names != null &&
        Object.entries(t.names).some(
          ([k, v]) => !['ar', 'fr', 'en'].includes(k) || typeof v !== 'string' || v.trim().length > 120,
        )
      )
        return refusal(index, 'names');
      if (t.color != null && !(VISIT_TYPE_COLORS as readonly string[]).includes(t.color))
        return refusal(index, 'color');
      // types19: the doctors who offer it — 1+ of this clinic's active doctors (DR1: practitioner or owner), or null
      if (
        t.practitionerIds != null &&
        (t.practitionerIds.length === 0 ||
          t.practitionerIds.some((m) => {
            const member = this.w.members.get(m);
            return (
              !member ||
              member.clinicId !== clinicId ||
              !member.active ||
              (member.role !== 'practitioner' && member.role !== 'owner')
            );
          }))
      )
        return refusal(index, 'practitioners');
      if (names.has(name.toLowerCase())) return refusal(index, 'duplicate');
      names.add(name.toLowerCase());
      if (t.id) {
        if (ids.has(t.id) || !current.some((c) => c.id === t.id))
          return refusal(index, 'unknown', { id: t.id });
        ids.add(t.id);
      }
    }
    const next: VisitType[] = current.filter((c) => !ids.has(c.id)).map((c) => ({ ...c, active: false }));
    const out: string[] = [];
    for (const t of types) {
      const name = t.name.trim();
      const reuse = t.id ? null : next.findIndex((c) => c.name === name);
      const id =
        t.id ??
        (reuse !== null && reuse >= 0 ? next.splice(reuse, 1)[0]!.id : globalThis.crypto.randomUUID());
      const before = current.find((c) => c.id === id);
      next.push({
        id,
        name,
        durationMinutes: t.durationMinutes,
        active: t.active ?? true,
        bookingMode: t.bookingMode !== undefined ? t.bookingMode : (before?.bookingMode ?? null),
        names:
          t.names !== undefined
            ? Object.fromEntries(
                Object.entries(t.names ?? {})
                  .map(([k, v]) => [k, (v ?? '').trim()])
                  .filter(([, v]) => v !== ''),
              )
            : (before?.names ?? {}),
        color: t.color !== undefined ? t.color : (before?.color ?? null),
        practitionerIds:
          t.practitionerIds !== undefined
            ? t.practitionerIds && [...new Set(t.practitionerIds)]
            : (before?.practitionerIds ?? null),
      });
      out.push(id);
    }
    this.w.types.set(clinicId, next);
    return ok(out);
  }

  private today(clinicId: string): string | null {
    const c = this.w.clinics.get(clinicId);
    if (!c) return null;
    const now = this.w.clock.now().getTime();
    return new Date(now + this.w.zones(c.timeZone).offset(now) * 60_000).toISOString().slice(0, 10);
  }

  async doctorHours(clinicId: string) {
    if (this.roleIn(clinicId) === null) return ok([]);
    const out: DoctorHoursRow[] = [];
    for (const [practitionerId, rows] of this.w.doctorHours)
      if (this.w.members.get(practitionerId)?.clinicId === clinicId)
        for (const r of rows) out.push({ practitionerId, ...r });
    return ok(out.sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start)));
  }

  /** set_practitioner_hours's rules: as set_working_hours, and each range inside one of the clinic's (H5). */
  async replaceDoctorHours(clinicId: string, practitionerId: string, rows: readonly HoursRow[]) {
    const may = this.admin(clinicId);
    if (!may.ok) return may;
    const doctor = this.w.members.get(practitionerId);
    if (
      !doctor ||
      doctor.clinicId !== clinicId ||
      !doctor.active ||
      (doctor.role !== 'practitioner' && doctor.role !== 'owner')
    )
      return fail(ErrorCodes.NOT_FOUND, 'practitioner not found in this clinic');
    const bad = checkHours(rows);
    if (bad) return err(bad);
    const clinic = this.w.hours.get(clinicId) ?? [];
    const outside = rows.find(
      (r) => !clinic.some((c) => c.weekday === r.weekday && c.start <= r.start && r.end <= c.end),
    );
    if (outside)
      return err(
        appError(ErrorCodes.HOURS_INVALID, 'Working hours refused', {
          weekday: DB_WEEKDAYS[outside.weekday] ?? '',
          problem: 'outside',
        }),
      );
    this.w.doctorHours.set(practitionerId, [...rows]);
    return ok(undefined);
  }

  async doctorLeave(clinicId: string) {
    // get_practitioner_leave: the clinic's staff read its leave; the reason only owners/admins and the doctor
    // themself (fix20b); anyone else is refused (review21 L5: require_staff, 403)
    const role = this.roleIn(clinicId);
    if (role === null) return fail(ErrorCodes.AUTH_FORBIDDEN, 'not a member of this clinic');
    const mayReadReason = (practitionerId: string) =>
      role === 'owner' || role === 'admin' || this.w.members.get(practitionerId)?.userId === this.userId;
    return ok(
      [...this.w.leave.values()]
        .filter((l) => l.clinicId === clinicId)
        .sort((a, b) => a.fromDay.localeCompare(b.fromDay))
        .map(({ clinicId: _c, ...l }) => (mayReadReason(l.practitionerId) ? l : { ...l, reason: null })),
    );
  }

  /** set_practitioner_leave's rules (H1), in its order. */
  async addDoctorLeave(clinicId: string, input: DoctorLeaveInput) {
    const may = this.admin(clinicId);
    if (!may.ok) return may;
    const doctor = this.w.members.get(input.practitionerId);
    if (
      !doctor ||
      doctor.clinicId !== clinicId ||
      !doctor.active ||
      (doctor.role !== 'practitioner' && doctor.role !== 'owner')
    )
      return fail(ErrorCodes.NOT_FOUND, 'practitioner not found in this clinic');
    const day = /^\d{4}-\d{2}-\d{2}$/;
    if (!day.test(input.fromDay) || !day.test(input.toDay))
      return fail(ErrorCodes.VALIDATION_FAILED, 'from and to days are required');
    const range = (problem: string) =>
      err(appError(ErrorCodes.LEAVE_INVALID_RANGE, 'Leave refused', { problem }));
    if (input.toDay < input.fromDay) return range('order');
    if (input.toDay < (this.today(clinicId) ?? '')) return range('past');
    if ((Date.parse(input.toDay) - Date.parse(input.fromDay)) / DAY > 365) return range('length');
    const reason = input.reason?.trim() || null;
    if (reason !== null && (reason.length > 200 || /\p{Cc}/u.test(reason)))
      return fail(ErrorCodes.VALIDATION_FAILED, 'a reason is at most 200 characters on one line');
    if (
      [...this.w.leave.values()].some(
        (l) =>
          l.practitionerId === input.practitionerId && l.fromDay <= input.toDay && input.fromDay <= l.toDay,
      )
    )
      return fail(ErrorCodes.LEAVE_OVERLAP, 'this doctor already has leave on some of these days');
    const id = globalThis.crypto.randomUUID();
    this.w.leave.set(id, {
      id,
      clinicId,
      practitionerId: input.practitionerId,
      fromDay: input.fromDay,
      toDay: input.toDay,
      reason,
    });
    return ok({ id, visits: 0 }); // the fake holds no visits
  }

  async removeDoctorLeave(leaveId: string) {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const l = this.w.leave.get(leaveId);
    if (!l || this.roleIn(l.clinicId) === null) return fail(ErrorCodes.NOT_FOUND, 'leave not found');
    const may = this.admin(l.clinicId);
    if (!may.ok) return may;
    this.w.leave.delete(leaveId);
    return ok(undefined);
  }

  async clock(clinicId: string, from?: string | null, to?: string | null) {
    const c = this.w.clinics.get(clinicId);
    if (!c) return fail(ErrorCodes.NOT_FOUND, 'no such clinic');
    const now = this.w.clock.now();
    // the offsets by the world's zone rules (the runtime's, or a test's fixed table), in whole minutes
    const zone = this.w.zones(c.timeZone);
    const offsetAt = (t: number) => zone.offset(t);
    const today = new Date(now.getTime() + offsetAt(now.getTime()) * 60_000).toISOString().slice(0, 10);
    const start = from ?? today;
    const end = to ?? start;
    const span = (Date.parse(end) - Date.parse(start)) / DAY;
    if (!(span >= 0 && span <= 62)) return refusal(0, 'range');
    const offsets: { from: string; offsetMinutes: number }[] = [];
    const first = Date.parse(`${start}T00:00:00Z`) - 15 * 3_600_000;
    const last = Date.parse(`${end}T00:00:00Z`) + DAY + 15 * 3_600_000;
    for (let t = first; t <= last; t += 15 * 60_000) {
      const off = offsetAt(t);
      if (offsets.at(-1)?.offsetMinutes !== off)
        offsets.push({ from: new Date(t).toISOString(), offsetMinutes: off });
    }
    return ok({ timeZone: c.timeZone, now: now.toISOString(), today, offsets });
  }

  async members(clinicId: string) {
    if (this.roleIn(clinicId) === null)
      return ok(
        [...this.w.members.values()].filter((m) => m.clinicId === clinicId && m.userId === this.userId),
      );
    return ok(
      [...this.w.members.values()]
        .filter((m) => m.clinicId === clinicId)
        .sort((a, b) => a.displayName.localeCompare(b.displayName)),
    );
  }

  async myMemberships(userId: string) {
    if (this.userId !== userId) return ok([]);
    return ok([...this.w.members.values()].filter((m) => m.userId === userId));
  }

  async updateTeam(clinicId: string, changes: readonly TeamChange[]) {
    const a = this.admin(clinicId);
    if (!a.ok) return a;
    const seen = new Set<string>();
    for (const [index, c] of changes.entries()) {
      if (c.role !== undefined && !['owner', 'admin', 'practitioner', 'receptionist'].includes(c.role))
        return refusal(index, 'role', { id: c.memberId });
      if (c.room !== undefined && c.room !== null && (c.room.trim().length < 1 || c.room.trim().length > 40))
        return refusal(index, 'room', { id: c.memberId });
      if (seen.has(c.memberId)) return refusal(index, 'duplicate', { id: c.memberId });
      seen.add(c.memberId);
      const m = this.w.members.get(c.memberId);
      if (!m || m.clinicId !== clinicId) return refusal(index, 'unknown', { id: c.memberId });
    }
    // as set_team does: the authority is judged once on the team as it was, then the FINAL team must keep
    // an active owner — whatever order the changes are listed in
    for (const c of changes) {
      const may = this.mayTouch(this.w.members.get(c.memberId) as Member, c.role);
      if (!may.ok) return may;
    }
    // set_team's future_visits (DR3, feat21b): the open visits of the members who are bookable doctors (DR1: an
    // active practitioner or owner) before this save and not after it
    const doctor = (active: boolean, role: string) => active && (role === 'practitioner' || role === 'owner');
    const futureVisits = changes
      .filter((c) => {
        const m = this.w.members.get(c.memberId) as Member;
        return doctor(m.active, m.role) && !doctor(c.active ?? m.active, c.role ?? m.role);
      })
      .reduce((n, c) => n + (this.w.openVisits.get(c.memberId) ?? 0), 0);
    const next = new Map(this.w.members);
    for (const c of changes) {
      const m = next.get(c.memberId) as Member;
      next.set(c.memberId, {
        ...m,
        ...(c.role !== undefined ? { role: c.role } : {}),
        ...(c.room !== undefined ? { room: c.room?.trim() || null } : {}),
        ...(c.active !== undefined ? { active: c.active } : {}),
      });
    }
    if (![...next.values()].some((x) => x.clinicId === clinicId && x.role === 'owner' && x.active))
      return fail(ErrorCodes.MEMBER_LAST_OWNER, 'a clinic needs at least one owner');
    for (const [id, m] of next) this.w.members.set(id, m);
    return ok({ futureVisits });
  }

  private mayTouch(m: Member, newRole?: MemberRole): Result<void, AppError> {
    const a = this.admin(m.clinicId);
    if (!a.ok) return a;
    if ((m.role === 'owner' || newRole === 'owner') && this.roleIn(m.clinicId) !== 'owner')
      return fail(ErrorCodes.AUTH_FORBIDDEN, 'only an owner changes an owner');
    return ok(undefined);
  }
  async updateMember(
    memberId: string,
    patch: Partial<Pick<Member, 'role' | 'displayName' | 'room' | 'active'>>,
  ) {
    const m = this.w.members.get(memberId);
    if (!m) return fail(ErrorCodes.NOT_FOUND, 'member not found');
    const may = this.mayTouch(m, patch.role);
    if (!may.ok) return may;
    this.w.members.set(memberId, { ...m, ...patch });
    return ok(undefined);
  }
  async removeMember(memberId: string) {
    const m = this.w.members.get(memberId);
    // as remove_member (fix20b): another clinic's member is as unknown as a made-up id
    if (!m || this.roleIn(m.clinicId) === null) return fail(ErrorCodes.NOT_FOUND, 'member not found');
    const may = this.mayTouch(m);
    if (!may.ok) return may;
    // as remove_member: the last active owner stays; a member with history is deactivated instead
    if (
      m.role === 'owner' &&
      m.active &&
      ![...this.w.members.values()].some(
        (o) => o.clinicId === m.clinicId && o.id !== m.id && o.role === 'owner' && o.active,
      )
    )
      return fail(ErrorCodes.MEMBER_LAST_OWNER, 'a clinic needs at least one active owner');
    if (this.w.history.has(memberId))
      return fail(ErrorCodes.MEMBER_HAS_HISTORY, 'this member has visits on record; deactivate them instead');
    this.w.members.delete(memberId);
    return ok(undefined);
  }

  async invitations(clinicId: string) {
    if (!this.admin(clinicId).ok) return ok([]);
    return ok(
      [...this.w.invitations.values()].filter((i) => i.clinicId === clinicId).map(({ token: _t, ...i }) => i),
    );
  }
  async invite(clinicId: string, inv: NewInvitation) {
    const a = this.admin(clinicId);
    if (!a.ok) return a;
    if (inv.role === 'owner' && this.roleIn(clinicId) !== 'owner')
      return fail(ErrorCodes.AUTH_FORBIDDEN, 'only an owner can invite an owner');
    if (inv.phone && !/^\+[1-9][0-9]{6,14}$/.test(inv.phone))
      return fail(ErrorCodes.PHONE_INVALID, 'phone must be E.164');
    // staff_invitations_phone_country (sec22a)
    if (inv.phone && !smsCountryAllowed(inv.phone)) return err(phoneCountryNotAllowed());
    if (!inv.email && !inv.phone)
      return fail(ErrorCodes.VALIDATION_FAILED, 'an email or a phone is required');
    const id = globalThis.crypto.randomUUID();
    const token =
      globalThis.crypto.randomUUID().replace(/-/g, '') + globalThis.crypto.randomUUID().replace(/-/g, '');
    const expiresAt = new Date(this.w.clock.now().getTime() + 7 * DAY).toISOString();
    this.w.invitations.set(id, {
      id,
      clinicId,
      role: inv.role,
      email: inv.email?.toLowerCase() ?? null,
      phone: inv.phone ?? null,
      displayName: inv.displayName,
      room: inv.room ?? null,
      expiresAt,
      acceptedAt: null,
      revokedAt: null,
      token,
    });
    return ok({ invitationId: id, token, expiresAt });
  }
  async resend(invitationId: string) {
    const inv = this.w.invitations.get(invitationId);
    // as resend_staff_invitation (fix20b): another clinic's invitation is as unknown as a made-up id
    if (!inv || this.roleIn(inv.clinicId) === null) return fail(ErrorCodes.NOT_FOUND, 'invitation not found');
    const a = this.admin(inv.clinicId);
    if (!a.ok) return a;
    if (inv.role === 'owner' && this.roleIn(inv.clinicId) !== 'owner')
      return fail(ErrorCodes.AUTH_FORBIDDEN, 'only an owner can invite an owner');
    if (inv.acceptedAt || inv.revokedAt)
      return fail(ErrorCodes.VALIDATION_FAILED, 'the invitation is no longer pending');
    // as resend_staff_invitation: a new token (the old link stops working), 7 days from now
    const token =
      globalThis.crypto.randomUUID().replace(/-/g, '') + globalThis.crypto.randomUUID().replace(/-/g, '');
    const expiresAt = new Date(this.w.clock.now().getTime() + 7 * DAY).toISOString();
    this.w.invitations.set(invitationId, { ...inv, token, expiresAt });
    return ok({ invitationId, token, expiresAt });
  }
  async accept(token: string) {
    if (this.userId === null) return fail(ErrorCodes.AUTH_REQUIRED, 'sign in first');
    const inv = [...this.w.invitations.values()].find((i) => i.token === token);
    if (!inv || inv.revokedAt || inv.acceptedAt || Date.parse(inv.expiresAt) <= this.w.clock.now().getTime())
      return fail(ErrorCodes.NOT_FOUND, 'invitation not found');
    const me = this.w.users.get(this.userId);
    if (
      !me ||
      !((inv.email && me.email?.toLowerCase() === inv.email) || (inv.phone && me.phone === inv.phone))
    )
      return fail(ErrorCodes.AUTH_FORBIDDEN, 'this invitation was sent to someone else');
    const existing = [...this.w.members.values()].find(
      (m) => m.clinicId === inv.clinicId && m.userId === this.userId,
    );
    const memberId = existing?.id ?? globalThis.crypto.randomUUID();
    this.w.members.set(memberId, {
      id: memberId,
      clinicId: inv.clinicId,
      userId: this.userId,
      role: inv.role,
      displayName: inv.displayName,
      room: inv.room,
      active: true,
    });
    this.w.invitations.set(inv.id, { ...inv, acceptedAt: this.w.clock.now().toISOString() });
    return ok({ clinicId: inv.clinicId, memberId, role: inv.role });
  }
  async revoke(invitationId: string) {
    const inv = this.w.invitations.get(invitationId);
    if (!inv) return fail(ErrorCodes.NOT_FOUND, 'invitation not found');
    const a = this.admin(inv.clinicId);
    if (!a.ok) return fail(ErrorCodes.NOT_FOUND, 'invitation not found');
    this.w.invitations.set(invitationId, { ...inv, revokedAt: this.w.clock.now().toISOString() });
    return ok(undefined);
  }
}
