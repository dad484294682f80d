-- One accuracy figure for staff and patients (issue 16, session 16).
--
-- The dashboard showed the shown estimates' accuracy as soon as ONE was judged in the week (the client tested
-- count > 0), while the tracker's "usually accurate to ± N min" (private.clinic_accuracy_minutes) took the shown
-- figure only from 20 judged on and the backtest's before. With 1–19 judged the two screens read different
-- sources and could disagree (dashboard "± 30 min" from 3 waits, tracker "± 8 min" from the backtest).
-- Now the database decides once, with one threshold, and both read that decision:
--
--   new      private.wait_accuracy_min_judged(): 20 — judged shown estimates in the last 7 days before they
--            stand for the clinic's accuracy (fewer: the backtest on the clinic's own days, the replay).
--   replaced private.clinic_accuracy_minutes (newest: 20261205400001): the same body, the threshold from it.
--   replaced public.get_wait_accuracy (newest: 20261205400001): the same answer plus
--            `source` ('shown' when the week has ≥ min_judged judged, else 'replay') and `min_judged`; the
--            staff client shows the shown figures only when source = 'shown' (QueueService.waitAccuracyOf).

create function private.wait_accuracy_min_judged() returns integer
language sql immutable
set search_path = ''
as $$ select 20 $$;

revoke all on function private.wait_accuracy_min_judged() from public;
grant execute on function private.wait_accuracy_min_judged() to anon, authenticated, service_role;

-- ── private.clinic_accuracy_minutes: the tracker's "usually accurate to ± N min" ─────────────────
-- The median |error| of the estimates shown in the last 7 days once ≥ min_judged were judged; before that (a
-- new clinic, or days before this log existed) the backtest figure the staff client stored, as before.
create or replace function private.clinic_accuracy_minutes(p_clinic_id uuid) returns integer
language sql stable
set search_path = ''
as $$
  select coalesce(
    (select greatest(1, round(w.median_abs_error))::integer
       from public.clinics c,
            private.shown_wait_accuracy(p_clinic_id, private.clinic_today(c.time_zone) - 7,
                                        private.clinic_today(c.time_zone) - 1) w
      where c.id = p_clinic_id and w.judged >= private.wait_accuracy_min_judged()
        and w.median_abs_error is not null),
    (select greatest(1, round(a.week_median_abs_error))::integer
       from public.clinic_wait_accuracy a
      where a.clinic_id = p_clinic_id and a.week_count >= private.wait_accuracy_min_judged()
        and a.week_median_abs_error is not null))
$$;

-- ── get_wait_accuracy(p_clinic_id) ───────────────────────────────────────────────────────────────
-- → { yesterday: { day, median_abs_error, within_share, count }, week: { from, to, median_abs_error,
--     within_share, count }, source: 'shown' | 'replay', min_judged }: yesterday = the clinic's day before
-- today (private.now()), week = the 7 days before today; source = which figures stand for the clinic's
-- accuracy (the same rule as the tracker's "± N min"). Staff of the clinic (or the service role); 404 for an
-- unknown clinic.
create or replace function public.get_wait_accuracy(p_clinic_id uuid)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_clinic public.clinics;
  v_today date;
  v_y record;
  v_w record;
begin
  perform private.require_staff(p_clinic_id);
  select * into v_clinic from public.clinics where id = p_clinic_id;
  if not found then
    perform private.raise_error(404, 'NOT_FOUND', 'clinic not found');
  end if;
  v_today := private.clinic_today(v_clinic.time_zone);
  select * into v_y from private.shown_wait_accuracy(p_clinic_id, v_today - 1, v_today - 1);
  select * into v_w from private.shown_wait_accuracy(p_clinic_id, v_today - 7, v_today - 1);
  return jsonb_build_object(
    'yesterday', jsonb_build_object('day', v_today - 1, 'median_abs_error', v_y.median_abs_error,
                                    'within_share', v_y.within_share, 'count', v_y.judged),
    'week', jsonb_build_object('from', v_today - 7, 'to', v_today - 1, 'median_abs_error', v_w.median_abs_error,
                               'within_share', v_w.within_share, 'count', v_w.judged),
    'source', case when v_w.judged >= private.wait_accuracy_min_judged() and v_w.median_abs_error is not null
                   then 'shown' else 'replay' end,
    'min_judged', private.wait_accuracy_min_judged());
end
$$;

revoke execute on function public.get_wait_accuracy(uuid) from public, anon;
grant execute on function public.get_wait_accuracy(uuid) to authenticated, service_role;
