-- The waiting-room board must say when the day is over (issue 15.14): after "End day" (or the automatic end
-- at closing time) the board shows "the day is over", not "Please take a seat". get_waiting_board does not
-- say whether today's queue is closed, so the board asks this small public function too (same light RPC
-- path as the board, no table read, anonymous). It says nothing but the clinic's day and its queue's status.
--
-- get_queue_day_status(p_clinic_id) → { day, status: 'none' | 'open' | 'closed', closed_at }
--   'none': no queue yet today. Unknown clinic → 404 NOT_FOUND.
create function public.get_queue_day_status(p_clinic_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_day date;
  v_queue public.queues;
begin
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_day := private.clinic_today(v_clinic.time_zone);
  select * into v_queue from public.queues where clinic_id = p_clinic_id and day = v_day;
  return jsonb_build_object(
    'day', v_day,
    'status', coalesce(v_queue.status::text, 'none'),
    'closed_at', v_queue.closed_at);
end
$$;

revoke execute on function public.get_queue_day_status(uuid) from public;
grant execute on function public.get_queue_day_status(uuid) to anon, authenticated, service_role;
