/**
 * The palette a visit type's colour is chosen from (types19) — the same list as private.is_visit_type_color
 * (20261219400001). Its own module so that only the types tab's chunk carries it (other screens only show a
 * type's colour).
 */
export const VISIT_TYPE_COLORS = [
  '#2563eb',
  '#0891b2',
  '#16a34a',
  '#ca8a04',
  '#ea580c',
  '#dc2626',
  '#db2777',
  '#7c3aed',
  '#475569',
] as const;
export type VisitTypeColor = (typeof VISIT_TYPE_COLORS)[number];
