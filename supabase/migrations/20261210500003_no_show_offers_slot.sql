-- Issue 17, "Waitlist and gap filling": a no-show frees a slot that is offered to the waitlist (until now only
-- a cancellation offered its slot, W1).
--
-- DOMAIN rule (proposed) W7 "waitlist: a no-show frees a slot still ahead" — when a booked visit that holds its
-- slot (not a re-activated no-show, D10) becomes no_show (its grace expired after it was called early and
-- marked absent, or the day ended) — or is cancelled after it checked in (waiting, absent …: until now only a
-- cancellation from 'scheduled' offered) — and the slot has not started yet, the slot is offered to the next request
-- exactly as a cancellation's is (W1: the earliest open request of a later visit that day whose type fits, held
-- for waitlist_offer_minutes, never past the slot's start). A no-show whose slot has started or passed offers
-- nothing: nobody can be sent to a time that is over (private.waitlist_offer_slot refuses it). A late
-- cancellation is a cancellation: W1 already offers its slot while it is ahead, whatever the notice.
-- Model: src/services/appointment/models/FreedSlot.ts (freedSlot); tests FreedSlot.test.ts and
-- supabase/tests/waitlistNoShow.test.ts are named after the rule.
--
-- No function redefined: a second trigger beside queue_entries_waitlist (which handles leaving 'scheduled': W4's
-- withdrawal and W1's cancellation). It fires after it (triggers fire by name), so the visit's own open request is
-- closed first. Every writer of a no-show (sweep_queues' grace expiry, end_day, a desk step saved by
-- save_queue_step) holds the day queue's lock, as private.waitlist_offer_slot requires.

create function private.queue_entries_no_show_offer() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_day date;
begin
  select q.day into v_day from public.queues q where q.id = new.queue_id;
  perform private.waitlist_offer_slot(new.clinic_id, v_day, new.slot_start);
  return null;
end
$$;
revoke all on function private.queue_entries_no_show_offer() from public, anon, authenticated;

-- scheduled → cancelled stays queue_entries_waitlist's (W1); every other way out of an open status into
-- no_show or cancelled is this trigger's
create trigger queue_entries_waitlist_no_show after update of status on public.queue_entries
  for each row when (new.status in ('no_show', 'cancelled')
                     and old.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent')
                     and not (old.status = 'scheduled' and new.status = 'cancelled')
                     and new.kind = 'booked' and new.slot_start is not null and new.reactivations = 0)
  execute function private.queue_entries_no_show_offer();
