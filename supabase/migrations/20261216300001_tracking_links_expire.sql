-- Session 17 (links17), attack review item 1: a visit's tracking link (/t/<token>, sent by SMS, no sign-in) answered
-- forever: anyone holding an old SMS (a shared phone, a forwarded message, a leaked screenshot) could read the
-- visit's clinic, ticket, status and times months later.
--
-- Rule (docs/security.md, "Tracking links"): a link stops answering visit details
--   * 24 hours (private.tracking_link_grace()) after the visit ended — completed (finished_at), cancelled
--     (cancelled_at) or no-show (no_show_at; an absent patient whose grace ran out becomes a no-show) — so the
--     patient can still see "done" / "cancelled" the evening after; and
--   * 24 hours after the end of its clinic day for a visit that is not finished (its day was never closed:
--     nothing left to follow) — the clinic's midnight after the visit's day + 24 h. One rule for both: a link
--     answers until a day after the visit ended, an unfinished visit ending with its day. (A grace for the
--     unfinished too: a demo or test day that crosses midnight before its end-of-day sweep keeps its link.)
-- The database's clock (private.now()) and the clinic's time zone decide; the browser's clock plays no part.
-- An expired link answers 410 VISIT.LINK_EXPIRED (the tracker shows "this link has expired") — never the visit.
--
-- One helper, private.require_open_tracking_link(entry), is called wherever a visit is reached by its token:
--   public.get_visit_status (so get_visit_live and get_tracker_view, which read through it), public.get_visit_running_late,
--   private.entry_for_actor's token path (report_running_late / withdraw_running_late by link), private.push_visit's
--   token path (push_subscribe / push_unsubscribe by link). A visit reached by id by its own patient or by staff is
--   not affected (their access is RLS / membership, not the link).
--
-- Redefined from their newest bodies: public.get_visit_status (20261201001001_entry_columns),
-- public.get_visit_running_late (20261203400001_running_late_amount), private.entry_for_actor
-- (20261201000300_booking), private.push_visit (20261210700002_web_push).

create function private.tracking_link_grace() returns interval
language sql immutable set search_path = '' as $$ select interval '24 hours' $$;
revoke all on function private.tracking_link_grace() from public;

-- When the visit's link stops answering: a day (private.tracking_link_grace) after the visit ended.
create function private.tracking_link_expires_at(e public.queue_entries) returns timestamptz
language sql stable
set search_path = ''
as $$
  select case
    when e.status in ('completed', 'cancelled', 'no_show') then
      coalesce(case e.status when 'completed' then e.finished_at
                             when 'cancelled' then e.cancelled_at
                             else e.no_show_at end,
               e.updated_at)
    else
      -- not finished: it ends with its clinic day (the clinic's midnight after it)
      (select ((q.day + 1)::timestamp at time zone c.time_zone)
         from public.queues q join public.clinics c on c.id = q.clinic_id
        where q.id = e.queue_id)
  end + private.tracking_link_grace()
$$;
revoke all on function private.tracking_link_expires_at(public.queue_entries) from public, anon, authenticated;

create function private.require_open_tracking_link(e public.queue_entries) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if private.tracking_link_expires_at(e) <= private.now() then
    perform private.raise_error(410, 'VISIT.LINK_EXPIRED', 'this tracking link has expired');
  end if;
end
$$;
revoke all on function private.require_open_tracking_link(public.queue_entries) from public, anon, authenticated;

create or replace function public.get_visit_status(p_tracking_token text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  e public.queue_entries;
  v_clinic public.clinics;
  v_queue public.queues;
  v_position integer;
begin
  if p_tracking_token is null or char_length(p_tracking_token) > 200 then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  select * into e from public.queue_entries where tracking_token_hash = private.hash_token(p_tracking_token);
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  perform private.require_open_tracking_link(e);
  select * into v_clinic from public.clinics where id = e.clinic_id;
  select * into v_queue from public.queues where id = e.queue_id;
  if e.status = 'waiting' then
    -- QueueOrder.positions: same pool only, in ORDER (priority class, order key, tiebreak, ticket, id)
    with line as (
      select o.id, o.ticket_number,
             array_position(array['emergency', 'urgent', 'normal'], o.priority::text) as rank_priority,
             o.order_key * 1000 as key_ms,
             o.order_tiebreak as tiebreak
        from public.queue_entries o
       where o.queue_id = e.queue_id and o.status = 'waiting'
         and o.practitioner_id is not distinct from e.practitioner_id)
    select 1 + count(*) into v_position
      from line o, line me
     where me.id = e.id and o.id <> e.id
       and (o.rank_priority, o.key_ms, o.tiebreak, o.ticket_number, o.id)
         < (me.rank_priority, me.key_ms, me.tiebreak, me.ticket_number, me.id);
  end if;
  return jsonb_build_object(
    'entry_id', e.id,
    'clinic', jsonb_build_object('id', v_clinic.id, 'name', v_clinic.name, 'slug', v_clinic.slug,
                                 'default_language', v_clinic.default_language, 'time_zone', v_clinic.time_zone),
    'day', v_queue.day,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, e.ticket_number),
    'status', e.status, 'kind', e.kind, 'priority', e.priority,
    'slot_start', e.slot_start, 'checked_in_at', e.checked_in_at, 'called_at', e.called_at,
    'room', coalesce(e.called_room, (select m.room from public.clinic_members m where m.id = e.practitioner_id)),
    'grace_ends_at', e.grace_ends_at, 'late', e.running_late_at is not null, 'position', v_position,
    'queue_id', e.queue_id, 'queue_version', v_queue.version);
end
$$;

create or replace function public.get_visit_running_late(p_tracking_token text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $function$
declare
  v_e public.queue_entries;
begin
  if p_tracking_token is null or length(p_tracking_token) > 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_tracking_token is required');
  end if;
  select * into v_e from public.queue_entries where tracking_token_hash = private.hash_token(p_tracking_token);
  if v_e.id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  perform private.require_open_tracking_link(v_e);
  return jsonb_build_object('entry_id', v_e.id, 'note', private.running_late_note(v_e));
end
$function$;

create or replace function private.entry_for_actor(p_entry_id uuid, p_tracking_token text, out e public.queue_entries,
  out is_staff boolean)
language plpgsql
set search_path = ''
as $$
declare
  v_queue_id uuid;
begin
  if p_entry_id is null and p_tracking_token is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_entry_id or p_tracking_token is required');
  end if;
  if p_entry_id is not null then
    select queue_id into v_queue_id from public.queue_entries where id = p_entry_id;
  else
    select queue_id into v_queue_id from public.queue_entries
     where tracking_token_hash = private.hash_token(p_tracking_token);
  end if;
  if v_queue_id is not null then
    perform 1 from public.queues where id = v_queue_id for update;
    if p_entry_id is not null then
      select * into e from public.queue_entries where id = p_entry_id;
    else
      select * into e from public.queue_entries where tracking_token_hash = private.hash_token(p_tracking_token);
    end if;
  end if;
  is_staff := e.id is not null and (private.is_service() or private.is_clinic_staff(e.clinic_id));
  if e.id is null or not (is_staff or p_entry_id is null or private.is_own_patient(e.patient_id)) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  -- reached by its link: the link must still be open (links17)
  if p_entry_id is null then
    perform private.require_open_tracking_link(e);
  end if;
end
$$;

create or replace function private.push_visit(p_tracking_token text, p_entry_id uuid)
returns public.queue_entries
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_e public.queue_entries;
begin
  if p_tracking_token is not null then
    select * into v_e from public.queue_entries where tracking_token_hash = private.hash_token(p_tracking_token);
  elsif p_entry_id is not null then
    select * into v_e from public.queue_entries where id = p_entry_id;
    if v_e.id is not null and not private.is_own_patient(v_e.patient_id) then
      v_e := null;
    end if;
  else
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_tracking_token or p_entry_id is required');
  end if;
  if v_e.id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  if p_tracking_token is not null then
    perform private.require_open_tracking_link(v_e);
  end if;
  return v_e;
end
$$;
