/**
 * WorkingHours on its own, for the modules that load it on use (the clinic service checks hours and time zones
 * with it; issue 14: it and its closed dates are not in every signed-in screen's first load). Same model as
 * `./index.ts` exports.
 */
export { WorkingHours } from '../models/WorkingHours';
