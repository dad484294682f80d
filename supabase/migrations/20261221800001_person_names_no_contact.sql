-- Session 21 (fix21a), review21 M1: the kiosk let an anonymous visitor send clinic-branded SMS with any text.
-- kiosk_register_walk_in {"p_full_name":"Gagnant bit.ly/x12 Promo","p_phone":"+212655443322"} was stored, the
-- templates put {patient_name} into SMS to a phone nobody proved, and paired boards showed it. The same held for a
-- walk-in at the desk, a remote join, a booking sign-up's name and staff display names.
--
-- Rule P1 "a person's name holds no link, no e-mail address and no phone number" (docs/domain-rules.md): the test
-- clinic names have had since session 17 (private.clinic_name_allowed: a scheme, www., a domain with a common
-- top-level domain, or a run of 6+ digits — Latin, Arabic-Indic or fullwidth — with only separators between them),
-- plus an e-mail address (x@y.z, also with the fullwidth/small @ and full stops).
--
-- private.is_clean_person_name (latest body: 20261219700002) is now
--   private.person_name_chars_clean (that body, unchanged) AND private.person_name_no_contact (the new rule),
-- so every check that asks it refuses these too: the patients' name trigger, set_my_name,
-- find_or_create_patient (desk, kiosk, remote join, a patient's first booking), the profiles constraint,
-- handle_new_user (a sign-up's metadata name that breaks the rule is dropped, as before for invisible ones), staff
-- display names (clinic_members / staff_invitations trigger), clinic names (visit type names: see the end).
-- private.require_clean_person_name (latest body: 20261216900002) answers the new case with its own code,
-- 422 PERSON.NAME_NOT_ALLOWED (translated en/fr/ar); invisible/control characters stay 422 VALIDATION.FAILED.
--
-- Names stored before: LEFT AS THEY ARE. A name is a person's record; rewriting it (cutting a "link" out of it) could
-- lose a real name, and the stored ones are few and visible to the clinic, which corrects them. New writes of a name
-- are refused, and the patients/staff triggers judge a name only when it is written (insert, or a real change — the
-- triggers fire on "update of full_name/display_name" and check the new value; writers that leave the name alone
-- do not list it). One consequence: a profiles row whose stored name breaks the rule cannot be updated until its
-- name is corrected (the table constraint judges the whole row) — the patient's own rename (set_my_name) does that.

create function private.person_name_chars_clean(p_name text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  select p_name !~ '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2800\u3164\uffa0\ufe00-\ufe0d\U000e0100-\U000e01ef]'
     and p_name !~ '(^|\s|[\u200c\u200d])[\u200c\u200d]|[\u200c\u200d]($|\s)'
     and p_name !~ '(^|[^#*0-9\u00a9\u00ae\u203c-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001faff])[\ufe0e\ufe0f]'
     and p_name !~ '[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{4}'
     and p_name !~ '[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff]{5}'
     and (p_name ~ '^\s*$' or p_name ~ '[^\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u200c\u200d\ufe0e\ufe0f\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff]')
$$;

create function private.person_name_no_contact(p_name text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  select private.clinic_name_allowed(p_name)
     and translate(p_name, '＠﹫．。', '@@..') !~ '[^[:space:]@]@[^[:space:]@]+\.[^[:space:]@.]'
$$;

create or replace function private.is_clean_person_name(p_name text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  select private.person_name_chars_clean(p_name) and private.person_name_no_contact(p_name)
$$;

-- the profiles constraint runs is_clean_person_name with the writer's rights (pure predicates: nothing to hide)
revoke all on function private.person_name_chars_clean(text) from public, anon;
revoke all on function private.person_name_no_contact(text) from public, anon;
grant execute on function private.person_name_chars_clean(text) to authenticated, service_role;
grant execute on function private.person_name_no_contact(text) to authenticated, service_role;

-- The refusal on the name AS TYPED (body of 20261216900002; tab/newline/CR/FF/VT count as spaces), now with two codes.
create or replace function private.require_clean_person_name(p_name text) returns void
language plpgsql set search_path = '' as $$
declare
  v_name text;
begin
  if p_name is null then
    return;
  end if;
  v_name := translate(p_name, E'\t\n\r\f\v', '     ');
  if not private.person_name_chars_clean(v_name) then
    perform private.raise_error(422, 'VALIDATION.FAILED',
      'a name cannot hold control, invisible or text-direction characters');
  end if;
  -- on the name as given: PostgreSQL reads E'\v' above as a plain "v" (no such escape), so v_name has lost its v's
  if not private.person_name_no_contact(p_name) then
    perform private.raise_error(422, 'PERSON.NAME_NOT_ALLOWED',
      'a name may not contain a web address, an e-mail address or a phone number');
  end if;
end
$$;

-- ── visit type names keep the character rule only (20261220950001's trigger, one change) ──────────────
-- A visit type's name is the clinic's own word, written by its owner/admin, and set_appointment_types parks names
-- on the row's id while types swap theirs ("a2000000-0000-4000-…": a run of digits the contact rule would read as
-- a phone number). So this trigger asks the character rule it asked before (private.person_name_chars_clean,
-- 20261219700002's body), not the new contact rule. Latest body: 20261220950001.
create or replace function private.appointment_types_checked() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(auth.role(), '') not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'INSERT' or new.name is distinct from old.name then
    if not private.person_name_chars_clean(new.name) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"name"}');
    end if;
  end if;
  if (tg_op = 'INSERT' or new.names is distinct from old.names) and new.names is not null then
    -- the shape (an object of ar/fr/en strings) is the table's own check (appointment_types_names, 23514)
    if jsonb_typeof(new.names) = 'object' and exists (
         select 1 from jsonb_each(new.names) e
          where jsonb_typeof(e.value) = 'string' and not private.person_name_chars_clean(e.value #>> '{}')) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"names"}');
    end if;
  end if;
  if (tg_op = 'INSERT' or new.practitioner_ids is distinct from old.practitioner_ids
      or new.clinic_id is distinct from old.clinic_id) and new.practitioner_ids is not null then
    if exists (select 1 from unnest(new.practitioner_ids) p
                where (tg_op = 'INSERT' or new.clinic_id is distinct from old.clinic_id
                       or not (p = any (coalesce(old.practitioner_ids, '{}'::uuid[]))))
                  and not private.is_bookable_doctor(new.clinic_id, p)) then
      perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"practitioners"}');
    end if;
  end if;
  return new;
end
$$;

-- ── create_clinic: the founder's member name falls back to a name, never to an e-mail address ─────────
-- create_clinic (latest body: 20261216700001) named the founder, when no display name was given and the profile has
-- none, with their e-mail address — which P1 now refuses (and which then showed on the clinic's board). The fallback
-- is now the address's local part when that is an allowed name, else 'Owner'; a stored profile name is used only if
-- it is allowed (names stored before P1 are kept as they are). One change: the select of v_name.
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
  select coalesce(nullif(btrim(p_display_name), ''),
                  case when private.is_clean_person_name(pr.full_name) then pr.full_name end,
                  case when private.is_clean_person_name(split_part(u.email, '@', 1))
                       then nullif(btrim(split_part(u.email, '@', 1)), '') end,
                  'Owner') into v_name
    from auth.users u left join public.profiles pr on pr.id = u.id where u.id = v_uid;
  insert into public.clinic_members (clinic_id, user_id, role, display_name)
  values (v_clinic_id, v_uid, 'owner', left(coalesce(v_name, 'Owner'), 120))
  returning id into v_member_id;
  return jsonb_build_object('clinic_id', v_clinic_id, 'member_id', v_member_id);
end
$function$;
