import { describe, expect, it } from 'vitest';
import { checkReminderMinutes } from './ReminderSetting';

describe('checkReminderMinutes', () => {
  it('accepts off (null) and whole minutes from 5 to 2880', () => {
    for (const m of [null, 5, 60, 1440, 2880])
      expect(checkReminderMinutes(m)).toEqual({ ok: true, value: m });
  });
  it('refuses anything else with REMINDER.INVALID_MINUTES', () => {
    for (const m of [4, 0, -60, 2881, 30.5, Number.NaN]) {
      const r = checkReminderMinutes(m);
      expect(r.ok ? 'ok' : r.error.code).toBe('REMINDER.INVALID_MINUTES');
    }
  });
});
