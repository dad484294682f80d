/**
 * Which status changes free a booked slot that the waitlist is offered (issue 17, "Waitlist and gap filling").
 * The database applies these rules in its triggers (queue_entries_waitlist and queue_entries_waitlist_no_show,
 * migrations 20261208400002 and 20261210500003); this is their statement, tested by name in FreedSlot.test.ts
 * and on both databases in supabase/tests/waitlistNoShow.test.ts.
 *
 *   W1 "waitlist: a freed slot is offered to the first request, and held" — a booked visit that is cancelled
 *      (by the patient, the staff, a reschedule or an accepted offer) frees its slot while the slot is still
 *      ahead — also one cancelled after checking in (W7 below). A late cancellation (inside the clinic's cancel
 *      notice, which only staff may do) is a cancellation: its slot is offered too while it is ahead.
 *   W7 "waitlist: a no-show frees a slot still ahead" — a booked visit that becomes no_show (its grace expired
 *      after it was called early and marked absent, or the day ended) frees its slot the same way, when the
 *      slot has not started yet; so does a booked visit cancelled after it checked in (waiting, absent …). A
 *      re-activated no-show holds no slot (D10), so it frees none however it ends.
 *   In every case a slot that has started or passed is offered to nobody: no one can be sent to a time that is
 *   over.
 *   W8 "waitlist: a slot too soon to reach is offered to nobody" — nor is a slot starting less than the clinic's
 *      `waitlist_min_lead_minutes` (30) from now: the patient could not read the offer, take it and arrive in
 *      time, and the hold would only keep it from a walk-in. It stays free to book. 0 = any slot still ahead.
 *      (private.waitlist_offer_slot, 20261212600002, applies it to every offer, also one passed on.)
 * Pure: `now` comes in as an argument.
 */

export interface SlotHolder {
  readonly kind: 'booked' | 'walk_in';
  /** ISO-8601 instant of the booked slot; null for a visit without one. */
  readonly slotStart: string | null;
  /** Times the visit was re-activated from no_show (D10: a re-activated visit holds no slot). */
  readonly reactivations: number;
}

/** The statuses a visit leaves its slot by, and the open statuses it can leave from. */
const FREEING = new Set(['cancelled', 'no_show']);
const OPEN = new Set(['scheduled', 'waiting', 'called', 'in_service', 'absent']);

/**
 * The slot (its ISO start) that a visit's move from `from` to `to` at `now` frees for the waitlist, or null when
 * the move frees nothing worth offering.
 */
export function freedSlot(
  visit: SlotHolder,
  from: string,
  to: string,
  now: Date,
  minLeadMinutes = 0,
): string | null {
  if (visit.kind !== 'booked' || visit.slotStart === null) return null;
  if (!FREEING.has(to) || !OPEN.has(from)) return null;
  // D10: a re-activated visit re-entered without its slot
  if (visit.reactivations > 0) return null;
  const start = Date.parse(visit.slotStart);
  if (!Number.isFinite(start) || start <= now.getTime()) return null;
  if (start < now.getTime() + Math.max(0, minLeadMinutes) * 60_000) return null;
  return visit.slotStart;
}
