// The clinic module's public surface for other modules.
export {
  ClinicSettingsSchema,
  DEFAULT_CLINIC_SETTINGS,
  LATE_RETURN_POLICIES,
  parseClinicSettings,
  type ClinicSettings,
  type LateReturnPolicy,
} from '../models/ClinicSettings';
export {
  clinicDayOf,
  formatClinicDateTime,
  formatClinicTime,
  offsetAt,
  wallClock,
  type ClinicOffsets,
} from '../models/ClinicTime';
export {
  keepsAnOwner,
  TEAM_ROLES,
  teamEditRights,
  type TeamEditRights,
  type TeamMemberDraft,
  type TeamRole,
} from '../models/TeamRules';
export { VISIT_TYPE_COLORS, type VisitTypeColor } from '../models/VisitTypePalette';
export {
  VISIT_TYPE_LANGUAGES,
  visitTypeLabel,
  VisitTypeNamesSchema,
  type VisitTypeLanguage,
  type VisitTypeNames,
} from '../models/VisitTypeLabel';
