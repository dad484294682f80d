/**
 * The default visit length (DOMAIN.md): a visit without an appointment type lasts as long as the clinic's
 * shortest active type, else 15 minutes. The database's `private.type_duration(clinic, null)` is the same rule
 * (booking slots, walk-ins' expected duration); supabase/tests/rulesParity.test.ts holds the two together.
 */
export const DEFAULT_VISIT_MINUTES = 15;

export const defaultVisitMinutes = (
  types: readonly { readonly durationMinutes: number; readonly active: boolean }[],
): number => {
  const active = types.filter((t) => t.active).map((t) => t.durationMinutes);
  return active.length > 0 ? Math.min(...active) : DEFAULT_VISIT_MINUTES;
};
