-- Test-only objects for the conformance suite (independent of the app's schema).
create table if not exists public.cf_members (
  user_id uuid not null,
  clinic_id int not null,
  primary key (user_id, clinic_id)
);
create table if not exists public.cf_tickets (
  id serial primary key,
  clinic_id int not null,
  label text not null,
  n int not null default 0,
  secret text not null default 'staff-only'
);
alter table public.cf_tickets enable row level security;
alter table public.cf_members enable row level security;
create policy cf_members_self on public.cf_members for select to authenticated using (user_id = auth.uid());
create policy cf_tickets_member on public.cf_tickets for select to authenticated
  using (exists (select 1 from public.cf_members m where m.clinic_id = cf_tickets.clinic_id and m.user_id = auth.uid()));
grant select on public.cf_members to anon, authenticated;
-- column grants: `secret` is never readable through the API (realtime must leave it out too)
revoke all on public.cf_tickets from anon, authenticated;
grant select (id, clinic_id, label, n) on public.cf_tickets to anon, authenticated;
grant all on public.cf_tickets, public.cf_members to service_role;
grant usage on sequence public.cf_tickets_id_seq to service_role;
alter publication supabase_realtime add table public.cf_tickets;

create or replace function public.cf_add(a int, b int default 1) returns int language sql as $$ select a + b $$;
create or replace function public.cf_echo(msg text, tags text[] default '{}') returns json language sql as
  $$ select json_build_object('msg', msg, 'tags', tags) $$;
create or replace function public.cf_whoami() returns json language sql stable as
  $$ select json_build_object('uid', auth.uid(), 'role', current_user, 'method', current_setting('request.method', true)) $$;
create or replace function public.cf_void() returns void language sql as $$ select $$;
create or replace function public.cf_fail(p_status int) returns void language plpgsql as $$
begin
  raise exception using errcode = 'PT' || p_status::text, message = 'TEST.FAILED', detail = 'it failed on purpose';
end $$;
create or replace function public.cf_plain_raise() returns void language plpgsql as $$
begin raise exception 'plain failure'; end $$;
create or replace function public.cf_dup() returns void language plpgsql as $$
begin
  insert into public.cf_members values ('00000000-0000-0000-0000-000000000001', 1);
  insert into public.cf_members values ('00000000-0000-0000-0000-000000000001', 1);
end $$;
create or replace function public.cf_bad_int(v text) returns int language sql as $$ select v::int $$;
create or replace function public.cf_private() returns int language sql as $$ select 42 $$;
revoke execute on function public.cf_private() from public, anon;
grant execute on function public.cf_private() to authenticated;

-- Writes as security definer (the function checks membership itself, like the app's RPCs).
create or replace function public.cf_ticket_add(p_clinic int, p_label text) returns public.cf_tickets
language plpgsql security definer set search_path = public as $$
declare r public.cf_tickets;
begin
  if auth.role() <> 'service_role' and not exists (select 1 from cf_members where clinic_id = p_clinic and user_id = auth.uid()) then
    raise exception using errcode = 'PT403', message = 'CLINIC.NOT_MEMBER';
  end if;
  insert into cf_tickets (clinic_id, label) values (p_clinic, p_label) returning * into r;
  return r;
end $$;
create or replace function public.cf_ticket_bump(p_id int) returns int
language sql security definer set search_path = public as
  $$ update cf_tickets set n = n + 1 where id = p_id returning n $$;
create or replace function public.cf_tickets_of(p_clinic int) returns setof public.cf_tickets
language sql stable as $$ select * from public.cf_tickets where clinic_id = p_clinic order by id $$;
create or replace function public.cf_join(p_user uuid, p_clinic int) returns void
language sql security definer set search_path = public as
  $$ insert into cf_members values (p_user, p_clinic) on conflict do nothing $$;
revoke execute on function public.cf_join(uuid, int) from public, anon, authenticated;
grant execute on function public.cf_join(uuid, int) to service_role;
create or replace function public.cf_ticket_delete(p_id int) returns void
language sql security definer set search_path = public as $$ delete from cf_tickets where id = p_id $$;
-- several versions of one row in ONE transaction (realtime must deliver each as written, in order)
create or replace function public.cf_ticket_bump_times(p_id int, p_times int) returns int
language plpgsql security definer set search_path = public as $$
begin
  for i in 1..p_times loop
    update cf_tickets set n = n + 1 where id = p_id;
  end loop;
  return p_times;
end $$;
revoke execute on function public.cf_ticket_bump_times(int, int) from public, anon, authenticated;
grant execute on function public.cf_ticket_bump_times(int, int) to service_role;
-- a row written and deleted in ONE transaction: by the time realtime handles the INSERT the row is gone
create or replace function public.cf_ticket_flash(p_clinic int, p_label text) returns int
language plpgsql security definer set search_path = public as $$
declare v int;
begin
  insert into cf_tickets (clinic_id, label) values (p_clinic, p_label) returning id into v;
  delete from cf_tickets where id = v;
  return v;
end $$;
revoke execute on function public.cf_ticket_flash(int, text) from public, anon, authenticated;
grant execute on function public.cf_ticket_flash(int, text) to service_role;
-- A published table WITHOUT row level security (Supabase delivers its changes to every role that may select
-- the primary key, without re-reading the row); `pin` is not granted, so no subscriber may receive it.
create table if not exists public.cf_signs (
  id serial primary key,
  clinic_id int not null,
  label text not null,
  pin text not null default 'not-for-subscribers'
);
revoke all on public.cf_signs from anon, authenticated;
grant select (id, clinic_id, label) on public.cf_signs to anon, authenticated;
grant all on public.cf_signs to service_role;
alter publication supabase_realtime add table public.cf_signs;
create or replace function public.cf_sign_flash(p_clinic int, p_label text) returns int
language plpgsql security definer set search_path = public as $$
declare v int;
begin
  insert into cf_signs (clinic_id, label) values (p_clinic, p_label) returning id into v;
  update cf_signs set label = p_label || ' (2)' where id = v;
  delete from cf_signs where id = v;
  return v;
end $$;
revoke execute on function public.cf_sign_flash(int, text) from public, anon, authenticated;
grant execute on function public.cf_sign_flash(int, text) to service_role;

-- Table writes through REST (rest-writes.test.ts): RLS per owner, column grants, constraints.
create table if not exists public.cf_clinics (
  id int primary key,
  name text not null
);
create table if not exists public.cf_notes (
  id bigint generated by default as identity primary key,
  owner_id uuid not null default auth.uid(),
  clinic_id int not null references public.cf_clinics (id),
  slug text not null,
  body text not null default '',
  tags text[] not null default '{}',
  meta jsonb,
  locked boolean not null default false,
  n int not null default 0 check (n >= 0),
  unique (clinic_id, slug)
);
alter table public.cf_clinics enable row level security;
alter table public.cf_notes enable row level security;
create policy cf_clinics_read on public.cf_clinics for select to anon, authenticated using (true);
create policy cf_notes_read on public.cf_notes for select to authenticated using (owner_id = auth.uid());
create policy cf_notes_insert on public.cf_notes for insert to authenticated with check (owner_id = auth.uid());
create policy cf_notes_update on public.cf_notes for update to authenticated
  using (owner_id = auth.uid() and not locked) with check (owner_id = auth.uid() and n < 1000);
create policy cf_notes_delete on public.cf_notes for delete to authenticated using (owner_id = auth.uid());
revoke all on public.cf_clinics, public.cf_notes from anon, authenticated;
grant select on public.cf_clinics to anon, authenticated;
grant select, insert, delete on public.cf_notes to anon, authenticated;
-- users may change the note's content, never its owner, clinic or lock
grant update (slug, body, tags, meta, n) on public.cf_notes to authenticated;
grant all on public.cf_clinics, public.cf_notes to service_role;
-- a write-only drop box: users may insert but not read back (return=minimal must still work)
create table if not exists public.cf_dropbox (
  id serial primary key,
  msg text not null
);
alter table public.cf_dropbox enable row level security;
create policy cf_dropbox_insert on public.cf_dropbox for insert to authenticated with check (true);
revoke all on public.cf_dropbox from anon, authenticated;
grant insert on public.cf_dropbox to authenticated;
grant usage on sequence public.cf_dropbox_id_seq to authenticated;
grant all on public.cf_dropbox to service_role;
-- upserts: every column writable by its owner, RLS per owner
create table if not exists public.cf_settings (
  id serial primary key,
  owner_id uuid not null default auth.uid(),
  key text not null,
  value text,
  unique (owner_id, key)
);
alter table public.cf_settings enable row level security;
create policy cf_settings_owner on public.cf_settings for all to authenticated
  using (owner_id = auth.uid()) with check (owner_id = auth.uid());
revoke all on public.cf_settings from anon;
insert into public.cf_clinics values (1, 'One'), (2, 'Two') on conflict do nothing;
