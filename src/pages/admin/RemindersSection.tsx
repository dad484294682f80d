/**
 * Clinic admin — appointment reminders (issue 20): off, or N minutes before each booked visit. The server's
 * notification sweep sends them (public.reminder_outbox); this only stores clinics.reminder_minutes_before.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Field, Input, LoadingBlock } from '../../components/ui';
import { useNotificationService, useReminderMinutes } from '../../hooks/useNotificationService';
import { useErrorText } from '../../i18n/pageStrings';
import {
  REMINDER_MAX_MINUTES,
  REMINDER_MIN_MINUTES,
  checkReminderMinutes,
} from '../../services/notification/api';
import { Section, SaveRow, useSaveToasts } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

export function RemindersSection({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const saved = useSaveToasts();
  const current = useReminderMinutes(clinicId);
  const save = useSingleFlight(useNotificationService(clinicId).setReminderMinutes);
  const [on, setOn] = useState(false);
  const [minutes, setMinutes] = useState('60');
  const [invalid, setInvalid] = useState<string | null>(null);
  useEffect(() => {
    if (current.data === undefined) return;
    setOn(current.data !== null);
    if (current.data !== null) setMinutes(String(current.data));
  }, [current.data]);
  if (current.data === undefined) return <LoadingBlock label={t('common.loading')} rows={1} />;
  return (
    <Section title={t('admin.reminders.title')}>
      <form
        className="flex flex-col gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const value = on ? (minutes.trim() === '' ? Number.NaN : Number(minutes)) : null;
          // the same rule as the database (REMINDER.INVALID_MINUTES), answered at once
          const c = checkReminderMinutes(value);
          if (!c.ok) {
            setInvalid(c.error.code);
            return;
          }
          setInvalid(null);
          save.mutate(c.value, {
            onSuccess: saved.onSuccess,
            onError: (er) => {
              if (er.code === 'REMINDER.INVALID_MINUTES') setInvalid(er.code);
              else saved.onError(er);
            },
          });
        }}
      >
        <label className="flex items-center gap-2 text-sm font-semibold">
          <input
            type="checkbox"
            className="size-5 accent-teal-700"
            disabled={!canEdit}
            checked={on}
            onChange={(e) => {
              setOn(e.target.checked);
              setInvalid(null);
            }}
          />
          {t('admin.reminders.on')}
        </label>
        {on ? (
          <Field label={t('admin.reminders.minutes')}>
            {(id) => (
              <Input
                id={id}
                type="number"
                inputMode="numeric"
                min={REMINDER_MIN_MINUTES}
                max={REMINDER_MAX_MINUTES}
                readOnly={!canEdit}
                value={minutes}
                aria-invalid={invalid !== null}
                onChange={(e) => setMinutes(e.target.value)}
              />
            )}
          </Field>
        ) : (
          <p className="text-sm text-muted" data-testid="reminders-off">
            {t('admin.reminders.off')}
          </p>
        )}
        {invalid && (
          <p role="alert" className="text-sm text-danger-700" data-testid="reminder-error">
            {errorText(invalid)}
          </p>
        )}
        <p className="text-xs text-muted">{t('admin.reminders.help')}</p>
        {canEdit && <SaveRow busy={save.isPending} />}
      </form>
    </Section>
  );
}
