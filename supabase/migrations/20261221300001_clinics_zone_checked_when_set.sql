-- ci21 (issue 14, CI time): a clinic's time zone is checked against pg_timezone_names when it is set — on insert
-- and when an update changes it — not on every update of the row. The view reads every zone file of the server
-- (≈ 600) each time it is queried: ~20 ms of CPU per row on PGlite. An update that leaves the zone alone (a settings
-- save, a listing change, an SMS hold, and the many test set-ups that update a clinic) no longer pays it: 0.030 →
-- 0.006 CPU-s for one clinic update + a directory search on PGlite. Inserts still check (and pay) as before.
-- A zone that was valid when set stays the row's zone: the rule is unchanged.
-- Body: 20261202100001_private_now_everywhere.sql (the latest), with the check made conditional.
create or replace function private.clinics_validate()
returns trigger
language plpgsql
set search_path = ''
as $function$
begin
  if (tg_op = 'INSERT' or new.time_zone is distinct from old.time_zone)
     and not exists (select 1 from pg_catalog.pg_timezone_names where name = new.time_zone) then
    perform private.raise_error(422, 'TIMEZONE.INVALID', 'unknown time zone');
  end if;
  new.updated_at := private.now();
  return new;
end
$function$;
