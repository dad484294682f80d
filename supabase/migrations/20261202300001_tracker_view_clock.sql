-- Issue 13: the patient's tracker formats clinic times with the server's clock, never the browser's own
-- time-zone rules (a stale-rules browser shows Casablanca an hour off). One request still (issue 14):
-- get_tracker_view = get_visit_live (owned by the estimates work, not redefined here) plus the clinic clock
-- of the visit's day (get_clinic_clock: zone, today by private.now(), the UTC offsets in force).
-- SECURITY INVOKER: it adds no right; each function it calls checks its own (both are public reads).
create function public.get_tracker_view(p_tracking_token text) returns jsonb
language plpgsql stable
security invoker
set search_path = ''
as $$
declare
  v jsonb;
  v_day date;
begin
  v := public.get_visit_live(p_tracking_token);
  v_day := (v ->> 'day')::date;
  return v || jsonb_build_object(
    'clock', public.get_clinic_clock((v -> 'clinic' ->> 'id')::uuid, v_day, v_day)
  );
end
$$;
revoke execute on function public.get_tracker_view(text) from public;
grant execute on function public.get_tracker_view(text) to anon, authenticated, service_role;
