/**
 * StaffService — members and roles, and invitations (single use, 7 days, only for the email/phone they
 * were sent to). The returned invitation token is what the send-staff-invitation channel puts in the link.
 */
import { z } from '../shared/zod';
import { appError, ErrorCodes, type AppError } from '../shared/AppError';
import { loadPhoneNumber } from '../shared/loadPhoneNumber';
import { err, ok, type Result } from '../shared/Result';
import { activeMembership } from './activeMembership';
import type {
  Invitation,
  Member,
  MemberRole,
  StaffRepository,
  TeamSaved,
} from './repositories/ClinicRepository';

const role = z.enum(['owner', 'admin', 'practitioner', 'receptionist']);
export const InviteInputSchema = z
  .object({
    role,
    displayName: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
    email: z.optional(z.nullable(z.string().check(z.trim(), z.toLowerCase(), z.email()))),
    phone: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1)))),
    room: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(40)))),
  })
  .check(
    z.refine((i) => Boolean(i.email) || Boolean(i.phone), {
      message: 'an email or a phone is required',
      path: ['email'],
    }),
  );
export const MemberPatchSchema = z.partial(
  z.strictObject({
    role,
    displayName: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
    room: z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(40))),
    active: z.boolean(),
  }),
);

export const TeamChangeSchema = z.strictObject({
  memberId: z.string().check(z.uuid()),
  role: z.optional(role),
  room: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(40)))),
  active: z.optional(z.boolean()),
});
export type TeamChangeInput = z.input<typeof TeamChangeSchema>;

export type InviteInput = z.input<typeof InviteInputSchema>;
export type MemberPatch = z.input<typeof MemberPatchSchema>;

const invalid = (e: z.core.$ZodError): AppError =>
  appError(ErrorCodes.VALIDATION_FAILED, 'Invalid input', {
    issues: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });

export class StaffService {
  constructor(private readonly repo: StaffRepository) {}

  members(clinicId: string): Promise<Result<readonly Member[], AppError>> {
    return this.repo.members(clinicId);
  }

  /** The signed-in user's active membership (the first clinic they work in), or null. */
  async membership(userId: string): Promise<Result<Member | null, AppError>> {
    const r = await this.repo.myMemberships(userId);
    return r.ok ? ok(activeMembership(r.value)) : r;
  }

  /** Several members' role/room/active in one transaction (one RPC); a refusal changes nobody. */
  /** Answers how many open visits the doctors it took out of service still have (review20 L1). */
  async updateTeam(
    clinicId: string,
    changes: readonly TeamChangeInput[],
  ): Promise<Result<TeamSaved, AppError>> {
    const p = z.array(TeamChangeSchema).check(z.maxLength(200)).safeParse(changes);
    if (!p.success) return err(invalid(p.error));
    // in any order: the server judges the final team (set_team), not each row as it goes
    return this.repo.updateTeam(clinicId, p.data);
  }

  async updateMember(memberId: string, patch: MemberPatch): Promise<Result<void, AppError>> {
    const p = MemberPatchSchema.safeParse(patch);
    if (!p.success) return err(invalid(p.error));
    return this.repo.updateMember(memberId, p.data);
  }

  /** remove_member: never the last active owner (MEMBER.LAST_OWNER) nor a member with visits (MEMBER.HAS_HISTORY). */
  async removeMember(memberId: string): Promise<Result<void, AppError>> {
    const p = z.string().check(z.uuid()).safeParse(memberId);
    if (!p.success) return err(invalid(p.error));
    return this.repo.removeMember(p.data);
  }

  invitations(clinicId: string): Promise<Result<readonly Invitation[], AppError>> {
    return this.repo.invitations(clinicId);
  }

  async invite(
    clinicId: string,
    input: InviteInput,
  ): Promise<Result<{ invitationId: string; token: string; expiresAt: string }, AppError>> {
    const p = InviteInputSchema.safeParse(input);
    if (!p.success) return err(invalid(p.error));
    let phone: string | null = null;
    if (p.data.phone) {
      const { PhoneNumber } = await loadPhoneNumber();
      const parsed = PhoneNumber.create(p.data.phone);
      if (!parsed.ok) return parsed;
      phone = parsed.value.e164;
    }
    return this.repo.invite(clinicId, {
      role: p.data.role,
      displayName: p.data.displayName,
      email: p.data.email ?? null,
      phone,
      room: p.data.room ?? null,
    });
  }

  accept(token: string): Promise<Result<{ clinicId: string; memberId: string; role: MemberRole }, AppError>> {
    return this.repo.accept(token);
  }

  revoke(invitationId: string): Promise<Result<void, AppError>> {
    return this.repo.revoke(invitationId);
  }

  /** A new link for a pending or expired invitation (the old one stops working), valid 7 more days. */
  async resend(
    invitationId: string,
  ): Promise<Result<{ invitationId: string; token: string; expiresAt: string }, AppError>> {
    const p = z.string().check(z.uuid()).safeParse(invitationId);
    if (!p.success) return err(invalid(p.error));
    return this.repo.resend(p.data);
  }
}
