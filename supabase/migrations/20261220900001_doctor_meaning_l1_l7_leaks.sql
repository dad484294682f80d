-- Session 20 (fix20b): review20's L1, L4, L7 and two minor leaks (docs/domain-rules.md DR1–DR3, docs/security.md).
--
-- L4 "one meaning of doctor": a doctor is an ACTIVE member with role 'practitioner' or 'owner' (small clinics: the
--    owner is often the doctor — the demo's Dr Karim Alaoui has room 3, a self-made clinic's founder is its only
--    member; transfer and pause already took owners). private.is_bookable_doctor is that rule; private.book (every
--    booking and reschedule) and private.require_clinic_practitioner (get_free_slots, set_practitioner_leave/_hours)
--    now ask it, so get_free_slots no longer offers an owner's slots that booking then refused. An owner's leave and
--    hours rows are written only by an owner (trigger private.doctor_schedule_owner_rows): admins cannot constrain
--    an owner. get_public_clinic's doctor lists and set_appointment_types' practitioner_ids check still name
--    practitioners only (left to doctor20/fix20 who redefine them this session; docs/domain-rules.md DR1).
-- L1 "a doctor who no longer takes bookings": a booking or reschedule naming a doctor who was deactivated answers
--    409 PRACTITIONER.UNAVAILABLE (translated) instead of 404 "practitioner not found"; the visit keeps its doctor
--    (the patient chose them: we do not silently move them to "any doctor") and the patient cancels and books
--    again or calls the clinic. set_team now returns {"future_visits": n}: the open visits from today on of the
--    doctors this call deactivated or moved out of the doctor role (as set_practitioner_leave returns "visits").
-- L7 clinic names: the N1 trigger (clinics_name_rules, insert AND every rename) also refuses control, bidi and
--    invisible format characters (private.is_clean_person_name's set) with 422 CLINIC.NAME_NOT_ALLOWED; names
--    stored before are cleaned once here.
-- Leaks: practitioner_leave.reason is no longer readable by every staff member: the column grant is gone and
--    get_practitioner_leave(clinic) returns every leave of the clinic to its staff with the reason only for
--    owners/admins and the doctor themself. remove_member and resend_staff_invitation answer 404 for another
--    clinic's id, exactly as for an unknown id (as delete_practitioner_leave does).
--
-- Redefined from their newest bodies: private.require_clinic_practitioner (20261219500001), private.book
-- (20261212700002), public.set_team (20261219300003, now returns jsonb), public.remove_member (20261219300001),
-- public.resend_staff_invitation (20261219300002), private.clinics_name_rules (20261216700001).

-- ── L4: one helper ────────────────────────────────────────────────────────────────────────────────
create function private.is_bookable_doctor(p_clinic_id uuid, p_member_id uuid) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (select 1 from public.clinic_members m
                  where m.id = p_member_id and m.clinic_id = p_clinic_id and m.active
                    and m.role in ('practitioner', 'owner'))
$$;
revoke all on function private.is_bookable_doctor(uuid, uuid) from public, anon, authenticated;

-- 404 for an id that is not one of this clinic's doctors; 409 PRACTITIONER.UNAVAILABLE for a doctor of this clinic
-- who was deactivated (their id was public while they took bookings, so this reveals nothing new)
create function private.require_bookable_doctor(p_clinic_id uuid, p_practitioner_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if private.is_bookable_doctor(p_clinic_id, p_practitioner_id) then
    return;
  end if;
  if p_practitioner_id is not null and exists (
       select 1 from public.clinic_members m
        where m.id = p_practitioner_id and m.clinic_id = p_clinic_id and not m.active
          and m.role in ('practitioner', 'owner')) then
    perform private.raise_error(409, 'PRACTITIONER.UNAVAILABLE', 'this doctor no longer takes bookings');
  end if;
  perform private.raise_error(404, 'NOT_FOUND', 'practitioner not found in this clinic');
end
$$;
revoke all on function private.require_bookable_doctor(uuid, uuid) from public, anon, authenticated;

-- owner rows: an owner is a doctor (the demo's Dr Karim Alaoui, a self-made clinic's founder), but only an owner
-- (or the owner themself, who is one) writes an owner's leave or hours — admins cannot constrain an owner (L4).
-- A trigger, so every writer (set_practitioner_leave, set_practitioner_hours, delete_practitioner_leave) obeys it.
create function private.doctor_schedule_owner_rows() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic uuid;
  v_member uuid;
begin
  if tg_op = 'DELETE' then
    v_clinic := old.clinic_id; v_member := old.practitioner_id;
  else
    v_clinic := new.clinic_id; v_member := new.practitioner_id;
  end if;
  if auth.uid() is not null and not private.is_service()
     and exists (select 1 from public.clinic_members m where m.id = v_member and m.role = 'owner')
     and not private.is_clinic_owner(v_clinic) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner changes an owner''s leave or hours');
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;
revoke all on function private.doctor_schedule_owner_rows() from public, anon, authenticated;
create trigger practitioner_leave_owner_rows before insert or update or delete on public.practitioner_leave
  for each row execute function private.doctor_schedule_owner_rows();
create trigger practitioner_hours_owner_rows before insert or update or delete on public.practitioner_hours
  for each row execute function private.doctor_schedule_owner_rows();

create or replace function private.require_clinic_practitioner(p_clinic_id uuid, p_practitioner_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  perform private.require_bookable_doctor(p_clinic_id, p_practitioner_id);
end
$$;

create or replace function private.book(p_clinic_id uuid, p_patient_id uuid, p_slot_start timestamp with time zone, p_type_id uuid, p_practitioner_id uuid, p_enforce_notice boolean)
returns jsonb
language plpgsql
set search_path = ''
as $function$
declare
  v_clinic public.clinics;
  v_settings jsonb;
  v_duration integer;
  v_day date;
  v_today date;
  v_slot_end timestamptz;
  v_queue public.queues;
  v_token text;
  v_entry_id uuid := gen_random_uuid();
begin
  -- the link token is derived from the visit (private.entry_link_token): the server can render it again
  v_token := private.entry_link_token(v_entry_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  if p_slot_start is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_slot_start is required');
  end if;
  v_settings := private.effective_settings(v_clinic.settings);
  v_duration := private.type_duration(p_clinic_id, p_type_id);
  if private.type_booking_mode(p_clinic_id, p_type_id) = 'fluid' then
    -- F1: a fluid visit type takes a place in the day's line, never a time (a forged slot is refused)
    perform private.raise_error(422, 'BOOKING.MODE_MISMATCH', 'this visit type takes a place in the day, not a slot');
  end if;
  if p_practitioner_id is not null then -- fix20b: one meaning of doctor (L4); a deactivated one is 409 (L1)
    perform private.require_bookable_doctor(p_clinic_id, p_practitioner_id);
  end if;
  v_day := (p_slot_start at time zone v_clinic.time_zone)::date;
  v_today := private.clinic_today(v_clinic.time_zone);

  if p_slot_start <= private.now() or (p_enforce_notice and p_slot_start
       < private.now() + make_interval(mins => (v_settings ->> 'min_booking_notice_minutes')::integer)) then
    perform private.raise_error(422, 'BOOKING.TOO_SOON', 'the slot starts too soon to book');
  end if;
  if p_enforce_notice and v_day > v_today + (v_settings ->> 'booking_horizon_days')::integer then
    perform private.raise_error(422, 'BOOKING.BEYOND_HORIZON', 'the slot is beyond the booking horizon');
  end if;
  if exists (select 1 from public.closed_dates d where d.clinic_id = p_clinic_id and d.day = v_day) then
    perform private.raise_error(422, 'BOOKING.CLINIC_CLOSED', 'the clinic is closed that day');
  end if;
  select s.slot_end into v_slot_end from private.day_slots(p_clinic_id, v_day, v_duration) s
   where s.slot_start = p_slot_start;
  if not found then
    perform private.raise_error(422, 'BOOKING.SLOT_UNAVAILABLE', 'not a bookable slot');
  end if;

  v_queue := private.lock_queue(p_clinic_id, v_day); -- serializes bookings of this clinic-day
  -- tickets stay unique even if an entry was added with an explicit number
  v_queue.next_ticket := greatest(v_queue.next_ticket,
    coalesce((select max(x.ticket_number) + 1 from public.queue_entries x where x.queue_id = v_queue.id), 1));
  if v_queue.status = 'closed' then
    perform private.raise_error(409, 'QUEUE.CLOSED', 'the day is closed');
  end if;
  if private.booked_overlapping(p_clinic_id, p_slot_start, v_slot_end)
       >= (v_settings ->> 'slot_capacity')::integer then
    perform private.raise_error(409, 'BOOKING.SLOT_FULL', 'the slot is full');
  end if;
  -- the day's fluid places hold minutes too: a slot is full when they leave none for it (F2 both ways)
  if private.fluid_day_taken(p_clinic_id, v_day, v_duration) then
    perform private.raise_error(409, 'BOOKING.SLOT_FULL', 'the day''s places are taken');
  end if;
  perform private.check_same_day_visit(v_queue.id, p_patient_id);

  insert into public.queue_entries (
    id, queue_id, clinic_id, patient_id, practitioner_id, appointment_type_id, kind, status, ticket_number,
    order_key, slot_start, slot_end, tracking_token_hash, created_by, appointment_id)
  values (
    v_entry_id, v_queue.id, p_clinic_id, p_patient_id, p_practitioner_id, p_type_id, 'booked', 'scheduled',
    v_queue.next_ticket, extract(epoch from p_slot_start)::numeric, p_slot_start, v_slot_end,
    private.hash_token(v_token), auth.uid(), v_entry_id);
  update public.queues set next_ticket = v_queue.next_ticket + 1 where id = v_queue.id;
  perform private.log_event(v_queue.id, p_clinic_id, v_entry_id, 'EntryScheduled',
    jsonb_build_object('ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
                       'appointmentId', v_entry_id, 'slotAt', p_slot_start, 'practitionerId', p_practitioner_id));
  return jsonb_build_object(
    'entry_id', v_entry_id,
    'queue_id', v_queue.id,
    'clinic_id', p_clinic_id,
    'patient_id', p_patient_id,
    'day', v_day,
    'ticket_number', v_queue.next_ticket,
    'ticket', private.ticket_label(v_clinic.ticket_prefix, v_queue.next_ticket),
    'slot_start', p_slot_start,
    'slot_end', v_slot_end,
    'status', 'scheduled',
    'tracking_token', v_token,
    'queue_version', private.bump_version(v_queue.id));
end
$function$;

-- ── L1: set_team says how many open visits the doctors it takes out of service still have ────────
drop function public.set_team(uuid, jsonb);
create function public.set_team(p_clinic_id uuid, p_changes jsonb)
returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r record;
  v_ids uuid[] := '{}';
  v_owner boolean;
  v_n integer;
  v_leaving uuid[];
  v_visits integer;
begin
  perform private.require_admin(p_clinic_id);
  if p_changes is null or jsonb_typeof(p_changes) <> 'array' or jsonb_array_length(p_changes) > 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"format"}');
  end if;
  for r in select value as v, ordinality - 1 as idx from jsonb_array_elements(p_changes) with ordinality loop
    if jsonb_typeof(r.v) <> 'object'
       or coalesce(r.v ->> 'member_id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       or (r.v ? 'active' and jsonb_typeof(r.v -> 'active') <> 'boolean') then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'problem', 'format')::text);
    end if;
    if r.v ? 'role' and coalesce(r.v ->> 'role', '') not in ('owner', 'admin', 'practitioner', 'receptionist') then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'id', r.v ->> 'member_id', 'problem', 'role')::text);
    end if;
    if r.v ? 'room' and (jsonb_typeof(r.v -> 'room') not in ('string', 'null')
                         or char_length(btrim(coalesce(r.v ->> 'room', 'x'))) not between 1 and 40) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'id', r.v ->> 'member_id', 'problem', 'room')::text);
    end if;
    if (r.v ->> 'member_id')::uuid = any (v_ids) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'id', r.v ->> 'member_id', 'problem', 'duplicate')::text);
    end if;
    if not exists (select 1 from public.clinic_members m
                   where m.id = (r.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id) then
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object(
        'index', r.idx, 'id', r.v ->> 'member_id', 'problem', 'unknown')::text);
    end if;
    v_ids := v_ids || (r.v ->> 'member_id')::uuid;
  end loop;

  -- (2) authority, judged on the team as it was when the call began
  v_owner := private.is_service() or private.is_clinic_owner(p_clinic_id);
  if not v_owner and exists (
    select 1
    from jsonb_array_elements(p_changes) c(v)
    join public.clinic_members m on m.id = (c.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id
    where m.role = 'owner' or c.v ->> 'role' = 'owner'
  ) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner changes an owner');
  end if;

  -- (3) the final team keeps an active owner (read as the caller: staff see every colleague); team19: its own code
  if not exists (
    select 1
    from public.clinic_members m
    left join jsonb_array_elements(p_changes) c(v) on (c.v ->> 'member_id')::uuid = m.id
    where m.clinic_id = p_clinic_id
      and case when c.v ? 'role' then c.v ->> 'role' else m.role::text end = 'owner'
      and case when c.v ? 'active' then (c.v ->> 'active')::boolean else m.active end
  ) then
    perform private.raise_error(409, 'MEMBER.LAST_OWNER', 'a clinic needs at least one owner');
  end if;

  -- L1 (fix20b): the doctors this call takes out of service (deactivated, or moved out of the doctor role)
  select coalesce(array_agg(m.id), '{}') into v_leaving
    from jsonb_array_elements(p_changes) c(v)
    join public.clinic_members m on m.id = (c.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id
   where m.active and m.role = 'practitioner'
     and (case when c.v ? 'active' then not (c.v ->> 'active')::boolean else false end
          or (c.v ? 'role' and c.v ->> 'role' <> 'practitioner'));

  -- (4) apply: final active owners first, then the others, the caller's own row last
  for r in
    select c.v
    from jsonb_array_elements(p_changes) with ordinality c(v, idx)
    join public.clinic_members m on m.id = (c.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id
    order by
      m.user_id is not distinct from auth.uid(),
      not (case when c.v ? 'role' then c.v ->> 'role' else m.role::text end = 'owner'
           and case when c.v ? 'active' then (c.v ->> 'active')::boolean else m.active end),
      c.idx
  loop
    update public.clinic_members m
    set role = case when r.v ? 'role' then (r.v ->> 'role')::public.member_role else m.role end,
        room = case when r.v ? 'room' then nullif(btrim(r.v ->> 'room'), '') else m.room end,
        active = case when r.v ? 'active' then (r.v ->> 'active')::boolean else m.active end
    where m.id = (r.v ->> 'member_id')::uuid and m.clinic_id = p_clinic_id;
    get diagnostics v_n = row_count;
    if v_n = 0 then
      -- unreachable after (2); kept so a row hidden by RLS can never pass silently
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner changes an owner');
    end if;
  end loop;
  select count(*)::integer into v_visits
    from public.queue_entries e join public.queues q on q.id = e.queue_id
    join public.clinics c on c.id = e.clinic_id
   where e.clinic_id = p_clinic_id and e.practitioner_id = any (v_leaving)
     and q.day >= private.clinic_today(c.time_zone)
     and e.status in ('scheduled', 'waiting', 'called', 'in_service', 'absent');
  return jsonb_build_object('future_visits', v_visits);
end
$$;

revoke execute on function public.set_team(uuid, jsonb) from public, anon;
grant execute on function public.set_team(uuid, jsonb) to authenticated, service_role;

-- ── Leak: another clinic's member / invitation is 404, as an unknown id ──────────────────────────
create or replace function public.remove_member(p_member_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member public.clinic_members;
begin
  select * into v_member from public.clinic_members where id = p_member_id;
  if not found or not (private.is_service() or private.is_clinic_staff(v_member.clinic_id)) then
    perform private.raise_error(404, 'NOT_FOUND', 'member not found');
  end if;
  perform private.require_admin(v_member.clinic_id);
  if v_member.role = 'owner' and not (private.is_service() or private.is_clinic_owner(v_member.clinic_id)) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner can remove an owner');
  end if;
  -- the owners of the clinic, locked in one order: a concurrent removal or demotion waits, then sees this one
  perform 1 from public.clinic_members m
   where m.clinic_id = v_member.clinic_id and m.role = 'owner'
   order by m.id
   for update;
  select * into v_member from public.clinic_members where id = p_member_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'member not found');
  end if;
  if v_member.role = 'owner' and v_member.active
     and not exists (select 1 from public.clinic_members m
                      where m.clinic_id = v_member.clinic_id and m.id <> v_member.id
                        and m.role = 'owner' and m.active) then
    perform private.raise_error(409, 'MEMBER.LAST_OWNER', 'a clinic needs at least one active owner');
  end if;
  if exists (select 1 from public.queue_entries e
              where e.clinic_id = v_member.clinic_id
                and (e.practitioner_id = v_member.id or e.served_by = v_member.id))
     or exists (select 1 from private.report_visit_cells c
                 where c.clinic_id = v_member.clinic_id and c.practitioner_id = v_member.id) then
    perform private.raise_error(409, 'MEMBER.HAS_HISTORY',
      'this member has visits on record; deactivate them instead');
  end if;
  delete from public.clinic_members where id = v_member.id;
end
$$;

create or replace function public.resend_staff_invitation(p_invitation_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_inv public.staff_invitations;
  v_token text := private.new_token();
begin
  select * into v_inv from public.staff_invitations where id = p_invitation_id;
  if not found or not (private.is_service() or private.is_clinic_staff(v_inv.clinic_id)) then
    perform private.raise_error(404, 'NOT_FOUND', 'invitation not found');
  end if;
  perform private.require_admin(v_inv.clinic_id);
  if v_inv.role = 'owner' and not (private.is_service() or private.is_clinic_owner(v_inv.clinic_id)) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner can invite an owner');
  end if;
  perform private.staff_invitation_check_caps(v_inv.clinic_id, v_inv.expires_at <= private.now());
  -- read again under the clinic's lock: a concurrent accept or revoke has settled by now
  select * into v_inv from public.staff_invitations where id = p_invitation_id for update;
  if v_inv.accepted_at is not null or v_inv.revoked_at is not null then
    perform private.raise_error(409, 'VALIDATION.FAILED', 'the invitation is no longer pending');
  end if;
  update public.staff_invitations
     set token_hash = private.hash_token(v_token),
         expires_at = private.now() + interval '7 days',
         resends = resends + 1
   where id = v_inv.id
  returning * into v_inv;
  insert into private.staff_invitation_resends (invitation_id, clinic_id) values (v_inv.id, v_inv.clinic_id);
  return jsonb_build_object('invitation_id', v_inv.id, 'token', v_token, 'expires_at', v_inv.expires_at);
end
$$;


-- ── L7: clinic names without control, bidi or invisible characters (insert and every rename) ─────
create or replace function private.clinics_name_rules() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (tg_op = 'INSERT' or new.name is distinct from old.name)
     and (not private.clinic_name_allowed(new.name)
          or (new.name is not null and not private.is_clean_person_name(new.name))) then
    perform private.raise_error(422, 'CLINIC.NAME_NOT_ALLOWED',
      'a clinic name may not contain a web address, a phone number, or control or invisible characters');
  end if;
  return new;
end
$$;

-- names stored before this rule: the invisible characters go (a name left empty or refused becomes "Clinic")
update public.clinics c
   set name = case when btrim(private.strip_person_name(c.name)) <> ''
                    and private.is_clean_person_name(private.strip_person_name(c.name))
                    and private.clinic_name_allowed(private.strip_person_name(c.name))
                   then private.strip_person_name(c.name) else 'Clinic' end
 where c.name is not null and not private.is_clean_person_name(c.name);

-- ── Leak: leave reasons only for owners/admins and the doctor themself ───────────────────────────
revoke select on public.practitioner_leave from authenticated;
grant select (id, clinic_id, practitioner_id, from_day, to_day, created_at) on public.practitioner_leave to authenticated;

create function public.get_practitioner_leave(p_clinic_id uuid) returns jsonb
language plpgsql
stable security definer
set search_path = ''
as $$
declare
  v_admin boolean;
begin
  -- outside the clinic: nothing, as the table's RLS answered before
  if p_clinic_id is null or not (private.is_service() or private.is_clinic_staff(p_clinic_id)) then
    return '[]'::jsonb;
  end if;
  v_admin := private.is_service() or private.is_clinic_admin(p_clinic_id);
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'id', l.id, 'practitioner_id', l.practitioner_id, 'from_day', l.from_day, 'to_day', l.to_day,
             'reason', case when v_admin or m.user_id = auth.uid() then l.reason end)
           order by l.from_day, l.id)
      from public.practitioner_leave l
      join public.clinic_members m on m.id = l.practitioner_id
     where l.clinic_id = p_clinic_id), '[]'::jsonb);
end
$$;
revoke execute on function public.get_practitioner_leave(uuid) from public, anon;
grant execute on function public.get_practitioner_leave(uuid) to authenticated, service_role;
