/**
 * Clinic admin — the clinic's default channel (issue 20): how the clinic's messages reach a patient who has
 * not chosen. The server routes every message: the patient's own choice, then this default, then SMS, then
 * email — the first that reaches the patient (private.notification_route). This only stores
 * clinics.default_channel (set_default_channel).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Field, LoadingBlock } from '../../components/ui';
import { useDefaultChannel, useNotificationService } from '../../hooks/useNotificationService';
import type { ChannelName } from '../../services/notification/api';
import { Section, SaveRow, useSaveToasts } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

export function DefaultChannelSection({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const current = useDefaultChannel(clinicId);
  const save = useSingleFlight(useNotificationService(clinicId).setDefaultChannel);
  const [value, setValue] = useState<'' | ChannelName>('');
  useEffect(() => {
    if (current.data !== undefined) setValue(current.data ?? '');
  }, [current.data]);
  if (current.data === undefined) return <LoadingBlock label={t('common.loading')} rows={1} />;
  return (
    <Section title={t('admin.defaultChannel.title')}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(value === '' ? null : value, saved);
        }}
      >
        <Field label={t('admin.defaultChannel.label')}>
          {(id) => (
            <select
              id={id}
              className="rounded-lg border border-slate-300 bg-white px-3 py-2"
              disabled={!canEdit}
              value={value}
              onChange={(e) => setValue(e.target.value as '' | ChannelName)}
            >
              <option value="">{t('admin.defaultChannel.none')}</option>
              <option value="sms">{t('admin.channels.sms')}</option>
              <option value="whatsapp">{t('admin.channels.whatsapp')}</option>
              <option value="email">{t('admin.channels.email')}</option>
            </select>
          )}
        </Field>
        <p className="text-xs text-muted">{t('admin.defaultChannel.help')}</p>
        {canEdit && <SaveRow busy={save.isPending} />}
      </form>
    </Section>
  );
}
