-- Session 19 (hours19), issue 17 "Per-doctor hours and leave", part 1: a doctor's days off.
--
-- public.practitioner_leave: one row per leave of one doctor (a practitioner or practising owner of the clinic),
-- from_day..to_day inclusive, in the clinic's calendar. Rules (docs/domain-rules.md, H1–H3):
--   H1  A doctor's leave ranges never overlap (LEAVE.OVERLAP); to_day >= from_day, not wholly past, at most a year
--       long (LEAVE.INVALID_RANGE); the doctor is a member of THIS clinic (NOT_FOUND otherwise).
--       Only the clinic's owner/admin writes them, through set_practitioner_leave / delete_practitioner_leave;
--       the clinic's staff read them (RLS); patients and anon never (a leave's reason is internal).
--   H2  On a day of leave the doctor is offered no slot (get_free_slots with p_practitioner_id) and no visit is
--       ASSIGNED to them — booked, desk-booked, rescheduled, walk-in or transferred: 409 PRACTITIONER.ON_LEAVE,
--       one trigger on queue_entries so every path (private.book, save_queue_step, a reschedule) meets it.
--   H3  A visit for "any doctor" is never refused for one doctor's leave: remote joins and kiosk walk-ins name no
--       doctor, so they go to "any doctor" as before; the desk chooses another doctor or "any" for a refused one.
-- Visits already booked with the doctor before the leave was entered stay (set_practitioner_leave answers how
-- many there are, so the admin moves them); nothing is cancelled behind the patients' backs.
--
-- Public functions redefined: get_free_slots — its 4-argument form is dropped and recreated with a fifth argument,
-- p_practitioner_id (default null = any doctor, the old answer); body of 20261214200002's get_free_slots plus one
-- filter (private.practitioner_available). Grants as the original (anon, authenticated; service_role keeps its own).

create table public.practitioner_leave (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  practitioner_id uuid not null references public.clinic_members (id) on delete cascade,
  from_day date not null,
  to_day date not null,
  reason text check (reason is null or char_length(reason) <= 200),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint practitioner_leave_order check (from_day <= to_day)
);
create index practitioner_leave_doctor_idx on public.practitioner_leave (practitioner_id, from_day);
create index practitioner_leave_clinic_idx on public.practitioner_leave (clinic_id, from_day);

alter table public.practitioner_leave enable row level security;
create policy practitioner_leave_staff_select on public.practitioner_leave for select to authenticated
  using (private.is_clinic_staff(clinic_id));
revoke all on public.practitioner_leave from public, anon, authenticated;
grant select on public.practitioner_leave to authenticated;
grant all on public.practitioner_leave to service_role;

-- ── Helpers (definer-free, called by definer RPCs and the trigger; no client role executes them) ─────────────
create function private.practitioner_on_leave(p_practitioner_id uuid, p_day date) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (select 1 from public.practitioner_leave l
                  where l.practitioner_id = p_practitioner_id and p_day between l.from_day and l.to_day)
$$;

-- May this doctor take a visit from p_start to p_end (a slot)? Not on a day of leave (H2), and, once the doctor has
-- own weekly hours (20261219500002), only inside them. The clinic's own hours and closed dates are the caller's rule
-- (private.day_slots), as before.
create function private.practitioner_available(p_practitioner_id uuid, p_start timestamptz, p_end timestamptz)
returns boolean
language sql stable
set search_path = ''
as $$
  select not private.practitioner_on_leave(p_practitioner_id, (p_start at time zone c.time_zone)::date)
    from public.clinic_members m join public.clinics c on c.id = m.clinic_id
   where m.id = p_practitioner_id
$$;

-- An active practitioner (or practising owner) of the clinic, else 404 NOT_FOUND — another clinic's doctor is
-- unknown here, as transfer's rule (20261202700001) counts who may receive a patient.
create function private.require_clinic_practitioner(p_clinic_id uuid, p_practitioner_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if p_practitioner_id is null or not exists (
       select 1 from public.clinic_members m
        where m.id = p_practitioner_id and m.clinic_id = p_clinic_id and m.active
          and m.role in ('practitioner', 'owner')) then
    perform private.raise_error(404, 'NOT_FOUND', 'practitioner not found in this clinic');
  end if;
end
$$;

-- H2 on every path that names a doctor for a visit: an insert with a doctor, or a change of doctor (the queue step
-- writes the column on every update, so only a real change counts). Final visits (a forged completed row) are not
-- anybody's work that day and are left to the step's own checks.
create function private.queue_entries_practitioner_available() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_day date;
begin
  if new.practitioner_id is null or new.status in ('completed', 'cancelled', 'no_show')
     or (tg_op = 'UPDATE' and new.practitioner_id is not distinct from old.practitioner_id) then
    return new;
  end if;
  select q.day into v_day from public.queues q where q.id = new.queue_id;
  if private.practitioner_on_leave(new.practitioner_id, v_day) then
    perform private.raise_error(409, 'PRACTITIONER.ON_LEAVE', 'this doctor is on leave that day');
  end if;
  if new.slot_start is not null
     and not private.practitioner_available(new.practitioner_id, new.slot_start, coalesce(new.slot_end, new.slot_start)) then
    perform private.raise_error(409, 'PRACTITIONER.OFF_HOURS', 'this doctor does not work at that time');
  end if;
  return new;
end
$$;
create trigger queue_entries_practitioner_available before insert or update of practitioner_id
  on public.queue_entries for each row execute function private.queue_entries_practitioner_available();

-- ── RPCs (owner/admin write; definer, each checks its caller) ─────────────────────────────────────────────────
create function public.set_practitioner_leave(
  p_clinic_id uuid, p_practitioner_id uuid, p_from_day date, p_to_day date, p_reason text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_reason text := nullif(btrim(coalesce(p_reason, '')), '');
  v_id uuid;
  v_visits integer;
begin
  perform private.require_admin(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  perform private.require_clinic_practitioner(p_clinic_id, p_practitioner_id);
  if p_from_day is null or p_to_day is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_from_day and p_to_day are required');
  end if;
  if p_to_day < p_from_day then
    perform private.raise_error(422, 'LEAVE.INVALID_RANGE', '{"problem":"order"}');
  end if;
  if p_to_day < private.clinic_today(v_clinic.time_zone) then
    perform private.raise_error(422, 'LEAVE.INVALID_RANGE', '{"problem":"past"}');
  end if;
  if p_to_day - p_from_day > 365 then
    perform private.raise_error(422, 'LEAVE.INVALID_RANGE', '{"problem":"length"}');
  end if;
  if v_reason is not null and (char_length(v_reason) > 200 or v_reason ~ '[[:cntrl:]]') then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a reason is at most 200 characters on one line');
  end if;
  -- one doctor's leave is judged one write at a time (two admins adding overlapping ranges at once)
  perform 1 from public.clinic_members where id = p_practitioner_id for update;
  if exists (select 1 from public.practitioner_leave l
              where l.practitioner_id = p_practitioner_id
                and l.from_day <= p_to_day and p_from_day <= l.to_day) then
    perform private.raise_error(409, 'LEAVE.OVERLAP', 'this doctor already has leave on some of these days');
  end if;
  insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day, reason, created_by)
  values (p_clinic_id, p_practitioner_id, p_from_day, p_to_day, v_reason, auth.uid())
  returning id into v_id;
  -- the visits already booked with this doctor on those days stay; the admin is told how many to move
  select count(*)::integer into v_visits from public.queue_entries e join public.queues q on q.id = e.queue_id
   where e.practitioner_id = p_practitioner_id and q.day between p_from_day and p_to_day
     and e.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent');
  return jsonb_build_object('id', v_id, 'practitioner_id', p_practitioner_id, 'from_day', p_from_day,
                            'to_day', p_to_day, 'reason', v_reason, 'visits', v_visits);
end
$$;

create function public.delete_practitioner_leave(p_leave_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  l public.practitioner_leave;
begin
  if not private.is_service() then
    perform private.require_uid();
  end if;
  select * into l from public.practitioner_leave where id = p_leave_id;
  -- another clinic's leave is unknown here, as a missing one
  if not found or not (private.is_service() or private.is_clinic_staff(l.clinic_id)) then
    perform private.raise_error(404, 'NOT_FOUND', 'leave not found');
  end if;
  perform private.require_admin(l.clinic_id);
  delete from public.practitioner_leave where id = l.id;
  return jsonb_build_object('id', l.id, 'deleted', true);
end
$$;

-- ── get_free_slots: a doctor's slots (body of 20261214200002 + the practitioner filter) ──────────────────────
drop function public.get_free_slots(uuid, date, date, uuid);
create function public.get_free_slots(p_clinic_id uuid, p_from date, p_to date DEFAULT NULL::date,
  p_appointment_type_id uuid DEFAULT NULL::uuid, p_practitioner_id uuid DEFAULT NULL::uuid)
returns jsonb
language plpgsql
stable SECURITY DEFINER
set search_path = ''
as $function$
declare
  v_clinic public.clinics;
  v_s jsonb;
  v_to date := coalesce(p_to, p_from);
  v_today date;
  v_duration integer;
  v_result jsonb;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_from is null or v_to < p_from or v_to - p_from > 31 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_from..p_to must span 0-31 days');
  end if;
  if p_practitioner_id is not null then -- hours19: a named doctor is one of this clinic's (H1)
    perform private.require_clinic_practitioner(p_clinic_id, p_practitioner_id);
  end if;
  v_s := private.effective_settings(v_clinic.settings);
  v_today := private.clinic_today(v_clinic.time_zone);
  v_duration := private.type_duration(p_clinic_id, p_appointment_type_id);
  if private.type_booking_mode(p_clinic_id, p_appointment_type_id) = 'fluid' then
    return '[]'::jsonb; -- F1: a fluid type has no times (get_fluid_days answers its days)
  end if;
  -- the day's fluid places are judged once per day (a materialized list of the open days), each slot's
  -- bookings once per slot (not once in the answer and again in the filter)
  with days as materialized (
    select d::date as day
      from generate_series(greatest(p_from, v_today),
                           least(v_to, v_today + (v_s ->> 'booking_horizon_days')::integer), interval '1 day') d
     where not private.fluid_day_taken(p_clinic_id, d::date, v_duration)
  )
  select coalesce(jsonb_agg(jsonb_build_object('start', s.slot_start, 'end', s.slot_end,
           'remaining', (v_s ->> 'slot_capacity')::integer - b.n)
           order by s.slot_start), '[]'::jsonb)
    into v_result
    from days
    cross join lateral private.day_slots(p_clinic_id, days.day, v_duration) s
    cross join lateral (select private.booked_overlapping(p_clinic_id, s.slot_start, s.slot_end) as n offset 0) b
   where s.slot_start >= private.now() + make_interval(mins => (v_s ->> 'min_booking_notice_minutes')::integer)
     and b.n < (v_s ->> 'slot_capacity')::integer
     -- hours19 (H2): a named doctor's slots skip their leave and lie in their own hours
     and (p_practitioner_id is null or private.practitioner_available(p_practitioner_id, s.slot_start, s.slot_end));
  return v_result;
end
$function$;

revoke all on function private.practitioner_on_leave(uuid, date), private.practitioner_available(uuid, timestamptz, timestamptz),
  private.require_clinic_practitioner(uuid, uuid), private.queue_entries_practitioner_available()
  from public, anon, authenticated;
revoke execute on function public.set_practitioner_leave(uuid, uuid, date, date, text),
  public.delete_practitioner_leave(uuid), public.get_free_slots(uuid, date, date, uuid, uuid)
  from public, anon, authenticated;
grant execute on function public.set_practitioner_leave(uuid, uuid, date, date, text),
  public.delete_practitioner_leave(uuid) to authenticated, service_role;
grant execute on function public.get_free_slots(uuid, date, date, uuid, uuid) to anon, authenticated, service_role;
