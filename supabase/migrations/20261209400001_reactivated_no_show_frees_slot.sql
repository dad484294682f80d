-- Issue 12 / 17 (session 10's finding, proved by supabase/tests/reactivationCapacity.test.ts on both databases):
-- a no-show frees its slot (private.booked_overlapping does not count it), so the slot can be booked or held
-- by a waitlist offer meanwhile; re-activating the no-show (`no_show → waiting`, NoShowReactivated) counted
-- the visit in its slot again with no capacity check — 2 patients in a slot of capacity 1, and the waitlist
-- patient holding it could no longer take the offer (BOOKING.SLOT_FULL).
--
-- DOMAIN rule (proposed) D10 "a re-activated no-show re-enters as a fresh arrival without its slot: it never
-- counts against the slot's capacity again, so re-activation never overbooks a slot booked or held
-- meanwhile" (QueueEntry.holdsSlotCapacity; tests QueueAggregate.rules.test.ts D10 and
-- reactivationCapacity.test.ts). The entry keeps slot_start/slot_end as the record of what was booked.
--
-- private.booked_overlapping redefined from its newest body (20261208400002_waitlist_offers.sql):
-- + `e.reactivations = 0`. Every capacity check (private.book, get_free_slots, verify_step's new-entry check,
-- waitlist_offer_slot, accept_earlier_slot) goes through it.
create or replace function private.booked_overlapping(p_clinic_id uuid, p_start timestamptz, p_end timestamptz)
returns integer
language sql stable
set search_path = ''
as $$
  select (select count(*)::integer from public.queue_entries e
           where e.clinic_id = p_clinic_id and e.kind = 'booked'
             and e.status not in ('cancelled', 'no_show')
             and e.reactivations = 0
             and e.slot_start < p_end and coalesce(e.slot_end, e.slot_start + interval '1 minute') > p_start)
       + (select count(*)::integer from public.waitlist_requests w
           where w.clinic_id = p_clinic_id and w.status = 'offered' and w.offer_expires_at > private.now()
             and w.offered_slot_start < p_end and w.offered_slot_end > p_start)
$$;
