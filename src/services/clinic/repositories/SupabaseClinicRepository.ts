/** `ClinicRepository` and `StaffRepository` on supabase-js (RPCs for onboarding and invitations, RLS-guarded tables otherwise). */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { appError, ErrorCodes, type AppError } from '../../shared/AppError';
import { WEEKDAYS } from '../../appointment/api/weekdays';
import { err, ok, type Result } from '../../shared/Result';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import { ClinicSettingsSchema, VisitTypeNamesSchema, type ClinicSettings } from '../api';
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
  TeamSaved,
  VisitType,
  VisitTypeInput,
} from './ClinicRepository';
import { clinicClock, instant, MemberRow, myMemberships, role } from './supabaseClinicFirstReads';

const lang = z.enum(['ar', 'fr', 'en']);
const hhmm = z.pipe(
  z.string(),
  z.transform((v) => v.slice(0, 5)),
);

const done = <T>(r: Result<T, AppError>): Result<void, AppError> => (r.ok ? ok(undefined) : r);

/** The database's refusal detail (JSON: weekday 0 = Sunday, problem) → the domain's `{ weekday, problem }`. */
const HoursRefusalDetail = z.object({
  weekday: z.optional(z.nullable(z.number().check(z.int(), z.gte(0), z.lte(6)))),
  problem: z.enum(['format', 'order', 'overlap']),
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

/** A set_* refusal's JSON detail `{ index, problem, day?, id? }` → the AppError's details. */
const SetRefusalDetail = z.object({
  index: z.optional(z.number().check(z.int(), z.gte(0))),
  problem: z.string().check(z.maxLength(40)),
  day: z.optional(z.string().check(z.maxLength(40))),
  id: z.optional(z.string().check(z.maxLength(40))),
});
function withRefusal<T>(r: Result<T, AppError>): Result<T, AppError> {
  if (r.ok || r.error.code !== ErrorCodes.VALIDATION_FAILED) return r;
  let raw: unknown = null;
  try {
    raw = JSON.parse(String(r.error.details?.['detail'] ?? ''));
  } catch {
    raw = null;
  }
  const d = SetRefusalDetail.safeParse(raw);
  return d.success ? err(appError(ErrorCodes.VALIDATION_FAILED, 'Refused', d.data)) : r;
}

/** What create_staff_invitation and resend_staff_invitation answer: the token is shown once. */
const InvitationLinkRow = z.object({
  invitation_id: z.string(),
  token: z.string().check(z.minLength(16)),
  expires_at: instant,
});
const invitationLink = (r: Result<z.output<typeof InvitationLinkRow>, AppError>) =>
  r.ok ? ok({ invitationId: r.value.invitation_id, token: r.value.token, expiresAt: r.value.expires_at }) : r;

export class SupabaseClinicRepository implements ClinicRepository, StaffRepository {
  constructor(private readonly client: SupabaseClient) {}

  createClinic(input: {
    name: string;
    slug: string;
    timeZone?: string;
    defaultLanguage?: 'ar' | 'fr' | 'en';
    displayName?: string | null;
  }) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('create_clinic', {
          p_name: input.name,
          p_slug: input.slug,
          p_time_zone: input.timeZone ?? 'Africa/Casablanca',
          p_default_language: input.defaultLanguage ?? 'fr',
          p_display_name: input.displayName ?? null,
        }),
        z.object({ clinic_id: z.string(), member_id: z.string() }),
        'create_clinic',
      );
      return r.ok ? ok({ clinicId: r.value.clinic_id, memberId: r.value.member_id }) : r;
    });
  }

  /**
   * The clinic's profile and rule set: staff of the clinic only (get_clinic_staff_settings; signed-in callers
   * read only the public columns of the clinics table). Anyone else: AUTH.FORBIDDEN.
   */
  profile(clinicId: string): Promise<Result<ClinicProfile, AppError>> {
    return guard(async () =>
      fromResponse(
        await this.client.rpc('get_clinic_staff_settings', { p_clinic_id: clinicId }),
        z.pipe(
          z.object({
            id: z.string(),
            slug: z.string(),
            name: z.string(),
            time_zone: z.string(),
            default_language: lang,
            ticket_prefix: z.string(),
            phone: z.nullable(z.string()),
            address: z.nullable(z.string()),
            settings: ClinicSettingsSchema,
          }),
          z.transform((c): ClinicProfile => ({
            id: c.id,
            slug: c.slug,
            name: c.name,
            timeZone: c.time_zone,
            defaultLanguage: c.default_language,
            ticketPrefix: c.ticket_prefix,
            phone: c.phone,
            address: c.address,
            settings: c.settings,
          })),
        ),
        'get_clinic_staff_settings',
      ),
    );
  }

  updateProfile(clinicId: string, patch: ClinicProfilePatch) {
    const row: Record<string, unknown> = {};
    if (patch.name !== undefined) row.name = patch.name;
    if (patch.slug !== undefined) row.slug = patch.slug;
    if (patch.timeZone !== undefined) row.time_zone = patch.timeZone;
    if (patch.defaultLanguage !== undefined) row.default_language = patch.defaultLanguage;
    if (patch.ticketPrefix !== undefined) row.ticket_prefix = patch.ticketPrefix;
    if (patch.phone !== undefined) row.phone = patch.phone;
    if (patch.address !== undefined) row.address = patch.address;
    return guard(async () =>
      done(
        fromResponse(
          await this.client.from('clinics').update(row).eq('id', clinicId).select('id').single(),
          z.unknown(),
          'update clinics',
        ),
      ),
    );
  }

  saveSettings(clinicId: string, settings: ClinicSettings) {
    return guard(async () =>
      done(
        fromResponse(
          await this.client.from('clinics').update({ settings }).eq('id', clinicId).select('id').single(),
          z.unknown(),
          'update settings',
        ),
      ),
    );
  }

  workingHours(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client
          .from('working_hours')
          .select('weekday, starts_at, ends_at')
          .eq('clinic_id', clinicId)
          .order('weekday')
          .order('starts_at'),
        z.array(
          z.pipe(
            z.object({ weekday: z.number().check(z.int()), starts_at: hhmm, ends_at: hhmm }),
            z.transform((r): HoursRow => ({ weekday: r.weekday, start: r.starts_at, end: r.ends_at })),
          ),
        ),
        'working_hours',
      ),
    );
  }

  /**
   * One RPC, one transaction: every range is checked before the old ones are replaced, so a refused
   * range leaves the week as it was. A refusal is HOURS.INVALID with `{ weekday, problem }` details.
   */
  replaceWorkingHours(clinicId: string, rows: readonly HoursRow[]) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('set_working_hours', {
          p_clinic_id: clinicId,
          p_hours: rows.map((x) => ({ weekday: x.weekday, starts_at: x.start, ends_at: x.end })),
        }),
        z.unknown(),
        'set_working_hours',
      );
      if (!r.ok && r.error.code === ErrorCodes.HOURS_INVALID) return err(hoursRefusal(r.error));
      return done(r);
    });
  }

  closedDates(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client.from('closed_dates').select('day, reason').eq('clinic_id', clinicId).order('day'),
        z.array(z.object({ day: z.string(), reason: z.nullable(z.string()) })),
        'closed_dates',
      ),
    );
  }

  /** One RPC (set_closed_dates), one transaction: a refused entry leaves the list as it was. */
  replaceClosedDates(clinicId: string, rows: readonly ClosedDateRow[]) {
    return guard(async () =>
      done(
        withRefusal(
          fromResponse(
            await this.client.rpc('set_closed_dates', {
              p_clinic_id: clinicId,
              p_dates: rows.map((r) => ({ day: r.day, reason: r.reason })),
            }),
            z.unknown(),
            'set_closed_dates',
          ),
        ),
      ),
    );
  }

  visitTypes(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client
          .from('appointment_types')
          .select('id, name, duration_minutes, active, booking_mode, names, color, practitioner_ids')
          .eq('clinic_id', clinicId)
          .order('name'),
        z.array(
          z.pipe(
            z.object({
              id: z.string(),
              name: z.string(),
              duration_minutes: z.number().check(z.int()),
              active: z.boolean(),
              booking_mode: z.nullable(z.enum(['slotted', 'fluid'])),
              names: VisitTypeNamesSchema,
              color: z.nullable(z.string()),
              practitioner_ids: z.nullable(z.array(z.string())),
            }),
            z.transform((t): VisitType => ({
              id: t.id,
              name: t.name,
              durationMinutes: t.duration_minutes,
              active: t.active,
              bookingMode: t.booking_mode,
              names: t.names,
              color: t.color,
              practitionerIds: t.practitioner_ids,
            })),
          ),
        ),
        'appointment_types',
      ),
    );
  }

  /** One RPC (set_appointment_types), one transaction. */
  replaceVisitTypes(clinicId: string, types: readonly VisitTypeInput[]) {
    return guard(async () =>
      withRefusal(
        fromResponse(
          await this.client.rpc('set_appointment_types', {
            p_clinic_id: clinicId,
            p_types: types.map((t) => ({
              id: t.id ?? null,
              name: t.name,
              duration_minutes: t.durationMinutes,
              active: t.active ?? true,
              // absent = keep the type's mode (set_appointment_types)
              ...(t.bookingMode !== undefined ? { booking_mode: t.bookingMode } : {}),
              // types19: undefined = keep, and JSON leaves an undefined key out
              names: t.names,
              color: t.color,
              practitioner_ids: t.practitionerIds,
            })),
          }),
          z.array(z.string()),
          'set_appointment_types',
        ),
      ),
    );
  }

  clock(clinicId: string, from?: string | null, to?: string | null) {
    return clinicClock(this.client, clinicId, from, to);
  }

  members(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client
          .from('clinic_members')
          .select('id, clinic_id, user_id, role, display_name, room, active')
          .eq('clinic_id', clinicId)
          .order('display_name'),
        z.array(MemberRow),
        'clinic_members',
      ),
    );
  }

  myMemberships(userId: string) {
    return myMemberships(this.client, userId);
  }

  /** One RPC (set_team), one transaction: a refused change leaves every member as they were. */
  updateTeam(clinicId: string, changes: readonly TeamChange[]) {
    return guard(async () =>
      withRefusal(
        fromResponse(
          await this.client.rpc('set_team', {
            p_clinic_id: clinicId,
            p_changes: changes.map((c) => ({
              member_id: c.memberId,
              ...(c.role !== undefined ? { role: c.role } : {}),
              ...(c.room !== undefined ? { room: c.room } : {}),
              ...(c.active !== undefined ? { active: c.active } : {}),
            })),
          }),
          z.pipe(
            z.object({ future_visits: z.number().check(z.int(), z.nonnegative()) }),
            z.transform((r): TeamSaved => ({ futureVisits: r.future_visits })),
          ),
          'set_team',
        ),
      ),
    );
  }

  updateMember(memberId: string, patch: Partial<Pick<Member, 'role' | 'displayName' | 'room' | 'active'>>) {
    const row: Record<string, unknown> = {};
    if (patch.role !== undefined) row.role = patch.role;
    if (patch.displayName !== undefined) row.display_name = patch.displayName;
    if (patch.room !== undefined) row.room = patch.room;
    if (patch.active !== undefined) row.active = patch.active;
    return guard(async () =>
      done(
        fromResponse(
          await this.client.from('clinic_members').update(row).eq('id', memberId).select('id').single(),
          z.unknown(),
          'update clinic_members',
        ),
      ),
    );
  }

  /** One RPC (remove_member): MEMBER.LAST_OWNER / MEMBER.HAS_HISTORY (409), AUTH.FORBIDDEN, NOT_FOUND. */
  removeMember(memberId: string) {
    return guard(async () =>
      done(
        fromResponse(
          await this.client.rpc('remove_member', { p_member_id: memberId }),
          z.unknown(),
          'remove_member',
        ),
      ),
    );
  }

  invitations(clinicId: string) {
    return guard(async () =>
      fromResponse(
        await this.client
          .from('staff_invitations')
          .select(
            'id, clinic_id, role, email, phone, display_name, room, expires_at, accepted_at, revoked_at',
          )
          .eq('clinic_id', clinicId)
          .order('created_at', { ascending: false }),
        z.array(
          z.pipe(
            z.object({
              id: z.string(),
              clinic_id: z.string(),
              role,
              email: z.nullable(z.string()),
              phone: z.nullable(z.string()),
              display_name: z.string(),
              room: z.nullable(z.string()),
              expires_at: instant,
              accepted_at: z.nullable(instant),
              revoked_at: z.nullable(instant),
            }),
            z.transform((i): Invitation => ({
              id: i.id,
              clinicId: i.clinic_id,
              role: i.role,
              email: i.email,
              phone: i.phone,
              displayName: i.display_name,
              room: i.room,
              expiresAt: i.expires_at,
              acceptedAt: i.accepted_at,
              revokedAt: i.revoked_at,
            })),
          ),
        ),
        'staff_invitations',
      ),
    );
  }

  invite(clinicId: string, inv: NewInvitation) {
    return guard(async () =>
      invitationLink(
        fromResponse(
          await this.client.rpc('create_staff_invitation', {
            p_clinic_id: clinicId,
            p_role: inv.role,
            p_display_name: inv.displayName,
            p_email: inv.email ?? null,
            p_phone: inv.phone ?? null,
            p_room: inv.room ?? null,
          }),
          InvitationLinkRow,
          'create_staff_invitation',
        ),
      ),
    );
  }

  /** One RPC (resend_staff_invitation): a new token and expiry, answered as create answers. */
  resend(invitationId: string) {
    return guard(async () =>
      invitationLink(
        fromResponse(
          await this.client.rpc('resend_staff_invitation', { p_invitation_id: invitationId }),
          InvitationLinkRow,
          'resend_staff_invitation',
        ),
      ),
    );
  }

  accept(token: string) {
    return guard(async () => {
      const r = fromResponse(
        await this.client.rpc('accept_staff_invitation', { p_token: token }),
        z.object({ clinic_id: z.string(), member_id: z.string(), role }),
        'accept_staff_invitation',
      );
      return r.ok
        ? ok({ clinicId: r.value.clinic_id, memberId: r.value.member_id, role: r.value.role as MemberRole })
        : r;
    });
  }

  revoke(invitationId: string) {
    return guard(async () =>
      done(
        fromResponse(
          await this.client.rpc('revoke_staff_invitation', { p_invitation_id: invitationId }),
          z.boolean(),
          'revoke_staff_invitation',
        ),
      ),
    );
  }
}
