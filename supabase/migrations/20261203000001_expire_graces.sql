-- expire_graces() → { expired }: the grace half of sweep_queues, alone. Absent entries whose grace is over by
-- the database's clock become no-shows (private.expire_grace: GraceExpired event, queue version bumped, so
-- every desk and screen refreshes). It never ends a day, so a caller that only wants graces expired — the
-- end-to-end suite acting out a morning at any hour of the real clock — cannot end the day by running it
-- after closing time (sweep_queues would: closing + auto_end_day_after_closing_minutes). Service role only.
create function public.expire_graces() returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_expired integer := 0;
  q record;
begin
  if not private.is_service() then
    perform private.raise_error(403, 'AUTH.FORBIDDEN', 'service role only');
  end if;
  for q in
    select distinct e.queue_id from public.queue_entries e
    where e.status = 'absent' and e.grace_ends_at <= private.now()
  loop
    perform 1 from public.queues where id = q.queue_id for update;
    v_expired := v_expired + private.expire_grace(q.queue_id);
  end loop;
  return jsonb_build_object('expired', v_expired);
end
$$;

revoke all on function public.expire_graces() from public, anon, authenticated;
grant execute on function public.expire_graces() to service_role;
