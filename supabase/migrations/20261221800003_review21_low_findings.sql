-- Session 21 (fix21a), review21 L1, L2, L3 and L5 (database side).
--
-- L1 create_staff_invitation {"p_email":"a@b.test, c@evil.test"} answered 422 with the raw Postgres text
--    (`new row for relation "staff_invitations" violates check constraint …`). A refused column is now named by a
--    problem code, never by the table's internals: 422 VALIDATION.FAILED {"problem": "email" | "phone" |
--    "display_name" | "room" | "recipient" | "input"}; a malformed e-mail address is refused before the insert.
--    (latest body: 20261219300002.) The other `raise_error(…, sqlerrm)` left is save_queue_step's backstop
--    (20261205200001), which storm21 rewrites this session: not redefined here (see the report).
-- L2 bidi and zero-width characters (U+202E, U+200B, U+2066–U+2069 …) were accepted in set_clinic_listing's city
--    and in a member's or an invitation's room (shown on the public board and in SMS {room}). They are refused like
--    a clinic name's (private.is_clean_person_name): the city with 422 VALIDATION.FAILED {"problem":"city"} (D3),
--    a room with 422 VALIDATION.FAILED {"problem":"room"} — a trigger on clinic_members and staff_invitations, so
--    every writer (set_team, create_staff_invitation, accepting an invitation, a direct update) is held to it.
--    A room stored before keeps its text with the refused characters removed (as names were in 20261216900002).
-- L3 search_clinic_directory folded p_query/p_city (NFKD + regular expressions) in DECLARE, before its
--    80-character check: a 1 MB query cost ~0.8 s of CPU. The length is checked first, then the fold. The same
--    for set_clinic_listing's city (normalised before the check): a city over 400 characters is refused unread.
-- L5 get_practitioner_leave(another clinic) answered [] to an outsider or a patient; the clinic's staff read it,
--    anyone else now gets 403 AUTH.FORBIDDEN (private.require_staff) as every staff read does.
--
-- Redefined from their newest bodies: public.create_staff_invitation (20261219300002), public.set_clinic_listing
-- and public.search_clinic_directory (20261220100001), public.get_practitioner_leave (20261220900001).

create or replace function public.create_staff_invitation(
  p_clinic_id uuid,
  p_role public.member_role,
  p_display_name text,
  p_email text default null,
  p_phone text default null,
  p_room text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_token text := private.new_token();
  v_id uuid;
  v_expires timestamptz;
  v_constraint text;
  v_column text;
begin
  perform private.require_admin(p_clinic_id);
  if p_role is null then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'p_role is required');
  end if;
  if p_role = 'owner' and not (private.is_service() or private.is_clinic_owner(p_clinic_id)) then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'only an owner can invite an owner');
  end if;
  if p_phone is not null and not private.is_e164(p_phone) then
    perform private.raise_error(422, 'PHONE.INVALID', 'phone must be E.164, e.g. +212600000000');
  end if;
  -- fix21a (L1): one address, the table's own shape (staff_invitations.email), refused with a code
  if nullif(btrim(p_email), '') is not null
     and (char_length(p_email) > 320 or lower(btrim(p_email)) !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$') then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"email"}');
  end if;
  -- fix18 H2 caps, now shared with resend_staff_invitation (team19): one lock per clinic
  perform private.staff_invitation_check_caps(p_clinic_id, true);
  begin
    insert into public.staff_invitations (clinic_id, role, email, phone, display_name, room, token_hash, invited_by)
    values (p_clinic_id, p_role, lower(nullif(btrim(p_email), '')), p_phone, p_display_name, p_room,
            private.hash_token(v_token), auth.uid())
    returning id, expires_at into v_id, v_expires;
  exception
    when not_null_violation or check_violation then
      -- fix21a (L1): the refused column by name, never Postgres's text (it names tables and constraints)
      get stacked diagnostics v_constraint = constraint_name, v_column = column_name;
      perform private.raise_error(422, 'VALIDATION.FAILED', json_build_object('problem',
        case when v_constraint like '%email%' or v_column = 'email' then 'email'
             when v_constraint like '%phone%' or v_column = 'phone' then 'phone'
             when v_constraint like '%display_name%' or v_column = 'display_name' then 'display_name'
             when v_constraint like '%room%' or v_column = 'room' then 'room'
             when v_constraint like '%recipient%' then 'recipient'
             else 'input' end)::text);
  end;
  return jsonb_build_object('invitation_id', v_id, 'token', v_token, 'expires_at', v_expires);
end
$$;

create or replace function public.set_clinic_listing(p_clinic_id uuid, p_city text, p_specialty text, p_listed boolean)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_city text;
  v_specialty text := nullif(btrim(coalesce(p_specialty, '')), '');
begin
  if not private.is_service() then
    perform private.require_uid();
    if p_clinic_id is null or not private.is_clinic_admin(p_clinic_id) then
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owner or admin only');
    end if;
  end if;
  -- fix21a (L3): a city far over the limit is refused before it is normalised
  if char_length(coalesce(p_city, '')) > 400 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"city"}');
  end if;
  v_city := nullif(btrim(regexp_replace(normalize(coalesce(p_city, ''), nfc), '\s+', ' ', 'g')), '');
  -- fix21a (L2): and without bidi or invisible characters, as a clinic's name (private.is_clean_person_name)
  if v_city is not null and (char_length(v_city) > 80 or v_city ~ '[[:cntrl:]]'
                             or not private.clinic_name_allowed(v_city)
                             or not private.is_clean_person_name(v_city)) then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"city"}');
  end if;
  if v_specialty is not null and not (v_specialty = any (private.directory_specialties())) then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"specialty"}');
  end if;
  if p_listed is null or (p_listed and v_city is null) then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"city"}');
  end if;
  update public.clinics c
     set city = v_city, specialty = v_specialty, directory_listed = p_listed
   where c.id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'no such clinic');
  end if;
  return public.get_clinic_listing(p_clinic_id);
end
$$;

create or replace function public.search_clinic_directory(
  p_query text default '',
  p_city text default '',
  p_specialty text default null,
  p_offset integer default 0,
  p_limit integer default 20
) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_query text;
  v_city text;
  v_specialty text := nullif(btrim(coalesce(p_specialty, '')), '');
  v_offset integer := coalesce(p_offset, 0);
  v_limit integer := least(coalesce(p_limit, 20), 20);
  v_rows jsonb;
  v_count integer;
begin
  if char_length(coalesce(p_query, '')) > 80 or char_length(coalesce(p_city, '')) > 80 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"length"}');
  end if;
  -- fix21a (L3): folded only once the length is known to be small
  v_query := private.directory_fold(p_query);
  v_city := private.directory_fold(p_city);
  if v_specialty is not null and not (v_specialty = any (private.directory_specialties())) then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"specialty"}');
  end if;
  if v_offset < 0 or v_offset > 200 or v_limit < 1 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"page"}');
  end if;
  -- one row more than the page says whether there is a next page
  select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'slug', r.slug, 'name', r.name, 'city', r.city,
                                               'specialty', r.specialty, 'address', r.address)
                            order by r.k collate "C", r.id), '[]'::jsonb),
         count(*)
    into v_rows, v_count
    from (select c.id, c.slug, c.name, c.city, c.specialty, c.address, private.directory_fold(c.name) as k
            from public.clinics c
           where c.directory_listed and not c.sms_held and c.city is not null
             and (v_query = '' or strpos(private.directory_fold(c.name), v_query) > 0)
             and (v_city = '' or strpos(private.directory_fold(c.city), v_city) > 0)
             and (v_specialty is null or c.specialty = v_specialty)
           order by private.directory_fold(c.name) collate "C", c.id
           offset v_offset limit v_limit + 1) r;
  if v_count > v_limit then
    v_rows := v_rows - v_limit;
  end if;
  return jsonb_build_object('items', v_rows,
                            'next_offset', case when v_count > v_limit and v_offset + v_limit <= 200
                                                then v_offset + v_limit end);
end
$$;

create or replace function public.get_practitioner_leave(p_clinic_id uuid) returns jsonb
language plpgsql
stable security definer
set search_path = ''
as $$
declare
  v_admin boolean;
begin
  -- fix21a (L5): outside the clinic is 403, as every staff read (was: an empty list)
  perform private.require_staff(p_clinic_id);
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

-- ── L2: rooms without control, bidi or invisible characters (every writer) ───────────────────────────
-- rooms stored before: the refused characters removed (a room left empty becomes none), before the trigger exists
update public.clinic_members
   set room = nullif(left(private.strip_person_name(room), 40), '')
 where room is not null and not private.person_name_chars_clean(room);
update public.staff_invitations
   set room = nullif(left(private.strip_person_name(room), 40), '')
 where room is not null and not private.person_name_chars_clean(room);

-- definer, like the display-name trigger: it runs for whichever role writes (set_team is an invoker RPC)
create function private.room_text_rules() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.room is not null and (tg_op = 'INSERT' or new.room is distinct from old.room)
     and not private.is_clean_person_name(new.room) then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"room"}');
  end if;
  return new;
end
$$;
revoke all on function private.room_text_rules() from public, anon, authenticated;
create trigger clinic_members_room_text before insert or update of room on public.clinic_members
  for each row execute function private.room_text_rules();
create trigger staff_invitations_room_text before insert or update of room on public.staff_invitations
  for each row execute function private.room_text_rules();
