import { describe, expect, it } from 'vitest';
import { DEFAULT_CLINIC_SETTINGS, parseClinicSettings } from './ClinicSettings';

describe('ClinicSettings', () => {
  it('has the defaults named in DOMAIN.md', () => {
    expect(DEFAULT_CLINIC_SETTINGS).toMatchObject({
      on_time_tolerance_minutes: 10,
      auto_finish_on_next: true,
      max_skips: 3,
      grace_period_minutes: 10,
      late_return_policy: 'after_next',
      late_return_offset: 1,
      notify_at_position: 3,
      buffer_minutes: 5,
      slot_capacity: 1,
      max_walk_ins_per_day: null,
      booking_horizon_days: 30,
      min_booking_notice_minutes: 60,
      min_cancel_notice_minutes: 120,
      budget_alert_ratio: 0.8,
    });
  });

  it('fills defaults for a partial object and keeps given values', () => {
    const r = parseClinicSettings({ grace_period_minutes: 15 });
    expect(r.success && r.data.grace_period_minutes).toBe(15);
    expect(r.success && r.data.max_skips).toBe(3);
  });

  it.each([
    [{ grace_period_minutes: 0 }],
    [{ grace_period_minutes: '10' }],
    [{ late_return_policy: 'sometimes' }],
    [{ unknown_setting: 1 }],
    [{ budget_alert_ratio: 1.5 }],
  ])('refuses invalid settings %j', (input) => {
    expect(parseClinicSettings(input).success).toBe(false);
  });
});
