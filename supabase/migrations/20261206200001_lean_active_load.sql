-- Issue 12, cost per command: a command's load (get_queue, p_scope 'active') carries only the entry
-- fields the domain reads (EntryRowSchema in src/services/queue/repositories/queueEntryRow.ts), built in
-- one jsonb_build_object per entry, read in one scan (no UNION of whole rows), instead of every column of the row (to_jsonb: notes, reasons, audit
-- columns, the tracking hash removed again) plus three jsonb concatenations per entry.
-- `npm run bench:command` (PostgreSQL, 300 waiting walk-ins): the JSON per entry ≈ 1.1 KiB → ≈ 0.75 KiB,
-- and the SQL of building it is the largest part of a command's load.
-- The whole-day read (p_scope 'day': staff screens, end of day) is unchanged.
create or replace function private.queue_active_entries(p_queue_id uuid, p_prefix text, p_entry_ids uuid[])
returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', e.id,
           'patient_id', e.patient_id,
           'practitioner_id', e.practitioner_id,
           'appointment_type_id', e.appointment_type_id,
           'kind', e.kind,
           'status', e.status,
           'priority', e.priority,
           'ticket_number', e.ticket_number,
           'order_key', e.order_key::text,
           'order_tiebreak', e.order_tiebreak,
           'skip_count', e.skip_count,
           'slot_start', e.slot_start,
           'running_late_at', e.running_late_at,
           'running_late_minutes', e.running_late_minutes,
           'late_turn_at', e.late_turn_at,
           'checked_in_at', e.checked_in_at,
           'called_at', e.called_at,
           'started_at', e.started_at,
           'finished_at', e.finished_at,
           'absent_at', e.absent_at,
           'grace_ends_at', e.grace_ends_at,
           'no_show_at', e.no_show_at,
           'cancelled_at', e.cancelled_at,
           'called_room', e.called_room,
           'served_by', e.served_by,
           'reactivations', e.reactivations,
           'expected_duration_minutes', e.expected_duration_minutes,
           'appointment_id', e.appointment_id,
           'patient', jsonb_build_object('full_name', p.full_name))
         order by e.ticket_number), '[]'::jsonb)
    from public.queue_entries e
    join public.patients p on p.id = e.patient_id
   where e.queue_id = p_queue_id
     and (e.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent')
          or e.id = any (coalesce(p_entry_ids, '{}'::uuid[])))
$$;
