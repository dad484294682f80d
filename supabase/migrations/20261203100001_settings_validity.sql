-- Settings in one place (issue 11): src/services/clinic/models/ClinicSettings.ts is the source of the
-- settings, their defaults and their ranges; private.clinic_settings_defaults / clinic_settings_valid are
-- its mirror, held to it key for key by supabase/tests/settingsParity.test.ts on both databases.
-- That test found one disagreement: `{"late_return_policy": null}` passed the clinics.settings check (the
-- `in (…)` of a JSON null is SQL NULL, which a CHECK accepts) while the domain refuses it — and
-- effective_settings then handed the queue a null policy. A policy must be one of the three strings.
create or replace function private.clinic_settings_valid(s jsonb) returns boolean
language sql immutable
set search_path = ''
as $$
  select jsonb_typeof(s) = 'object'
    and not exists (
      select 1 from jsonb_object_keys(s) k
      where k not in (select jsonb_object_keys(private.clinic_settings_defaults())))
    and private.json_int_between(s -> 'on_time_tolerance_minutes', 0, 240)
    and private.json_is_bool(s -> 'auto_finish_on_next')
    and private.json_int_between(s -> 'max_skips', 1, 20)
    and private.json_int_between(s -> 'grace_period_minutes', 1, 240)
    and (s -> 'late_return_policy' is null
         or (jsonb_typeof(s -> 'late_return_policy') = 'string'
             and (s ->> 'late_return_policy') in ('after_next', 'front', 'end')))
    and private.json_int_between(s -> 'late_return_offset', 0, 50)
    and private.json_int_between(s -> 'notify_at_position', 1, 50)
    and (s -> 'budget_alert_ratio' is null
         or (jsonb_typeof(s -> 'budget_alert_ratio') = 'number'
             and (s ->> 'budget_alert_ratio')::numeric > 0 and (s ->> 'budget_alert_ratio')::numeric <= 1))
    and private.json_int_between(s -> 'buffer_minutes', 0, 240)
    and private.json_int_between(s -> 'slot_capacity', 1, 100)
    and (s -> 'max_walk_ins_per_day' is null or jsonb_typeof(s -> 'max_walk_ins_per_day') = 'null'
         or private.json_int_between(s -> 'max_walk_ins_per_day', 0, 10000))
    and private.json_int_between(s -> 'booking_horizon_days', 1, 365)
    and private.json_int_between(s -> 'min_booking_notice_minutes', 0, 43200)
    and private.json_int_between(s -> 'min_cancel_notice_minutes', 0, 43200)
    and private.json_int_between(s -> 'auto_end_day_after_closing_minutes', 0, 1440)
    and private.json_is_bool(s -> 'board_show_names')
    and private.json_int_between(s -> 'check_in_window_minutes', 0, 1440)
$$;
