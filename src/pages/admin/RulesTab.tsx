/** Clinic admin — the rules tab. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, Input, LoadingBlock, Select } from '../../components/ui';
import { useClinicProfile, useClinicService } from '../../hooks/useClinicService';
import type { ClinicSettings } from '../../services/clinic/api';
import { Section, SaveRow, useSaveToasts } from './shared';

const RULE_DEFAULTS: Record<string, number | boolean | string> = {
  grace_period_minutes: 10,
  max_skips: 3,
  late_return_policy: 'after_next',
  late_return_offset: 1,
  on_time_tolerance_minutes: 10,
  check_in_window_minutes: 60,
  min_booking_notice_minutes: 60,
  min_cancel_notice_minutes: 120,
  booking_horizon_days: 30,
  slot_capacity: 1,
  buffer_minutes: 5,
  board_show_names: false,
};

export function RulesTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const c = useClinicProfile(clinicId);
  const save = useClinicService(clinicId).updateSettings;
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
                  type="number"
                  min={0}
                  required
                  readOnly={!canEdit}
                  value={String(v)}
                  onChange={(e) => setValues({ ...values, [k]: Number(e.target.value) })}
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
