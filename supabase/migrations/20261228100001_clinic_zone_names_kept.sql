-- s31 (issue 14, CI time): a clinic's time zone is looked up in a copy of the server's zone list instead of reading
-- pg_timezone_names on every check. That view opens and parses every zone file of the server (≈ 600) each time it is
-- queried: 41 CPU-ms per check on PGlite, and on PostgreSQL ≈ 600 file opens in the backend — 8 % of all CPU samples
-- of a db-suite run (perf) went to it, since every new clinic (each test world, each sign-up) pays it once.
--
-- The rule is unchanged — a clinic's zone must be one the server lists in pg_timezone_names — and stays exact:
--   * a name in the copy is taken only if the server can still load it (a zone-data upgrade that removed a zone
--     must not leave it accepted); otherwise the full list decides;
--   * a name not in the copy (a zone added by a later zone-data upgrade, or no zone at all) is looked up in the full
--     list, as before.
-- So the copy only makes the common case fast; it never decides a "no" on its own. Refreshing it after a zone-data
-- upgrade (`truncate private.time_zone_names; insert … select name from pg_catalog.pg_timezone_names`) only makes
-- new zones fast again.
-- Body of private.clinics_validate: 20261221300001_clinics_zone_checked_when_set.sql (the latest), with the lookup
-- moved into private.is_time_zone_name.
create table private.time_zone_names (name text primary key);
revoke all on private.time_zone_names from public, anon, authenticated;
insert into private.time_zone_names (name) select distinct z.name from pg_catalog.pg_timezone_names z;

create function private.is_time_zone_name(p_name text) returns boolean
language plpgsql stable
security definer
set search_path = ''
as $function$
begin
  if exists (select 1 from private.time_zone_names z where z.name = p_name) then
    begin
      -- the server still loads it (any instant would do; a fixed one reads no clock)
      perform pg_catalog.timezone(p_name, timestamptz '2000-01-01 00:00:00+00');
      return true;
    exception when invalid_parameter_value then
      null; -- listed once, gone since: the full list decides
    end;
  end if;
  return exists (select 1 from pg_catalog.pg_timezone_names z where z.name = p_name);
end
$function$;
revoke all on function private.is_time_zone_name(text) from public, anon, authenticated;
-- the invoker trigger below calls it with the writer's rights (private_functions_needed_by('authenticated'))
grant execute on function private.is_time_zone_name(text) to authenticated, service_role;

create or replace function private.clinics_validate()
returns trigger
language plpgsql
set search_path = ''
as $function$
begin
  if (tg_op = 'INSERT' or new.time_zone is distinct from old.time_zone)
     and not private.is_time_zone_name(new.time_zone) then
    perform private.raise_error(422, 'TIMEZONE.INVALID', 'unknown time zone');
  end if;
  new.updated_at := private.now();
  return new;
end
$function$;
