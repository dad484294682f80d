/** Clinic admin — the profile tab. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Field, LoadingBlock, Select, TextField } from '../../components/ui';
import { useClinicProfile, useClinicService } from '../../hooks/useClinicService';
import { readPhoneField } from '../../services/shared/phoneField';
import { Section, SaveRow, LanguageOptions, useSaveToasts } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

// the directory entry (dir20): its own chunk, with the directory's strings and service
const DirectoryListingSection = lazy(() => import('./DirectoryListingSection'));

export function ProfileTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const c = useClinicProfile(clinicId);
  const save = useSingleFlight(useClinicService(clinicId).updateProfile);
  const [form, setForm] = useState({ name: '', address: '', phone: '', default_language: 'fr' });
  const [phoneInvalid, setPhoneInvalid] = useState(false);
  useEffect(() => {
    if (c.data)
      setForm({
        name: c.data.name,
        address: c.data.address ?? '',
        phone: c.data.phone ?? '',
        default_language: c.data.defaultLanguage,
      });
  }, [c.data]);
  if (!c.data) return <LoadingBlock label={t('common.loading')} />;
  const field = (k: 'name' | 'address' | 'phone', label: string, dir?: 'ltr') => (
    <TextField
      label={label}
      dir={dir}
      readOnly={!canEdit}
      required={k === 'name'}
      value={form[k]}
      onValue={(v) => setForm({ ...form, [k]: v })}
    />
  );
  return (
    <div className="flex flex-col gap-6">
      <Section title={t('admin.tabs.profile')}>
        <form
          className="grid gap-4 sm:grid-cols-2"
          onSubmit={(e) => {
            e.preventDefault();
            // The one phone rule of every form: blank, or a number the domain parser accepts, in E.164.
            readPhoneField(form.phone)
              .then((phone) => {
                setPhoneInvalid(!phone.ok);
                if (!phone.ok) return;
                save.mutate(
                  {
                    name: form.name.trim(),
                    address: form.address.trim() || null,
                    phone: phone.value,
                    defaultLanguage: form.default_language as 'ar' | 'fr' | 'en',
                  },
                  saved,
                );
              })
              .catch(() => setPhoneInvalid(true));
          }}
        >
          {field('name', t('admin.name'))}
          {field('address', t('admin.address'))}
          <div className="flex flex-col gap-1">
            {field('phone', t('admin.phone'), 'ltr')}
            {phoneInvalid && (
              <p role="alert" className="text-sm text-danger-700" data-testid="profile-phone-error">
                {t('errors.PHONE.INVALID')}
              </p>
            )}
          </div>
          <Field label={t('admin.language')}>
            {(id) => (
              <Select
                id={id}
                disabled={!canEdit}
                value={form.default_language}
                onChange={(e) => setForm({ ...form, default_language: e.target.value })}
              >
                <LanguageOptions />
              </Select>
            )}
          </Field>
          <div className="rounded-xl bg-slate-50 p-3 text-sm">
            <span className="text-muted">{t('admin.timeZone')}: </span>
            <span className="font-semibold">{c.data.timeZone}</span>
          </div>
          <div className="rounded-xl bg-slate-50 p-3 text-sm">
            <span className="text-muted">{t('admin.publicPage')}: </span>
            <code className="font-semibold" dir="ltr">{`/c/${c.data.slug}`}</code>
          </div>
          {canEdit && <SaveRow busy={save.isPending} />}
        </form>
      </Section>
      <Suspense fallback={<LoadingBlock label={t('common.loading')} rows={2} />}>
        <DirectoryListingSection clinicId={clinicId} canEdit={canEdit} />
      </Suspense>
    </div>
  );
}
