/**
 * Who may change whom in a clinic's team — the rules `set_team` enforces on the server, read by the team
 * editor so it offers only changes the server would accept (the server stays the authority):
 * - only an owner or an admin edits the team;
 * - only an owner changes an owner, or makes someone an owner;
 * - the clinic keeps at least one active owner (the last one can neither be demoted nor deactivated).
 * Pure: decided from the editor's role and the team as drafted.
 */
export type TeamRole = 'owner' | 'admin' | 'practitioner' | 'receptionist';
export const TEAM_ROLES: readonly TeamRole[] = ['owner', 'admin', 'practitioner', 'receptionist'];

export interface TeamMemberDraft {
  readonly id: string;
  readonly role: TeamRole;
  readonly active: boolean;
}

export type TeamEditRights =
  | { readonly editable: false; readonly reason: 'not_admin' | 'owner_only' }
  | {
      readonly editable: true;
      /** the roles this member may be given (always includes their current one) */
      readonly roles: readonly TeamRole[];
      readonly canDeactivate: boolean;
      /** set when this member is the clinic's last active owner */
      readonly lastOwner: boolean;
    };

/** What `editor` may change on `member`, given the whole team as drafted (`member` included). */
export function teamEditRights(
  editor: TeamRole | null,
  member: TeamMemberDraft,
  team: readonly TeamMemberDraft[],
): TeamEditRights {
  if (editor !== 'owner' && editor !== 'admin') return { editable: false, reason: 'not_admin' };
  if (member.role === 'owner' && editor !== 'owner') return { editable: false, reason: 'owner_only' };
  const lastOwner =
    member.role === 'owner' &&
    member.active &&
    !team.some((m) => m.id !== member.id && m.role === 'owner' && m.active);
  const roles = lastOwner
    ? (['owner'] as const)
    : TEAM_ROLES.filter((r) => r !== 'owner' || editor === 'owner');
  return { editable: true, roles, canDeactivate: !lastOwner, lastOwner };
}

/** True when the drafted team keeps at least one active owner (the server refuses any save that doesn't). */
export function keepsAnOwner(team: readonly TeamMemberDraft[]): boolean {
  return team.some((m) => m.role === 'owner' && m.active);
}

/**
 * The order a team save applies its changes in: whoever becomes an active owner first, then the rest.
 * The database checks "at least one active owner" row by row as set_team updates them in the order given,
 * so handing ownership over in one save (make B owner, step down yourself) is accepted only when B's
 * promotion comes before the demotion. Otherwise the order given is kept.
 */
export function ownersFirst<
  C extends { readonly role?: string | undefined; readonly active?: boolean | undefined },
>(changes: readonly C[]): C[] {
  const grants = (c: C) => c.role === 'owner' || c.active === true;
  return [...changes.filter(grants), ...changes.filter((c) => !grants(c))];
}
