-- Transfer (issue 17, "Running the day"): a waiting — or booked, not yet arrived — patient goes to another
-- practitioner's line or to "any". The step itself is an ordinary queue step (QueueService.transfer →
-- save_queue_step): verify_step already demands an EntryMoved with a reason for a practitioner change and
-- the order key is simply kept. What the database adds here is who may receive a patient, whatever path
-- changes the column:
--   * the new practitioner is an ACTIVE practitioner or owner of the clinic (the foreign key already keeps
--     it inside the clinic) — never a receptionist, an admin without a desk, or someone deactivated;
--   * a patient at a desk (called / in service) is not transferred: 409 QUEUE.ILLEGAL_TRANSITION.
create function private.queue_entries_transfer_target() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.practitioner_id is not distinct from old.practitioner_id then
    return new;
  end if;
  if old.status in ('called', 'in_service') and new.status = old.status then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'a patient at a desk cannot be transferred');
  end if;
  if new.practitioner_id is not null and not exists (
       select 1 from public.clinic_members m
        where m.id = new.practitioner_id and m.clinic_id = new.clinic_id and m.active
          and m.role in ('practitioner', 'owner')) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'transfer to an active practitioner of this clinic');
  end if;
  return new;
end
$$;
create trigger queue_entries_transfer_target before update of practitioner_id on public.queue_entries
  for each row execute function private.queue_entries_transfer_target();

-- The board follows a transfer: each next ticket says which room it waits for (its doctor's room; null for
-- "any doctor"), so a patient moved to another doctor sees the new room on the waiting-room screen.
-- Otherwise as 20261201000300_booking.sql (the only definition so far).
create or replace function public.get_waiting_board(p_clinic_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_names boolean;
  v_queue public.queues;
  v_day date;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_names := (private.effective_settings(v_clinic.settings) ->> 'board_show_names')::boolean;
  v_day := private.clinic_today(v_clinic.time_zone);
  select * into v_queue from public.queues where clinic_id = p_clinic_id and day = v_day;
  return jsonb_build_object(
    'clinic', jsonb_build_object('name', v_clinic.name, 'default_language', v_clinic.default_language,
                                 'time_zone', v_clinic.time_zone),
    'day', v_day,
    'version', coalesce(v_queue.version, 0),
    'now_serving', coalesce((
      select jsonb_agg(jsonb_build_object(
               'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
               'room', coalesce(e.called_room, m.room),
               'name', case when v_names then private.board_name(p.full_name) end)
             order by e.called_at desc nulls last)
      from public.queue_entries e
      join public.patients p on p.id = e.patient_id
      left join public.clinic_members m on m.id = e.practitioner_id
      where e.queue_id = v_queue.id and e.status in ('called', 'in_service')), '[]'::jsonb),
    'next', coalesce((
      select jsonb_agg(x.item order by x.rank_priority desc, x.order_key)
      from (
        select jsonb_build_object(
                 'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
                 'room', m.room,
                 'name', case when v_names then private.board_name(p.full_name) end) as item,
               array_position(array['normal', 'urgent', 'emergency'], e.priority::text) as rank_priority,
               e.order_key
        from public.queue_entries e join public.patients p on p.id = e.patient_id
        left join public.clinic_members m on m.id = e.practitioner_id
        where e.queue_id = v_queue.id and e.status = 'waiting'
        order by rank_priority desc, e.order_key
        limit 10) x), '[]'::jsonb));
end
$$;
