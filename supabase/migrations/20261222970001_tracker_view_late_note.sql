-- Issue 14 (trk22): the tracker reads its visit with ONE request per queue change. Until now a read was two
-- requests (get_tracker_view and get_visit_running_late, in parallel), so each change cost a phone two REST reads
-- (bench:web printed ≈ 3 per change with the estimates' touch).
--
-- Decision:
--   replaced public.get_tracker_view (newest: 20261202300001_tracker_view_clock.sql): as there, plus `late_note`
--            = get_visit_running_late(token)'s note (null when none in force). Still SECURITY INVOKER: it adds no
--            right — each function it calls checks the token, the open link and its own rules; same grants.
--            get_visit_live and get_visit_running_late are not redefined.
create or replace function public.get_tracker_view(p_tracking_token text) returns jsonb
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
    'clock', public.get_clinic_clock((v -> 'clinic' ->> 'id')::uuid, v_day, v_day),
    'late_note', public.get_visit_running_late(p_tracking_token) -> 'note'
  );
end
$$;
revoke execute on function public.get_tracker_view(text) from public;
grant execute on function public.get_tracker_view(text) to anon, authenticated, service_role;
