/** Clinic admin — the types tab. */
import { useTranslation } from '../../i18n/TranslatorContext';
import { Badge, LoadingBlock, Select } from '../../components/ui';
import { useClinicProfile, useClinicService, useVisitTypes } from '../../hooks/useClinicService';
import { Section, useSaveToasts } from './shared';

export function TypesTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const types = useVisitTypes(clinicId);
  const service = useClinicService(clinicId);
  const save = service.setVisitTypeDuration;
  const saveMode = service.setVisitTypeMode;
  // a type without its own mode takes the clinic's (F4): the editor says which that is
  const clinicMode = useClinicProfile(clinicId).data?.settings.booking_mode ?? 'slotted';
  if (!types.data) return <LoadingBlock label={t('common.loading')} />;
  return (
    <Section title={t('admin.tabs.types')}>
      <ul className="flex flex-col gap-2">
        {types.data
          .filter((ty) => ty.active)
          .map((ty) => (
            <li
              key={ty.id}
              className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-line p-3"
            >
              <span className="font-semibold">{ty.name}</span>
              <Select
                aria-label={`${ty.name} — ${t('admin.typeMode')}`}
                data-testid={`type-mode-${ty.id}`}
                disabled={!canEdit}
                value={ty.bookingMode ?? ''}
                onChange={(e) =>
                  saveMode.mutate(
                    {
                      typeId: ty.id,
                      bookingMode: e.target.value === '' ? null : (e.target.value as 'slotted' | 'fluid'),
                    },
                    saved,
                  )
                }
              >
                <option value="">
                  {t('admin.bookingModes.clinic', { mode: t(`admin.bookingModes.${clinicMode}`) })}
                </option>
                <option value="slotted">{t('admin.bookingModes.slotted')}</option>
                <option value="fluid">{t('admin.bookingModes.fluid')}</option>
              </Select>
              {canEdit ? (
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="number"
                    min={5}
                    max={240}
                    step={5}
                    aria-label={`${ty.name} — ${t('admin.typeDuration', { m: '' }).trim()}`}
                    defaultValue={ty.durationMinutes}
                    className="w-20 rounded-lg border border-line px-2 py-1"
                    onBlur={(e) => {
                      const m = Number(e.target.value);
                      if (m !== ty.durationMinutes) save.mutate({ typeId: ty.id, durationMinutes: m }, saved);
                    }}
                  />
                  {t('admin.typeDuration', { m: '' }).trim()}
                </label>
              ) : (
                <Badge tone="brand">{t('admin.typeDuration', { m: ty.durationMinutes })}</Badge>
              )}
            </li>
          ))}
      </ul>
    </Section>
  );
}
