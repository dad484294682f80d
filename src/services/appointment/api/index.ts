// The appointment module's public surface for other modules.
export {
  ClosedDates,
  ClosedDatesSchema,
  MAX_CLOSED_RANGE_DAYS,
  MOROCCO_FIXED_HOLIDAYS,
  type ClosedDateEntry,
  type ClosedDatesJson,
  type RecurringClosedDate,
} from '../models/ClosedDates';
export {
  DEFAULT_TIME_ZONE,
  addDays,
  daysBetween,
  isLocalDate,
  localDateAt,
  parseTimeZone,
  type LocalDate,
} from '../models/LocalDate';
export {
  MAX_SLOT_MINUTES,
  MAX_SLOT_RANGE_DAYS,
  generateSlots,
  validateBooking,
  validateCancellation,
  type BookedCounts,
  type CancelSettings,
  type GenerateSlotsInput,
  type Slot,
  type SlotSettings,
  type ValidateBookingInput,
} from '../models/Slots';
export { WEEKDAYS, type Weekday } from '../models/Weekdays';
export {
  MAX_SEASON_DAYS,
  WorkingHours,
  WorkingHoursSchema,
  type HoursInterval,
  type OpenInterval,
  type SeasonalHours,
  type WeeklyHours,
  type WorkingHoursJson,
} from '../models/WorkingHours';
