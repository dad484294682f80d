-- Issue 15.16: "I'm running late" says by how much, can be undone, and does not outlive the visit.
--
-- - queue_entries.running_late_minutes: the amount the patient gave (5..180 minutes), null when none was
--   given (the SMS keyword, the desk's own "running late", older clients).
-- - report_running_late(p_entry_id?, p_tracking_token?, p_minutes?): sets the note (again: a new amount
--   replaces the old one); the PatientRunningLate event carries {minutes, source}.
-- - withdraw_running_late(p_entry_id?, p_tracking_token?): "Undo" — the note is gone (event
--   PatientRunningLateWithdrawn), nothing else about the visit changes.
-- - How long the note lasts, decided by the database's clock (private.running_late_note): while the visit
--   is scheduled or waiting (cleared once the patient is called), until the amount has passed (reported at
--   + minutes), and only on its own day while the day is open (end of day clears it).
-- - get_visit_running_late(p_tracking_token) → { active, minutes, reported_at, until } for the tracker.
create or replace function private.running_late_note(e public.queue_entries)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_open boolean;
  v_until timestamptz;
begin
  if e.id is null or e.running_late_at is null or e.status not in ('scheduled', 'waiting') then
    return null;
  end if;
  select q.status = 'open' and q.day = private.clinic_today(c.time_zone) into v_open
    from public.queues q join public.clinics c on c.id = q.clinic_id
   where q.id = e.queue_id;
  if not coalesce(v_open, false) then
    return null;
  end if;
  v_until := case when e.running_late_minutes is not null
                  then e.running_late_at + make_interval(mins => e.running_late_minutes) end;
  if v_until is not null and v_until <= private.now() then
    return null;
  end if;
  return jsonb_build_object('minutes', e.running_late_minutes, 'reported_at', e.running_late_at, 'until', v_until);
end
$$;
revoke execute on function private.running_late_note(public.queue_entries) from public;

alter table public.queue_entries
  add column running_late_minutes integer
    constraint queue_entries_running_late_minutes_range check (running_late_minutes between 5 and 180);

drop function public.report_running_late(uuid, text);
create function public.report_running_late(
  p_entry_id uuid default null, p_tracking_token text default null, p_minutes integer default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
  v_e public.queue_entries;
begin
  if p_tracking_token is null and not private.is_service() then
    perform private.require_uid();
  end if;
  if p_minutes is not null and (p_minutes < 5 or p_minutes > 180) then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_minutes must be between 5 and 180');
  end if;
  select * into r from private.entry_for_actor(
    case when p_tracking_token is null then p_entry_id end, p_tracking_token);
  if (r.e).status not in ('scheduled', 'waiting', 'called') then
    perform private.raise_error(409, 'QUEUE.ILLEGAL_TRANSITION', 'the visit can no longer be late');
  end if;
  update public.queue_entries
     set running_late_at = private.now(), running_late_minutes = p_minutes
   where id = (r.e).id
  returning * into v_e;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLate',
    jsonb_build_object('minutes', p_minutes,
                       'source', case when p_tracking_token is not null then 'link'
                                      when r.is_staff then 'staff' else 'app' end));
  return jsonb_build_object('entry_id', (r.e).id, 'late', true, 'minutes', p_minutes,
                            'note', private.running_late_note(v_e),
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

create function public.withdraw_running_late(p_entry_id uuid default null, p_tracking_token text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
begin
  if p_tracking_token is null and not private.is_service() then
    perform private.require_uid();
  end if;
  select * into r from private.entry_for_actor(
    case when p_tracking_token is null then p_entry_id end, p_tracking_token);
  if (r.e).running_late_at is null then
    -- nothing to undo: the same answer (a double tap, or a second screen, is not an error)
    return jsonb_build_object('entry_id', (r.e).id, 'late', false, 'queue_version', null);
  end if;
  update public.queue_entries set running_late_at = null, running_late_minutes = null where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLateWithdrawn',
    jsonb_build_object('source', case when p_tracking_token is not null then 'link'
                                      when r.is_staff then 'staff' else 'app' end));
  return jsonb_build_object('entry_id', (r.e).id, 'late', false,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

-- The tracker's running-late note (null: none in force). By the tracking link, like get_tracker_view.
create function public.get_visit_running_late(p_tracking_token text)
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
  return jsonb_build_object('entry_id', v_e.id, 'note', private.running_late_note(v_e));
end
$function$;

revoke execute on function public.report_running_late(uuid, text, integer) from public, anon, authenticated;
revoke execute on function public.withdraw_running_late(uuid, text) from public, anon, authenticated;
revoke execute on function public.get_visit_running_late(text) from public, anon, authenticated;
grant execute on function
  public.report_running_late(uuid, text, integer),
  public.withdraw_running_late(uuid, text),
  public.get_visit_running_late(text)
to anon, authenticated;
