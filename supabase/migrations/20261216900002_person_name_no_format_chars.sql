-- Attack review of session 17, item 6: names accepted bidi and other invisible format characters.
-- set_my_name('\u202EizaT enimA') (RIGHT-TO-LEFT OVERRIDE: shown as "Amine Taziz") and 'Amine\u2066\u2067X'
-- (unterminated isolates) were stored and the anon waiting-room board showed them; PATCH /rest/v1/profiles stored
-- "\n" and "\u0007" in full_name. The existing checks (`~ '[[:cntrl:]]'`) only see C0/C1 controls, and not
-- on every path.
--
-- Now ONE rule, private.is_clean_person_name(text), says which characters a person's name may not hold:
--   * controls (Unicode Cc: U+0001–U+001F, U+007F–U+009F) and the line/paragraph separators U+2028/U+2029;
--   * format characters (Unicode Cf): bidi embeddings/overrides U+202A–U+202E, isolates U+2066–U+2069, the
--     marks U+200E/U+200F/U+061C, zero-width space U+200B, word joiner and invisible operators
--     U+2060–U+2064, U+206A–U+206F, BOM U+FEFF, soft hyphen U+00AD, interlinear annotations U+FFF9–U+FFFB,
--     the Arabic/Syriac number signs (U+0600–U+0605, U+06DD, U+070F, U+0890–U+0891, U+08E2), U+180E, and the
--     astral Cf (U+110BD, U+110CD, U+13430–U+1343F, U+1BCA0–U+1BCA3, U+1D173–U+1D17A, tags U+E0001, U+E0020–U+E007F).
--   * the two joiners are the format characters allowed, and only between two visible characters: ZERO WIDTH
--     NON-JOINER U+200C because Persian orthography needs it inside names and surnames (e.g. «علی‌زاده»), ZERO
--     WIDTH JOINER U+200D because emoji sequences people put in names are built with it (👩🏽‍⚕️; the desk's
--     "names stored verbatim" rule, bad-input.test.ts). Neither can reorder text. They may not start or end a name,
--     touch a space, or follow each other (that would only hide a difference between two names).
-- Where it is enforced:
--   * patients: private.require_clean_person_name (422 VALIDATION.FAILED) on the name as typed, called by the
--     BEFORE trigger every patient-name writer goes through (patients_name_normalised, 20261216500003: the
--     own-rename rule, walk-ins, staff corrections) and by the two functions that normalise before they write
--     (set_my_name; find_or_create_patient — desk booking, the desk's find-or-create, a patient's first booking).
--     Existing names are cleaned once (the characters removed).
--   * profiles.full_name: a check constraint (profiles_full_name_clean) — after cleaning existing rows — so a
--     PATCH /rest/v1/profiles is refused (the gateway answers it as 400 VALIDATION.FAILED, 20261216900003's note
--     in docs/security.md). handle_new_user (newest body: 20261201000000_schema.sql) cleans the sign-up
--     metadata's name the same way instead of failing the sign-up.

create function private.is_clean_person_name(p_name text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  select p_name !~ '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]'
     and p_name !~ '(^|\s|[\u200c\u200d])[\u200c\u200d]|[\u200c\u200d]($|\s)'
$$;
-- the profiles constraint runs it with the writer's rights (a pure predicate: nothing to hide)
revoke all on function private.is_clean_person_name(text) from public;
grant execute on function private.is_clean_person_name(text) to anon, authenticated, service_role;

-- The characters is_clean_person_name refuses, removed (for cleaning stored rows and sign-up metadata).
create function private.strip_person_name(p_name text) returns text
language sql immutable strict parallel safe set search_path = '' as $$
  select private.normalize_person_name(regexp_replace(regexp_replace(p_name,
    '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]',
    ' ', 'g'), '(^|\s)[\u200c\u200d]+|[\u200c\u200d]+($|\s)|([\u200c\u200d])[\u200c\u200d]+', '\1\2\3', 'g'))
$$;
revoke all on function private.strip_person_name(text) from public, anon, authenticated;

-- The refusal, on the name AS TYPED (tab/newline/CR/FF/VT count as the spaces normalising makes of them): which
-- characters \s folds differs between Postgres builds (PGlite's also folds U+0085 and U+2028), the refusal must not.
create function private.require_clean_person_name(p_name text) returns void
language plpgsql set search_path = '' as $$
begin
  if p_name is not null and not private.is_clean_person_name(translate(p_name, E'\t\n\r\f\v', '     ')) then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'a name cannot hold control, invisible or text-direction characters');
  end if;
end
$$;
revoke all on function private.require_clean_person_name(text) from public, anon, authenticated;

-- the patient-name trigger of 20261216500003: every writer's name is checked as it arrives, then normalised
create or replace function private.normalise_patient_name() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.require_clean_person_name(new.full_name);
  new.full_name := private.normalize_person_name(new.full_name);
  return new;
end
$$;

-- set_my_name and find_or_create_patient (bodies from 20261216500003) normalise before they write, so they check
-- the name as typed first (one added line each: perform private.require_clean_person_name(p_full_name)).
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
  perform private.require_clean_person_name(p_full_name);
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
  perform private.require_clean_person_name(p_full_name);
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

-- patients' names stored before: the refused characters removed (no user here, so no rename is counted)
update public.patients p set full_name = coalesce(nullif(private.strip_person_name(p.full_name), ''), '?')
 where not private.is_clean_person_name(p.full_name);

update public.profiles p set full_name = nullif(left(private.strip_person_name(p.full_name), 200), '')
 where p.full_name is not null and not private.is_clean_person_name(p.full_name);
alter table public.profiles add constraint profiles_full_name_clean
  check (full_name is null or private.is_clean_person_name(full_name));

create or replace function private.handle_new_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_lang text := new.raw_user_meta_data ->> 'preferred_language';
  v_name text := nullif(btrim(left(private.strip_person_name(coalesce(new.raw_user_meta_data ->> 'full_name', '')), 200)), '');
begin
  insert into public.profiles (id, full_name, phone, preferred_language)
  values (
    new.id,
    case when v_name is not null and private.is_clean_person_name(v_name) then v_name end,
    case when private.is_e164(new.phone) then new.phone
         when private.is_e164('+' || new.phone) then '+' || new.phone end,
    case when v_lang in ('ar', 'fr', 'en') then v_lang::public.app_language end)
  on conflict (id) do nothing;
  return new;
end
$$;
