/**
 * Clinic admin — "join today's queue from a phone" (issue 17), in the queue rules tab: owners/admins turn it
 * on with a daily cap, or off, and set an optional arrival window (minutes). Other staff see it read-only.
 * The database judges who may (set_remote_join) and the ranges (422 VALIDATION.FAILED).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Field, Input, LoadingBlock } from '../../components/ui';
import { useRemoteJoinSettings, useSaveRemoteJoin } from '../../hooks/useRemoteJoin';
import { Section, SaveRow, useSaveToasts } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

const DEFAULT_CAP = 20;

export function RemoteJoinSection({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const current = useRemoteJoinSettings(clinicId);
  const save = useSingleFlight(useSaveRemoteJoin(clinicId));
  const [on, setOn] = useState(false);
  const [cap, setCap] = useState(String(DEFAULT_CAP));
  const [arrival, setArrival] = useState('');
  useEffect(() => {
    if (!current.data) return;
    setOn(current.data.cap !== null);
    setCap(String(current.data.cap ?? DEFAULT_CAP));
    setArrival(current.data.arrivalMinutes === null ? '' : String(current.data.arrivalMinutes));
  }, [current.data]);
  if (!current.data) return <LoadingBlock label={t('common.loading')} rows={2} />;
  return (
    <Section title={t('admin.remoteJoin.title')}>
      <p className="mb-3 text-sm text-muted">{t('admin.remoteJoin.intro')}</p>
      <p className="mb-4 text-sm font-semibold" data-testid="remote-join-setting">
        {current.data.cap === null
          ? t('admin.remoteJoin.isOff')
          : t('admin.remoteJoin.isOn', { count: current.data.cap })}
      </p>
      <form
        aria-label={t('admin.remoteJoin.title')}
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            {
              cap: on ? Number(cap) : null,
              arrivalMinutes: on && arrival.trim() !== '' ? Number(arrival) : null,
            },
            saved,
          );
        }}
      >
        <label className="flex items-center gap-2 text-sm font-semibold sm:col-span-2">
          <input
            type="checkbox"
            className="size-5 accent-teal-700"
            disabled={!canEdit}
            checked={on}
            onChange={(e) => setOn(e.target.checked)}
          />
          {t('admin.remoteJoin.on')}
        </label>
        <Field label={t('admin.remoteJoin.cap')}>
          {(id) => (
            <Input
              id={id}
              type="number"
              min={1}
              max={500}
              required={on}
              readOnly={!canEdit}
              disabled={!on}
              value={cap}
              onChange={(e) => setCap(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('admin.remoteJoin.arrival')}>
          {(id) => (
            <Input
              id={id}
              type="number"
              min={5}
              max={240}
              readOnly={!canEdit}
              disabled={!on}
              value={arrival}
              onChange={(e) => setArrival(e.target.value)}
            />
          )}
        </Field>
        <p className="text-sm text-muted sm:col-span-2">{t('admin.remoteJoin.arrivalHint')}</p>
        {canEdit && <SaveRow busy={save.isPending} className="sm:col-span-2" />}
      </form>
    </Section>
  );
}
