-- max_walk_ins_per_day (ClinicSettings, default none): a day's queue never takes more walk-ins than the
-- clinic allows, whichever path adds them (save_queue_step, service role). 409 QUEUE.WALK_IN_LIMIT_REACHED.
create function private.queue_entries_walk_in_limit() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_max integer;
begin
  if new.kind <> 'walk_in' then
    return new;
  end if;
  select (private.effective_settings(c.settings) ->> 'max_walk_ins_per_day')::integer into v_max
    from public.clinics c where c.id = new.clinic_id;
  if v_max is not null and (select count(*) from public.queue_entries e
                            where e.queue_id = new.queue_id and e.kind = 'walk_in') >= v_max then
    perform private.raise_error(409, 'QUEUE.WALK_IN_LIMIT_REACHED', format('at most %s walk-ins per day', v_max));
  end if;
  return new;
end
$$;
create trigger queue_entries_walk_in_limit before insert on public.queue_entries
  for each row execute function private.queue_entries_walk_in_limit();

revoke all on all functions in schema private from public;
grant execute on all functions in schema private to anon, authenticated, service_role;
