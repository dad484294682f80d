-- Session 16 (abuse16), attack review item 1: anyone with a tracking link could bump the queue version without
-- limit through report_running_late / withdraw_running_late (anon may call them with the link): every call updated
-- the row, wrote an event and bumped the queue day's version even when nothing changed, so four loops made 4 of 6
-- REST call-next commands fail with 409 QUEUE.VERSION_CONFLICT.
--
-- Rules now (bodies from 20261203900001, the newest):
--   * No-op when the state does not change: a report of the same amount while the note is still showing, and a
--     withdraw when no note is showing (none, or its amount has passed), answer as before with
--     queue_version null — no update, no event, no version bump.
--   * A budget: a patient's (tracking link or own app) report that changes something is refused with 429
--     RATE.LIMITED when the same visit already had private.running_late_reports_per_window() (3) such reports in
--     the window that began with the first of them (private.running_late_window(), 10 min; database clock). A
--     withdraw needs no limit of its own: it changes something only after a report, so a visit moves the version at
--     most 6 times per 10 minutes (3 reports + 3 undos) instead of hundreds. Three keep a real patient's corrections
--     ("20 minutes" → undo → "45 minutes" at once — the tracker's own flow, morning-finish.spec) and make spam
--     useless. (A first version refused any report within 30 s of the last one, which refused that correction.)
--   * Staff of the clinic and the service role (the SMS keyword handler) are not limited; their reports are not
--     recorded either.
--   * The refusal is checked before anything is written (the queue row lock from entry_for_actor serialises two
--     reports of one visit, so two parallel calls cannot both pass the budget).

create table private.running_late_reports (
  entry_id uuid primary key references public.queue_entries (id) on delete cascade,
  window_started_at timestamptz not null default private.now(),
  reports integer not null default 1 check (reports > 0)
);
comment on table private.running_late_reports is
  'A patient''s running-late reports of a visit in the current window (budget: private.running_late_reports_per_window per private.running_late_window, abuse16).';
revoke all on private.running_late_reports from public, anon, authenticated;

create function private.running_late_window() returns interval
language sql immutable set search_path = '' as $$ select interval '10 minutes' $$;
revoke all on function private.running_late_window() from public;

create function private.running_late_reports_per_window() returns integer
language sql immutable set search_path = '' as $$ select 3 $$;
revoke all on function private.running_late_reports_per_window() from public;

create or replace function public.report_running_late(
  p_entry_id uuid default null, p_tracking_token text default null, p_minutes integer default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  r record;
  v_e public.queue_entries;
  v_last timestamptz;
  v_reports integer;
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
  -- the same amount while the note still shows: nothing changes (a double tap, a second screen, a loop)
  if (r.e).running_late_at is not null and (r.e).running_late_minutes is not distinct from p_minutes
     and private.running_late_note(r.e) is not null then
    return jsonb_build_object('entry_id', (r.e).id, 'late', true, 'minutes', p_minutes,
                              'note', private.running_late_note(r.e), 'queue_version', null);
  end if;
  if not r.is_staff then
    select window_started_at, reports into v_last, v_reports
      from private.running_late_reports where entry_id = (r.e).id;
    if v_last is not null and private.now() < v_last + private.running_late_window() then
      if v_reports >= private.running_late_reports_per_window() then
        perform private.raise_error(429, 'RATE.LIMITED',
          format('the running-late note of a visit may change %s times in %s minutes',
                 private.running_late_reports_per_window(),
                 extract(epoch from private.running_late_window())::int / 60));
      end if;
      update private.running_late_reports set reports = reports + 1 where entry_id = (r.e).id;
    else
      insert into private.running_late_reports as x (entry_id, window_started_at, reports)
      values ((r.e).id, private.now(), 1)
      on conflict (entry_id) do update set window_started_at = excluded.window_started_at, reports = 1;
    end if;
  end if;
  update public.queue_entries
     set running_late_at = private.now(), running_late_minutes = p_minutes
   where id = (r.e).id
  returning * into v_e;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLate',
    jsonb_build_object('minutes', p_minutes,
                       'source', case when p_tracking_token is not null then 'tracking_link'
                                      when r.is_staff then 'staff' else 'app' end));
  return jsonb_build_object('entry_id', (r.e).id, 'late', true, 'minutes', p_minutes,
                            'note', private.running_late_note(v_e),
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;

create or replace function public.withdraw_running_late(p_entry_id uuid default null, p_tracking_token text default null)
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
  if (r.e).running_late_at is null or private.running_late_note(r.e) is null then
    -- nothing showing to undo (none, or its amount has passed): the same answer, nothing written, no bump
    return jsonb_build_object('entry_id', (r.e).id, 'late', false, 'queue_version', null);
  end if;
  update public.queue_entries set running_late_at = null, running_late_minutes = null where id = (r.e).id;
  perform private.log_event((r.e).queue_id, (r.e).clinic_id, (r.e).id, 'PatientRunningLateWithdrawn',
    jsonb_build_object('source', case when p_tracking_token is not null then 'tracking_link'
                                      when r.is_staff then 'staff' else 'app' end));
  return jsonb_build_object('entry_id', (r.e).id, 'late', false,
                            'queue_version', private.bump_version((r.e).queue_id));
end
$function$;
