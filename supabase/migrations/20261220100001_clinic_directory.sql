-- Issue 17 (dir20): the public clinic directory (/clinics). Anyone, without an account, finds clinics by name, city
-- and specialty; each result links to the clinic's public page (/c/<slug>). docs/domain-rules.md D1–D6,
-- docs/security.md "The clinic directory".
--
-- * clinics.city (free text, ≤ 80 characters once trimmed, no web address or phone number: N1's rule),
--   clinics.specialty (one code of a fixed list, translated by the UI) and clinics.directory_listed.
-- * D1 "a clinic is listed only when its owner or an admin says so": directory_listed defaults to false. Being on
--   a public list is a publication decision; the clinics that exist today never agreed to it, and a clinic made
--   with a throwaway account should not appear on QueueMed's own page because it was created.
-- * D2 "a clinic held for SMS approval is never listed" (clinics.sms_held, abuse17): the search leaves it out
--   whatever directory_listed says; once the operator approves it, its own choice applies.
-- * D3 "listing needs a city": set_clinic_listing refuses listed = true without a city (VALIDATION.FAILED
--   {problem: 'city'}), so every entry of the directory can be found by city.
-- * The three columns get NO table grant (neither select nor update) for anon/authenticated: the staff read them
--   with get_clinic_listing (any role of the clinic), owners/admins write them with set_clinic_listing, and the
--   public reads only what search_clinic_directory answers — id, slug, name, city, specialty, address, i.e. what
--   the public page (get_public_clinic) shows anyway, minus the phone number (no bulk list of phone numbers).
-- * search_clinic_directory (anon may call it; security definer, its own checks): query and city ≤ 80
--   characters, specialty a known code, page ≤ 20 rows, offset ≤ 200 — else 422 VALIDATION.FAILED. Matching is a
--   substring test (strpos) on folded text — never LIKE, so % _ \ are plain characters — folded by
--   private.directory_fold: NFKD, combining marks and Arabic diacritics/tatweel dropped, hamza and madda forms of
--   alef onto ا, ى onto ي, ة onto ه, œ/æ/ß spelled out, lower case. "Médecine" = "medecine" = "MÉDECINE";
--   "الدار البيضاء" = "الدار البيضاء" with harakat. Empty query and city: every listed clinic, by folded name in code-point order (collate "C": the same
--   order on every database and in the in-memory fake).
--   A full scan of the listed clinics per page: the directory is small (clinics, not patients); an index on the
--   folded name can come when the directory has thousands of clinics.

alter table public.clinics
  add column city text,
  add column specialty text,
  add column directory_listed boolean not null default false;

alter table public.clinics
  add constraint clinics_city_shape check (
    city is null or (char_length(city) between 1 and 80 and city = btrim(city))),
  add constraint clinics_specialty_code check (
    specialty is null or specialty in ('general', 'dentistry', 'paediatrics', 'gynaecology', 'ophthalmology',
      'dermatology', 'cardiology', 'ent', 'physiotherapy', 'radiology', 'psychiatry', 'other'));

comment on column public.clinics.city is 'The clinic''s city as its admin writes it (directory, issue 17).';
comment on column public.clinics.specialty is 'One directory specialty code (docs/domain-rules.md D4).';
comment on column public.clinics.directory_listed is
  'The owner/admin chose to list the clinic in the public directory (default no; never while sms_held).';

-- the codes, one place for the checks below (the constraint repeats them: a constraint cannot call a stable list)
create function private.directory_specialties() returns text[]
language sql immutable
set search_path = ''
as $$
  select array['general', 'dentistry', 'paediatrics', 'gynaecology', 'ophthalmology', 'dermatology', 'cardiology',
               'ent', 'physiotherapy', 'radiology', 'psychiatry', 'other']
$$;
revoke all on function private.directory_specialties() from public, anon, authenticated;

-- Case-, accent- and diacritic-insensitive form of a text for the directory's search (see the header).
create function private.directory_fold(p text) returns text
language sql immutable
set search_path = ''
as $$
  select btrim(regexp_replace(
    replace(replace(replace(replace(replace(replace(
      lower(translate(
        regexp_replace(normalize(coalesce(p, ''), nfkd),
                       '[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]', '', 'g'),
        'ىٱةØøĐđŁłıİ', 'يااOoDdLlii')),
      'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'), 'ß', 'ss'), 'ẞ', 'ss'),
    '\s+', ' ', 'g'))
$$;
revoke all on function private.directory_fold(text) from public, anon, authenticated;

-- ── the admin's side ──────────────────────────────────────────────────────────────────────────────
create function public.get_clinic_listing(p_clinic_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v public.clinics;
begin
  perform private.require_staff(p_clinic_id);
  select * into v from public.clinics c where c.id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'no such clinic');
  end if;
  return jsonb_build_object('city', v.city, 'specialty', v.specialty, 'listed', v.directory_listed,
                            'sms_held', v.sms_held);
end
$$;
comment on function public.get_clinic_listing(uuid) is
  'The clinic''s directory entry (city, specialty, listed, sms_held), for its staff only (403 otherwise).';
revoke execute on function public.get_clinic_listing(uuid) from public, anon;
grant execute on function public.get_clinic_listing(uuid) to authenticated, service_role;

create function public.set_clinic_listing(p_clinic_id uuid, p_city text, p_specialty text, p_listed boolean)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_city text := nullif(btrim(regexp_replace(normalize(coalesce(p_city, ''), nfc), '\s+', ' ', 'g')), '');
  v_specialty text := nullif(btrim(coalesce(p_specialty, '')), '');
begin
  if not private.is_service() then
    perform private.require_uid();
    if p_clinic_id is null or not private.is_clinic_admin(p_clinic_id) then
      perform private.raise_error(403, 'AUTH.FORBIDDEN', 'owner or admin only');
    end if;
  end if;
  if v_city is not null and (char_length(v_city) > 80 or v_city ~ '[[:cntrl:]]'
                             or not private.clinic_name_allowed(v_city)) then
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
comment on function public.set_clinic_listing(uuid, text, text, boolean) is
  'Sets the clinic''s city, specialty and directory choice: owners/admins (403), D3 (a listed clinic has a city).';
revoke execute on function public.set_clinic_listing(uuid, text, text, boolean) from public, anon;
grant execute on function public.set_clinic_listing(uuid, text, text, boolean) to authenticated, service_role;

-- ── the public side ───────────────────────────────────────────────────────────────────────────────
create function public.search_clinic_directory(
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
  v_query text := private.directory_fold(p_query);
  v_city text := private.directory_fold(p_city);
  v_specialty text := nullif(btrim(coalesce(p_specialty, '')), '');
  v_offset integer := coalesce(p_offset, 0);
  v_limit integer := least(coalesce(p_limit, 20), 20);
  v_rows jsonb;
  v_count integer;
begin
  if char_length(coalesce(p_query, '')) > 80 or char_length(coalesce(p_city, '')) > 80 then
    perform private.raise_error(422, 'VALIDATION.FAILED', '{"problem":"length"}');
  end if;
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
comment on function public.search_clinic_directory(text, text, text, integer, integer) is
  'The public clinic directory (anyone): listed, not SMS-held clinics by folded name/city substring and specialty; '
  'public columns only; ≤ 20 rows a page, offset ≤ 200, query ≤ 80 characters.';
revoke execute on function public.search_clinic_directory(text, text, text, integer, integer) from public;
grant execute on function public.search_clinic_directory(text, text, text, integer, integer)
  to anon, authenticated, service_role;
