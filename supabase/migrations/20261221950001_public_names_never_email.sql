-- fix21d (review): public surfaces never show an e-mail address.
--
-- create_clinic named its owner after the account's e-mail when no display name was typed and the profile had no
-- name (coalesce(p_display_name, full_name, email, 'Owner')); that name is then read by anyone holding a tracking
-- link (get_visit_live's doctor_name, 20261221500001) and on the public clinic page's doctor list
-- (get_public_clinic). Now:
--   * create_clinic falls back to the profile's name, then to the neutral 'Owner' (the owner renames themselves in
--     the team screen) — never to the e-mail, and not to a profile name that is itself an address;
--   * the public readers answer null for a stored name containing '@' (private.public_person_name), whatever wrote
--     it (an older clinic, a name typed as an address): the tracker then says nothing of the doctor, the clinic
--     page names them neutrally.
-- Redefined from their latest bodies: create_clinic (20261216700001), get_visit_live (20261221500001),
-- get_public_clinic (20261220950001).

create or replace function private.public_person_name(p_name text) returns text
language sql immutable
set search_path = ''
as $$
  select case when p_name is null or strpos(p_name, '@') > 0 then null else p_name end
$$;
revoke all on function private.public_person_name(text) from public, anon, authenticated;

create or replace function public.create_clinic(p_name text, p_slug text, p_time_zone text DEFAULT 'Africa/Casablanca'::text, p_default_language app_language DEFAULT 'fr'::app_language, p_display_name text DEFAULT NULL::text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $function$
declare
  v_uid uuid := private.require_uid();
  v_clinic_id uuid;
  v_member_id uuid;
  v_name text;
begin
  -- one account's creations are serialized, so two at once cannot both pass the count
  perform pg_catalog.pg_advisory_xact_lock(hashtextextended('create_clinic:' || v_uid::text, 0));
  if (select count(*) from public.clinics where created_by = v_uid and created_at > private.now() - interval '24 hours') >= 3
     or (select count(*) from public.clinics where created_by = v_uid) >= 10 then
    perform private.raise_error(429, 'RATE.LIMITED', 'too many clinics created by this account');
  end if;
  if p_display_name is not null and char_length(p_display_name) > 120 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'the display name is longer than 120 characters');
  end if;
  begin
    -- abuse17 S1: a self-made clinic's SMS are held until the platform operator approves it (approve_clinic_sms)
    insert into public.clinics (name, slug, time_zone, default_language, created_by, sms_held)
    values (p_name, p_slug, coalesce(p_time_zone, 'Africa/Casablanca'), coalesce(p_default_language, 'fr'), v_uid, true)
    returning id into v_clinic_id;
  exception
    when unique_violation then
      perform private.raise_error(409, 'VALIDATION.FAILED', 'this address (slug) is taken');
    when not_null_violation or check_violation then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) and a slug (a-z, 0-9, -) are required');
  end;
  -- fix21d: never the e-mail (it would be read on the tracker and the public clinic page)
  select coalesce(nullif(btrim(p_display_name), ''), private.public_person_name(nullif(btrim(pr.full_name), '')),
                  'Owner') into v_name
    from auth.users u left join public.profiles pr on pr.id = u.id where u.id = v_uid;
  insert into public.clinic_members (clinic_id, user_id, role, display_name)
  values (v_clinic_id, v_uid, 'owner', left(coalesce(v_name, 'Owner'), 120))
  returning id into v_member_id;
  return jsonb_build_object('clinic_id', v_clinic_id, 'member_id', v_member_id);
end
$function$;


create or replace function public.get_visit_live(p_tracking_token text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v jsonb;
  v_queue public.queues;
  v_practitioner uuid;
  v_arrive_by timestamptz;
  v_patient public.patients;
  v_channel public.notification_channel;
begin
  v := public.get_visit_status(p_tracking_token);
  select * into v_queue from public.queues where id = (v ->> 'queue_id')::uuid;
  select e.practitioner_id, e.arrive_by into v_practitioner, v_arrive_by
    from public.queue_entries e where e.id = (v ->> 'entry_id')::uuid;
  select p.* into v_patient from public.queue_entries e join public.patients p on p.id = e.patient_id
   where e.id = (v ->> 'entry_id')::uuid;
  if v_patient.id is not null then
    select r.channel into v_channel from private.notification_route(v_patient) r;
  end if;
  return v || jsonb_build_object(
    'estimate', case when v ->> 'status' = 'waiting'
                     then private.entry_estimate_json((v ->> 'entry_id')::uuid) end,
    'accuracy_minutes', private.clinic_accuracy_minutes((v -> 'clinic' ->> 'id')::uuid),
    'desk_paused', coalesce(v_practitioner = any (v_queue.paused_practitioner_ids), false),
    'intake_closed', v_queue.intake_closed_at is not null,
    'arrive_by', case when v ->> 'status' = 'waiting' then v_arrive_by end,
    'notifications', jsonb_build_object(
      'channel', v_channel,
      'push', exists (select 1 from public.push_subscriptions s where s.entry_id = (v ->> 'entry_id')::uuid)),
    -- feat21a: the doctor's name only (null: any doctor)
    -- fix21d: never an e-mail address
    'doctor_name', (select private.public_person_name(m.display_name) from public.clinic_members m
                     where m.id = v_practitioner and m.clinic_id = (v -> 'clinic' ->> 'id')::uuid));
end
$$;

create or replace function public.get_public_clinic(p_slug text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_s jsonb;
begin
  select * into v_clinic from public.clinics
   where slug = lower(p_slug) or id::text = lower(p_slug);
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_s := private.effective_settings(v_clinic.settings);
  return jsonb_build_object(
    'id', v_clinic.id, 'slug', v_clinic.slug, 'name', v_clinic.name, 'time_zone', v_clinic.time_zone,
    'default_language', v_clinic.default_language, 'phone', v_clinic.phone, 'address', v_clinic.address,
    'appointment_types', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name,
        'duration_minutes', t.duration_minutes, 'names', t.names, 'color', t.color,
        'practitioner_ids', t.practitioner_ids,
        'booking_mode', coalesce(t.booking_mode, v_s ->> 'booking_mode')) order by t.name)
      from public.appointment_types t where t.clinic_id = v_clinic.id and t.active), '[]'::jsonb),
    'working_hours', coalesce((select jsonb_agg(jsonb_build_object('weekday', w.weekday,
        'starts_at', to_char(w.starts_at, 'HH24:MI'), 'ends_at', to_char(w.ends_at, 'HH24:MI'))
        order by w.weekday, w.starts_at)
      from public.working_hours w where w.clinic_id = v_clinic.id), '[]'::jsonb),
    'practitioners', coalesce((select jsonb_agg(jsonb_build_object('id', m.id,
        'display_name', private.public_person_name(m.display_name)) -- fix21d: never an e-mail address
        order by m.display_name)
      from public.clinic_members m where m.clinic_id = v_clinic.id
       and private.is_bookable_doctor(v_clinic.id, m.id)),
      '[]'::jsonb),
    'booking', jsonb_build_object(
      'booking_horizon_days', v_s -> 'booking_horizon_days',
      'min_booking_notice_minutes', v_s -> 'min_booking_notice_minutes',
      'min_cancel_notice_minutes', v_s -> 'min_cancel_notice_minutes',
      'slot_capacity', v_s -> 'slot_capacity',
      'buffer_minutes', v_s -> 'buffer_minutes'));
end
$$;
