/**
 * The weekdays (their own module, issue 14: the clinic's data layer names them on every signed-in screen, while
 * WorkingHours and its closed dates load only where hours are checked or slots computed).
 */

/** Index + 1 is the ISO weekday (Monday = 1). */
export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];
