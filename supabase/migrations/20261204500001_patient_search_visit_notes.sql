-- Issue 17: patient search at the desk, and staff-only notes on a visit.
--
-- search_patients(p_clinic_id, p_query, p_limit): the clinic's staff find a patient by name, phone or ticket
--   (today's and past visits). Server-side, one clinic only (a patient of another clinic never appears, even
--   for someone who is staff of both: the clinic is the one asked for), the query is data — LIKE's own
--   metacharacters (% _ \) are escaped, nothing is concatenated into SQL — and the results are limited
--   (default 20, at most 50). A search returns names and phones only; opening a patient's visit history goes
--   through get_patient_record (20261202800002), which logs the read in the audit trail.
--   Errors: 401 (no session), 403 AUTH.FORBIDDEN (not active staff of the clinic), 422 VALIDATION.FAILED
--   (query under 2 or over 100 characters after trimming, limit outside 1..50).
--
-- visit_notes: notes the clinic's staff write on one visit (a typed table, not a JSON field). Staff of the
--   visit's clinic read them (RLS); a patient, the tracker (get_visit_live), the board and anon never do —
--   none of those read this table. Written only by add_visit_note (1..1000 characters), never edited or
--   deleted through the API: each row is its own audit record (author, role, time by private.now(), request
--   origin). list_visit_notes(p_entry_id) reads a visit's notes (staff; 404 otherwise — a visit's existence
--   is not revealed).
--
-- New objects only; no existing function is redefined.

create or replace function private.like_escape(p_text text) returns text
language sql immutable
set search_path = ''
as $$ select replace(replace(replace(p_text, '\', '\\'), '%', '\%'), '_', '\_') $$;
revoke all on function private.like_escape(text) from public;
grant execute on function private.like_escape(text) to authenticated, service_role;

create or replace function public.search_patients(p_clinic_id uuid, p_query text, p_limit integer default 20)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_q text := btrim(coalesce(p_query, ''));
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
revoke all on function public.search_patients(uuid, text, integer) from public, anon;
grant execute on function public.search_patients(uuid, text, integer) to authenticated, service_role;

create table public.visit_notes (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  entry_id uuid not null references public.queue_entries (id) on delete cascade,
  author_id uuid references auth.users (id) on delete set null,
  -- the author's name and role in the clinic when they wrote it
  author_name text check (author_name is null or char_length(author_name) <= 120),
  author_role public.member_role,
  body text not null check (char_length(btrim(body)) between 1 and 1000),
  client_ip text check (client_ip is null or char_length(client_ip) <= 64),
  user_agent text check (user_agent is null or char_length(user_agent) <= 300),
  created_at timestamptz not null default private.now()
);
comment on table public.visit_notes is
  'Staff-only notes on a visit: read by the clinic''s staff only, written by add_visit_note, never edited.';
create index visit_notes_entry_idx on public.visit_notes (entry_id, created_at);
create index visit_notes_clinic_idx on public.visit_notes (clinic_id, created_at desc);

alter table public.visit_notes enable row level security;
create policy visit_notes_staff_read on public.visit_notes
  for select to authenticated using (private.is_clinic_staff(clinic_id));
revoke all on public.visit_notes from anon, authenticated;
grant select on public.visit_notes to authenticated;
grant all on public.visit_notes to service_role;

create or replace function private.visit_note_json(n public.visit_notes) returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object('id', n.id, 'entry_id', n.entry_id, 'author_name', n.author_name,
                            'author_role', n.author_role, 'body', n.body, 'created_at', n.created_at)
$$;
revoke all on function private.visit_note_json(public.visit_notes) from public;
grant execute on function private.visit_note_json(public.visit_notes) to authenticated, service_role;

create or replace function public.add_visit_note(p_entry_id uuid, p_body text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_entry public.queue_entries;
  v_member public.clinic_members;
  v_body text := btrim(coalesce(p_body, ''));
  v_note public.visit_notes;
begin
  perform private.require_uid();
  select * into v_entry from public.queue_entries where id = p_entry_id;
  if not found or not private.is_clinic_staff(v_entry.clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  if char_length(v_body) < 1 or char_length(v_body) > 1000 then
    perform private.raise_error(422, 'VALIDATION.FAILED', 'a note is 1 to 1000 characters');
  end if;
  select * into v_member from public.clinic_members m
   where m.clinic_id = v_entry.clinic_id and m.user_id = auth.uid() and m.active;
  insert into public.visit_notes (clinic_id, entry_id, author_id, author_name, author_role, body, client_ip,
                                  user_agent, created_at)
  values (v_entry.clinic_id, v_entry.id, auth.uid(), v_member.display_name, v_member.role, v_body,
          private.audit_origin_ip(), private.audit_user_agent(), private.now())
  returning * into v_note;
  return private.visit_note_json(v_note);
end
$$;
revoke all on function public.add_visit_note(uuid, text) from public, anon;
grant execute on function public.add_visit_note(uuid, text) to authenticated, service_role;

create or replace function public.list_visit_notes(p_entry_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_entry public.queue_entries;
begin
  perform private.require_uid();
  select * into v_entry from public.queue_entries where id = p_entry_id;
  if not found or not private.is_clinic_staff(v_entry.clinic_id) then
    perform private.raise_error(404, 'NOT_FOUND', 'visit not found');
  end if;
  return coalesce((
    select jsonb_agg(private.visit_note_json(n) order by n.created_at, n.id)
    from public.visit_notes n where n.entry_id = v_entry.id), '[]'::jsonb);
end
$$;
revoke all on function public.list_visit_notes(uuid) from public, anon;
grant execute on function public.list_visit_notes(uuid) to authenticated, service_role;
