import type { Member } from './repositories/ClinicRepository';

/** The signed-in user's active membership among theirs (the first clinic they work in), or null. */
export const activeMembership = (memberships: readonly Member[]): Member | null =>
  memberships.find((m) => m.active) ?? null;
