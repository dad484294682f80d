-- Reads never lock (issue 12 item 3): get_queue took the queue row FOR UPDATE on every load, so every
-- dashboard's read waited behind any save of the day. It now locks only when it has a grace expiry to
-- write (rare); the snapshot is read without a lock (a save in flight is seen after it commits, and the
-- version check of save_queue_step catches a step computed from the older snapshot).

create or replace function public.get_queue(p_clinic_id uuid, p_day text default null, p_command_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_queue public.queues;
  v_today date;
  v_day date;
  v_applied jsonb;
begin
  perform private.require_staff(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_today := private.clinic_today(v_clinic.time_zone);
  if p_day is null then
    v_day := v_today;
  else
    if p_day !~ '^\d{4}-\d{2}-\d{2}$' then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a date YYYY-MM-DD');
    end if;
    begin
      v_day := to_date(p_day, 'YYYY-MM-DD');
    exception when others then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a date YYYY-MM-DD');
    end;
    if to_char(v_day, 'YYYY-MM-DD') <> p_day or v_day not between v_today - 366 and v_today + 366 then
      perform private.raise_error(422, 'VALIDATION.FAILED', 'p_day must be a real date within a year of today');
    end if;
  end if;
  -- a read never waits behind a save: no FOR UPDATE unless there is an expiry to write
  insert into public.queues (clinic_id, day) values (p_clinic_id, v_day) on conflict (clinic_id, day) do nothing;
  select * into v_queue from public.queues where clinic_id = p_clinic_id and day = v_day;
  if exists (select 1 from public.queue_entries e
              where e.queue_id = v_queue.id and e.status = 'absent' and e.grace_ends_at <= private.now()) then
    perform 1 from public.queues where id = v_queue.id for update;
    perform private.expire_grace(v_queue.id);
  end if;
  if p_command_id is not null then
    select jsonb_build_object('id', c.command_id, 'version', c.version, 'applied_at', c.applied_at)
      into v_applied
      from public.queue_commands c where c.queue_id = v_queue.id and c.command_id = p_command_id;
  end if;
  return private.queue_snapshot(v_queue.id) || jsonb_build_object('applied_command', v_applied);
end
$$;
