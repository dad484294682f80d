/**
 * The weekdays on their own (the clinic's data layer names them on every signed-in screen): importing them from
 * `./index.ts` would bring WorkingHours and its closed dates into those screens' first load (issue 14).
 */
export { WEEKDAYS, type Weekday } from '../models/Weekdays';
