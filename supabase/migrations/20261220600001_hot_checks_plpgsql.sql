-- Issue 12, session 20: the checks every queue command and every Realtime delivery runs are PL/pgSQL, so
-- their plans are prepared once per connection instead of once per statement that calls them.
--
-- Measured (bench:storm on PostgreSQL with pg_stat_statements, 8 desks + 2 receptionists on a 300-entry day):
-- the single most frequent statements were the bodies of SQL helper functions. A `language sql` function that
-- is `security definer` or has `set search_path` is never inlined: PostgreSQL parses and plans its body again
-- for every outer statement that calls it. `private.is_clinic_member` (through `is_clinic_staff`) ran 9 128
-- times for 400 commands at ≈ 0.45 ms each while its own query took ≈ 0.03 ms: the rest was re-planning. Every
-- Realtime change re-selects the row under each subscriber's role (queuemed_realtime.check, one EXECUTE per
-- subscriber), and the queues policy for authenticated is `private.can_read_queue` → `is_clinic_staff` →
-- `is_clinic_member`: three SQL bodies planned anew per subscriber per change (≈ 2 ms per re-select, ≈ 18 ms
-- per delivered change on the busy machine) — the delay between one desk's save and the next desk in line
-- hearing it is its turn. Every RPC's `require_staff` pays the same (claim_turn_and_load calls it three times).
-- A PL/pgSQL body's statements are prepared once per connection and reused (plancache), so the same checks
-- cost a lookup. Measured on the same machine, 2 000 calls: `is_clinic_staff` as SQL 270 µs a call, as
-- PL/pgSQL 34 µs (through a fresh EXECUTE each time, as Realtime's re-select does: 258 µs → 95 µs).
--
-- Same names, signatures, defaults, volatility, security and search_path (so every policy, grant and caller is
-- unchanged); each body is its newest definition's, returned as one expression:
--   private.is_clinic_member / is_clinic_staff / is_clinic_admin / is_clinic_owner / is_own_patient /
--   is_service                                       — 20261201000100_rls.sql (their only definition)
--   private.can_read_queue                           — 20261211400001_queue_pause_visibility.sql (only one)
--   private.clinic_today                             — 20261201000200_queue.sql (only one)
--   private.effective_settings                       — 20261201000000_schema.sql (only one)
--   private.queue_turn_holder                        — 20261205200001_queue_turns.sql (only one)
--   private.turn_releases                            — 20261212100001_turn_release_wakes_waiters.sql (only one)
--   private.queue_turn_token                         — 20261216500002_turn_line_tokens.sql (only one)
--   private.queue_turn_lifetime, queue_turn_lease_ms — 20261217400001_turn_lease_from_database.sql (newest)
-- `create or replace` keeps each function's owner and grants (privateSchemaGrants.test).

create or replace function private.is_clinic_member(p_clinic_id uuid, p_roles public.member_role[] default null)
returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return exists (
    select 1 from public.clinic_members m
    where m.clinic_id = p_clinic_id and m.user_id = auth.uid() and m.active
      and (p_roles is null or m.role = any (p_roles)));
end
$$;

create or replace function private.is_clinic_staff(p_clinic_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return private.is_clinic_member(p_clinic_id, null);
end
$$;

create or replace function private.is_clinic_admin(p_clinic_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return private.is_clinic_member(p_clinic_id, array['owner', 'admin']::public.member_role[]);
end
$$;

create or replace function private.is_clinic_owner(p_clinic_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return private.is_clinic_member(p_clinic_id, array['owner']::public.member_role[]);
end
$$;

create or replace function private.is_own_patient(p_patient_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return auth.uid() is not null
     and exists (select 1 from public.patients p where p.id = p_patient_id and p.user_id = auth.uid());
end
$$;

create or replace function private.is_service() returns boolean
language plpgsql stable
set search_path = ''
as $$
begin
  return coalesce(auth.role() = 'service_role', false);
end
$$;

create or replace function private.can_read_queue(p_clinic_id uuid, p_queue_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return private.is_clinic_staff(p_clinic_id)
      or (auth.uid() is not null
          and exists (select 1 from public.queue_entries e
                      join public.patients p on p.id = e.patient_id
                      where e.queue_id = p_queue_id and p.user_id = auth.uid()));
end
$$;

create or replace function private.clinic_today(p_time_zone text) returns date
language plpgsql stable
set search_path = ''
as $$
begin
  return (private.now() at time zone p_time_zone)::date;
end
$$;

create or replace function private.effective_settings(s jsonb) returns jsonb
language plpgsql immutable
set search_path = ''
as $$
begin
  return private.clinic_settings_defaults() || coalesce(s, '{}'::jsonb);
end
$$;

create or replace function private.queue_turn_holder(p_queue_id uuid, p_version integer) returns uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select h.command_id from (
    select t.command_id, t.seen_version from private.queue_turns t
     where t.queue_id = p_queue_id and t.expires_at > private.now()
     order by t.seq limit 1) h
   where h.seen_version = p_version);
end
$$;

create or replace function private.turn_releases(p_queue_id uuid) returns integer
language plpgsql stable security definer set search_path = '' as $$
begin
  return coalesce((select r.releases from public.queue_turn_releases r where r.queue_id = p_queue_id), 0);
end
$$;

create or replace function private.queue_turn_token(p_queue_id uuid, p_command_id uuid) returns bigint
language plpgsql immutable set search_path = '' as $$
begin
  return ('x' || substr(md5(p_queue_id::text || ':' || p_command_id::text), 1, 13))::bit(52)::bigint;
end
$$;

create or replace function private.queue_turn_lifetime() returns interval
language plpgsql stable set search_path = '' as $$
begin
  -- the row is seeded by 20261217400001; without it (deleted by hand) the lease justified in docs/operations.md
  return coalesce((select make_interval(secs => s.lease_ms / 1000.0) from private.queue_turn_settings s),
                  interval '10 seconds');
end
$$;

create or replace function private.queue_turn_lease_ms() returns integer
language plpgsql stable set search_path = '' as $$
begin
  return (extract(epoch from private.queue_turn_lifetime()) * 1000)::integer;
end
$$;
