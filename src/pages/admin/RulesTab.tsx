/** Clinic admin — the rules tab. */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Field, Input, LoadingBlock, Select } from '../../components/ui';
import { useClinicProfile, useClinicService } from '../../hooks/useClinicService';
import { DEFAULT_CLINIC_SETTINGS, type ClinicSettings } from '../../services/clinic/api';
import { Section, SaveRow, useSaveToasts } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

/** The rules this tab edits; their defaults are the domain's (one place: ClinicSettings.ts). */
const RULE_KEYS = [
  'grace_period_minutes',
  'max_skips',
  'late_return_policy',
  'late_return_offset',
  'on_time_tolerance_minutes',
  'check_in_window_minutes',
  'min_booking_notice_minutes',
  'min_cancel_notice_minutes',
  'booking_horizon_days',
  'slot_capacity',
  'buffer_minutes',
  'board_show_names',
  'kiosk_walk_ins',
  'booking_mode',
  'waitlist_min_lead_minutes',
  'max_active_visits_per_patient',
  'fluid_reminder_time',
] as const satisfies readonly (keyof ClinicSettings)[];

const RULE_DEFAULTS: Record<string, number | boolean | string> = Object.fromEntries(
  RULE_KEYS.map((k) => [k, DEFAULT_CLINIC_SETTINGS[k]]),
);

export function RulesTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const c = useClinicProfile(clinicId);
  const save = useSingleFlight(useClinicService(clinicId).updateSettings);
  const [values, setValues] = useState<Record<string, number | boolean | string>>(RULE_DEFAULTS);
  useEffect(() => {
    if (c.data)
      setValues({
        ...RULE_DEFAULTS,
        ...(c.data.settings as unknown as Record<string, number | boolean | string>),
      });
  }, [c.data]);
  if (!c.data) return <LoadingBlock label={t('common.loading')} />;
  return (
    <Section title={t('admin.tabs.rules')}>
      <form
        aria-label={t('admin.tabs.rules')}
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(values as Partial<ClinicSettings>, saved);
        }}
      >
        {Object.keys(RULE_DEFAULTS).map((k) => {
          const label = t(`admin.rules.${k}` as 'admin.rules.max_skips');
          const v = values[k];
          if (typeof RULE_DEFAULTS[k] === 'boolean')
            return (
              <label key={k} className="flex items-center gap-2 self-end text-sm font-semibold">
                <input
                  type="checkbox"
                  className="size-5 accent-teal-700"
                  disabled={!canEdit}
                  checked={v === true}
                  onChange={(e) => setValues({ ...values, [k]: e.target.checked })}
                />
                {label}
              </label>
            );
          if (k === 'booking_mode')
            return (
              <Field key={k} label={label}>
                {(id) => (
                  <Select
                    id={id}
                    disabled={!canEdit}
                    value={String(v)}
                    onChange={(e) => setValues({ ...values, [k]: e.target.value })}
                  >
                    {(['slotted', 'fluid'] as const).map((m) => (
                      <option key={m} value={m}>
                        {t(`admin.bookingModes.${m}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            );
          if (k === 'late_return_policy')
            return (
              <Field key={k} label={label}>
                {(id) => (
                  <Select
                    id={id}
                    disabled={!canEdit}
                    value={String(v)}
                    onChange={(e) => setValues({ ...values, [k]: e.target.value })}
                  >
                    {(['after_next', 'front', 'end'] as const).map((p) => (
                      <option key={p} value={p}>
                        {t(`admin.policies.${p}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            );
          return (
            <Field key={k} label={label}>
              {(id) => (
                <Input
                  id={id}
                  // fluid_reminder_time is 'HH:MM' (00:00–23:59, the clinic's zone); the others are numbers
                  type={typeof v === 'string' ? 'time' : 'number'}
                  min={0}
                  required
                  readOnly={!canEdit}
                  value={String(v)}
                  onChange={(e) =>
                    setValues({
                      ...values,
                      [k]: typeof v === 'string' ? e.target.value : Number(e.target.value),
                    })
                  }
                />
              )}
            </Field>
          );
        })}
        {canEdit && <SaveRow busy={save.isPending} className="sm:col-span-2" />}
      </form>
    </Section>
  );
}
