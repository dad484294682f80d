/**
 * Clinic and staff ports. Onboarding and invitations are RPCs (create_clinic, create/accept/revoke
 * invitation); profile, settings, working hours, closed dates and member edits are table writes guarded by
 * RLS (owners/admins; only an owner touches an owner). Reads are table selects.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { ClinicSettings, VisitTypeNames } from '../api';

/**
 * What a team save tells the admin (review20 L1): the open visits, from today on, still booked with the doctors it
 * took out of service (deactivated, or moved out of the doctor role) — someone has to move them.
 */
export interface TeamSaved {
  readonly futureVisits: number;
}

export type Language = 'ar' | 'fr' | 'en';
export type MemberRole = 'owner' | 'admin' | 'practitioner' | 'receptionist';

export interface ClinicProfile {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly timeZone: string;
  readonly defaultLanguage: Language;
  readonly ticketPrefix: string;
  readonly phone: string | null;
  readonly address: string | null;
  /** Validated, defaults filled in. */
  readonly settings: ClinicSettings;
}

export type ClinicProfilePatch = Partial<
  Pick<ClinicProfile, 'name' | 'slug' | 'timeZone' | 'defaultLanguage' | 'ticketPrefix' | 'phone' | 'address'>
>;

/** One working-hours row: weekday 0 = Sunday … 6 = Saturday (as the database), local `HH:mm`. */
export interface HoursRow {
  readonly weekday: number;
  readonly start: string;
  readonly end: string;
}

export interface ClosedDateRow {
  readonly day: string;
  readonly reason: string | null;
}

/** A visit type of the clinic (booking length). Types are deactivated, never deleted (visits refer to them). */
export interface VisitType {
  readonly id: string;
  readonly name: string;
  readonly durationMinutes: number;
  readonly active: boolean;
  /** Its own booking mode (issue 17, F4); null = the clinic's `booking_mode`. */
  readonly bookingMode: 'slotted' | 'fluid' | null;
  /** Its name per language (types19); a language left out reads `name`. */
  readonly names: VisitTypeNames;
  /** One of VISIT_TYPE_COLORS, or none. */
  readonly color: string | null;
  /** The practitioners (member ids) who offer it; null = every doctor of the clinic (types19). */
  readonly practitionerIds: readonly string[] | null;
}
/** One entry of the saved list: with an id it updates that type, without one it creates a type. */
export interface VisitTypeInput {
  readonly id?: string | null;
  readonly name: string;
  readonly durationMinutes: number;
  readonly active?: boolean;
  /** undefined = keep the type's mode; null = the clinic's. */
  readonly bookingMode?: 'slotted' | 'fluid' | null;
  /** undefined = keep; null = none; a blank language is left out. */
  readonly names?: VisitTypeNames | null;
  /** undefined = keep; null = none. */
  readonly color?: string | null;
  /** undefined = keep; null = every doctor; else 1+ of the clinic's active practitioners. */
  readonly practitionerIds?: readonly string[] | null;
}

/** One member's change within a team save (only the keys given change). */
export interface TeamChange {
  readonly memberId: string;
  readonly role?: MemberRole;
  readonly room?: string | null;
  readonly active?: boolean;
}

/** A clinic's time as the server computes it (Postgres's tz database, not the browser's). */
export interface ClinicClock {
  readonly timeZone: string;
  /** The server's instant when it answered (ISO UTC). */
  readonly now: string;
  /** The clinic's local date at `now`. */
  readonly today: string;
  /** UTC offsets in force, each from its instant (ISO UTC) until the next one; ascending. */
  readonly offsets: readonly { readonly from: string; readonly offsetMinutes: number }[];
}

export interface Member {
  readonly id: string;
  readonly clinicId: string;
  readonly userId: string;
  readonly role: MemberRole;
  readonly displayName: string;
  readonly room: string | null;
  readonly active: boolean;
}

export interface Invitation {
  readonly id: string;
  readonly clinicId: string;
  readonly role: MemberRole;
  readonly email: string | null;
  readonly phone: string | null;
  readonly displayName: string;
  readonly room: string | null;
  readonly expiresAt: string;
  readonly acceptedAt: string | null;
  readonly revokedAt: string | null;
}

export interface NewInvitation {
  readonly role: MemberRole;
  readonly displayName: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly room?: string | null;
}

export interface ClinicRepository {
  createClinic(input: {
    name: string;
    slug: string;
    timeZone?: string;
    defaultLanguage?: Language;
    displayName?: string | null;
  }): Promise<Result<{ clinicId: string; memberId: string }, AppError>>;
  profile(clinicId: string): Promise<Result<ClinicProfile, AppError>>;
  updateProfile(clinicId: string, patch: ClinicProfilePatch): Promise<Result<void, AppError>>;
  /** Stores the full, validated settings object. */
  saveSettings(clinicId: string, settings: ClinicSettings): Promise<Result<void, AppError>>;
  workingHours(clinicId: string): Promise<Result<readonly HoursRow[], AppError>>;
  /** Replaces the clinic's weekly hours. */
  replaceWorkingHours(clinicId: string, rows: readonly HoursRow[]): Promise<Result<void, AppError>>;
  closedDates(clinicId: string): Promise<Result<readonly ClosedDateRow[], AppError>>;
  /**
   * Replaces the clinic's closed dates in one transaction. A refusal is VALIDATION.FAILED with
   * `{ index, problem: 'format' | 'duplicate', day? }` details, and nothing changes.
   */
  replaceClosedDates(clinicId: string, rows: readonly ClosedDateRow[]): Promise<Result<void, AppError>>;
  /** Every visit type of the clinic (active or not), by name. */
  visitTypes(clinicId: string): Promise<Result<readonly VisitType[], AppError>>;
  /**
   * Saves the clinic's visit types in one transaction (types left out are deactivated); returns the ids in
   * order. A refusal is VALIDATION.FAILED with `{ index, problem: 'name' | 'duration' | 'duplicate' |
   * 'unknown' | 'format' }` details, and nothing changes.
   */
  replaceVisitTypes(
    clinicId: string,
    types: readonly VisitTypeInput[],
  ): Promise<Result<readonly string[], AppError>>;
  /** The clinic's zone, today and UTC offsets from `from` (default today) through `to` (default `from`). */
  clock(clinicId: string, from?: string | null, to?: string | null): Promise<Result<ClinicClock, AppError>>;
}

export interface StaffRepository {
  members(clinicId: string): Promise<Result<readonly Member[], AppError>>;
  /** The signed-in user's own memberships (every clinic). */
  myMemberships(userId: string): Promise<Result<readonly Member[], AppError>>;
  /**
   * Several members' role/room/active changed in one transaction. Only an owner touches an owner
   * (AUTH.FORBIDDEN, nothing changed); a malformed change is VALIDATION.FAILED `{ index, problem }`.
   */
  updateTeam(clinicId: string, changes: readonly TeamChange[]): Promise<Result<TeamSaved, AppError>>;
  updateMember(
    memberId: string,
    patch: Partial<Pick<Member, 'role' | 'displayName' | 'room' | 'active'>>,
  ): Promise<Result<void, AppError>>;
  /**
   * Removes a member (remove_member). Refused: the clinic's last active owner (MEMBER.LAST_OWNER), a member with
   * visits or report rows on record (MEMBER.HAS_HISTORY: deactivate them instead), an owner by a non-owner or
   * anyone by a non-admin (AUTH.FORBIDDEN), an unknown member (NOT_FOUND).
   */
  removeMember(memberId: string): Promise<Result<void, AppError>>;
  invitations(clinicId: string): Promise<Result<readonly Invitation[], AppError>>;
  /** The token is shown once (the link sent by SMS/email); only its hash is stored. */
  invite(
    clinicId: string,
    invitation: NewInvitation,
  ): Promise<Result<{ invitationId: string; token: string; expiresAt: string }, AppError>>;
  accept(token: string): Promise<Result<{ clinicId: string; memberId: string; role: MemberRole }, AppError>>;
  revoke(invitationId: string): Promise<Result<void, AppError>>;
  /**
   * Renews a pending or expired invitation (resend_staff_invitation): a new token (the old link stops working) and
   * 7 more days; the caps of `invite` apply (INVITATION.TOO_MANY). An accepted or revoked one is VALIDATION.FAILED.
   */
  resend(
    invitationId: string,
  ): Promise<Result<{ invitationId: string; token: string; expiresAt: string }, AppError>>;
}
