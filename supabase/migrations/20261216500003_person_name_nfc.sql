-- Issue 12, session 17: a patient's name is normalised in ONE place, NFC included.
--
-- Before: five copies of btrim(regexp_replace(name, '\s+', ' ', 'g')) (set_my_name 20261214100001, the
-- patient's own-rename trigger 20261214900001, find_or_create_patient 20261214200003 — desk booking, the desk's
-- find-or-create and the patient's first booking — twice more inside it), a bare btrim for walk-ins
-- (save_queue_step's p_patients), and none at all in search_patients. None of them composed Unicode: "é" typed as
-- e + U+0301 (a combining acute, what some keyboards and pasted text give) and the precomposed U+00E9 — or an
-- Arabic alef typed with a combining hamza (U+0627 U+0654) and the precomposed U+0623 — are the same name to a
-- person but different strings to Postgres: the desk's find-or-create made a second record for the same caller
-- (its lookup is phone AND name) and the search did not find the patient.
-- Now:
--   * private.normalize_person_name(text): Unicode NFC, inner runs of white space made one space, trimmed
--     (null stays null). The single definition of "the same name"; immutable.
--   * Every stored patient name goes through it: a BEFORE INSERT OR UPDATE OF full_name trigger on
--     public.patients (patients_name_normalised; it fires before the own-rename limit, by name order), so every
--     writer — walk-ins through save_queue_step, desk booking, the patient's own rename, a staff correction —
--     stores the normal form, and the rules that read the name (length, control characters, "same name again")
--     see it. The functions that compare or validate BEFORE writing (find_or_create_patient's lookup,
--     set_my_name's "changed", the own-rename limit) call the same helper instead of their copies.
--   * search_patients normalises the query the same way; stored names are normal (trigger + the backfill below),
--     so both sides of the comparison are NFC.
--   * Existing names are rewritten once to their normal form (no-op for names already normal; visits are
--     re-stamped by the existing rename trigger, the own-rename limit does not count it: no user in a migration).
-- Bodies: find_or_create_patient from 20261214200003, set_my_name from 20261214100001,
-- limit_patient_self_rename from 20261214900001, search_patients from 20261204500001 (each its newest); only
-- their normalisation changes.

create function private.normalize_person_name(p_name text) returns text
language sql immutable strict parallel safe set search_path = '' as $$
  select btrim(regexp_replace(normalize(p_name, NFC), '\s+', ' ', 'g'))
$$;
revoke all on function private.normalize_person_name(text) from public, anon, authenticated;

create function private.normalise_patient_name() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.full_name := private.normalize_person_name(new.full_name);
  return new;
end
$$;
revoke all on function private.normalise_patient_name() from public;

create trigger patients_name_normalised before insert or update of full_name on public.patients
  for each row execute function private.normalise_patient_name();

create or replace function private.find_or_create_patient(
  p_clinic_id uuid,
  p_user_id uuid,
  p_full_name text,
  p_phone text,
  p_language public.app_language)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_name text := private.normalize_person_name(coalesce(p_full_name, ''));
  v_phone text := btrim(coalesce(p_phone, ''));
  v_id uuid;
  v_found_name text;
begin
  if p_user_id is not null then
    perform pg_advisory_xact_lock(
      hashtextextended('patient_record:' || p_clinic_id::text || ':user:' || p_user_id::text, 0));
    select p.id, p.full_name into v_id, v_found_name
      from public.patients p where p.clinic_id = p_clinic_id and p.user_id = p_user_id;
    if v_id is not null then
      return jsonb_build_object('patient_id', v_id, 'full_name', v_found_name, 'created', false);
    end if;
    if v_name = '' then
      select private.normalize_person_name(coalesce(pr.full_name, '')) into v_name
        from (select 1) x left join public.profiles pr on pr.id = p_user_id;
    end if;
    select case when u.phone_confirmed_at is not null and private.is_e164('+' || ltrim(u.phone, '+'))
                then '+' || ltrim(u.phone, '+') end
      into v_phone from auth.users u where u.id = p_user_id;
  end if;
  if char_length(coalesce(v_name, '')) not between 1 and 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) is required');
  end if;
  if p_user_id is null and not private.is_e164(v_phone) then
    perform private.raise_error(422, 'PHONE.INVALID', 'phone must be E.164, e.g. +212600000000');
  end if;
  if v_name ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name cannot hold control characters');
  end if;
  if p_user_id is not null then
    insert into public.patients (clinic_id, user_id, full_name, phone, preferred_language)
    values (p_clinic_id, p_user_id, v_name, v_phone, p_language)
    on conflict (clinic_id, user_id) where user_id is not null do nothing
    returning id into v_id;
    if v_id is null then
      select id into v_id from public.patients where clinic_id = p_clinic_id and user_id = p_user_id;
      return jsonb_build_object('patient_id', v_id, 'full_name', v_name, 'created', false);
    end if;
    return jsonb_build_object('patient_id', v_id, 'full_name', v_name, 'created', true);
  end if;
  perform pg_advisory_xact_lock(
    hashtextextended('patient_record:' || p_clinic_id::text || ':phone:' || v_phone, 0));
  select p.id, p.full_name into v_id, v_found_name
    from public.patients p
   where p.clinic_id = p_clinic_id
     and p.phone = v_phone
     and lower(private.normalize_person_name(p.full_name)) = lower(v_name)
   order by (p.user_id is not null) desc, p.updated_at desc, p.id
   limit 1;
  if v_id is not null then
    return jsonb_build_object('patient_id', v_id, 'full_name', v_found_name, 'created', false);
  end if;
  insert into public.patients (clinic_id, user_id, full_name, phone, preferred_language)
  values (p_clinic_id, null, v_name, v_phone, p_language)
  returning id into v_id;
  return jsonb_build_object('patient_id', v_id, 'full_name', v_name, 'created', true);
end
$$;

create or replace function public.set_my_name(p_clinic_id uuid, p_full_name text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_name text := private.normalize_person_name(coalesce(p_full_name, ''));
  v_id uuid;
  v_old text;
begin
  if char_length(v_name) not between 1 and 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) is required');
  end if;
  if v_name ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name cannot hold control characters');
  end if;
  select p.id, p.full_name into v_id, v_old
    from public.patients p
   where p.clinic_id = p_clinic_id and p.user_id = v_uid
   for update;
  if v_id is null then
    perform private.raise_error(404, 'NOT_FOUND', 'you have no record at this clinic');
  end if;
  if v_old is distinct from v_name then
    update public.patients set full_name = v_name where id = v_id;
  end if;
  return jsonb_build_object('full_name', v_name, 'changed', v_old is distinct from v_name);
end
$$;

create or replace function private.limit_patient_self_rename() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_today date;
  v_count integer;
begin
  -- only the patient's own rename of their own record counts (staff of the clinic, erasure, service: free)
  if v_uid is null or new.user_id is distinct from v_uid or private.is_clinic_staff(new.clinic_id) then
    return new;
  end if;
  new.full_name := private.normalize_person_name(coalesce(new.full_name, ''));
  if char_length(new.full_name) not between 1 and 200 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name (1-200 characters) is required');
  end if;
  if new.full_name ~ '[[:cntrl:]]' then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a name cannot hold control characters');
  end if;
  if new.full_name is not distinct from old.full_name then
    return new; -- the same name after normalisation: no rename, not counted
  end if;
  select private.clinic_today(c.time_zone) into v_today from public.clinics c where c.id = new.clinic_id;
  insert into private.patient_self_renames as r (patient_id, day, renames)
  values (new.id, v_today, 1)
  on conflict (patient_id, day) do update set renames = r.renames + 1
  returning r.renames into v_count;
  if v_count > private.patient_self_rename_limit() then
    perform private.raise_error(429, 'PATIENT.RENAME_LIMIT',
      format('a patient may change their name %s times a day', private.patient_self_rename_limit()));
  end if;
  return new;
end
$$;

create or replace function public.search_patients(p_clinic_id uuid, p_query text, p_limit integer default 20)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_q text := private.normalize_person_name(coalesce(p_query, ''));
  v_limit integer := coalesce(p_limit, 20);
  v_digits text;
  v_prefix text;
  v_number integer;
  v_clinic public.clinics;
  v_m text[];
begin
  perform private.require_uid();
  if p_clinic_id is null or not private.is_clinic_staff(p_clinic_id) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'not staff of this clinic');
  end if;
  if char_length(v_q) < 2 or char_length(v_q) > 100 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_query must be 2 to 100 characters');
  end if;
  if v_limit < 1 or v_limit > 50 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_limit must be between 1 and 50');
  end if;
  select * into v_clinic from public.clinics where id = p_clinic_id;
  -- a phone: at least 4 digits once spaces, dashes, dots, brackets and a leading + are set aside
  if v_q ~ '^\+?[0-9 ().-]+$' then
    v_digits := regexp_replace(v_q, '[^0-9]', '', 'g');
    v_digits := ltrim(v_digits, '0');  -- a local 06… number matches its +2126… form
    if char_length(v_digits) < 4 then v_digits := null; end if;
  end if;
  -- a ticket: "A-012", "a12", "12" (the clinic's prefix or none)
  v_m := regexp_match(upper(v_q), '^([A-Z]{1,3})?[- ]?0*([0-9]{1,4})$');
  if v_m is not null and (v_m[1] is null or v_m[1] = v_clinic.ticket_prefix) then
    v_number := nullif(v_m[2], '')::integer;
    v_prefix := v_clinic.ticket_prefix;
  end if;
  return coalesce((
    select jsonb_agg(x.o order by x.last_day desc nulls last, x.full_name, x.id)
    from (
      select p.id, p.full_name, lv.day as last_day,
             jsonb_build_object(
               'id', p.id, 'full_name', p.full_name, 'phone', p.phone,
               'last_day', lv.day,
               'last_ticket', case when lv.ticket_number is null then null
                                   else private.ticket_label(v_clinic.ticket_prefix, lv.ticket_number) end,
               'visits', (select count(*) from public.queue_entries e2 where e2.patient_id = p.id)) as o
      from public.patients p
      left join lateral (
        select q.day, e.ticket_number
        from public.queue_entries e join public.queues q on q.id = e.queue_id
        where e.patient_id = p.id
        order by q.day desc, e.ticket_number desc
        limit 1) lv on true
      where p.clinic_id = p_clinic_id
        and (p.full_name ilike '%' || private.like_escape(v_q) || '%' escape '\'
             or (v_digits is not null and p.phone is not null
                 and p.phone like '%' || v_digits || '%')
             or (v_number is not null and exists (
                   select 1 from public.queue_entries e
                   where e.patient_id = p.id and e.clinic_id = p_clinic_id and e.ticket_number = v_number)))
      order by lv.day desc nulls last, p.full_name, p.id
      limit v_limit) x), '[]'::jsonb);
end
$$;

-- names stored before: their normal form (a no-op for most)
update public.patients p set full_name = private.normalize_person_name(p.full_name)
 where p.full_name is distinct from private.normalize_person_name(p.full_name);
