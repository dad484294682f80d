/**
 * The profile tab's lazy "Clinic directory" section (issue 17, dir20; docs/domain-rules.md D1–D4): the clinic's
 * city, specialty and whether it is listed on the public /clinics page. Any staff member reads it; owners and
 * admins change it; the database judges both (set_clinic_listing) and this screen names its refusals.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useDirectoryStrings } from '../../i18n/directoryStrings';
import { useToast } from '../../components/Toasts';
import { Link } from '../../components/router';
import { Badge, Field, Input, LoadingBlock, Select } from '../../components/ui';
import {
  DIRECTORY_LIMITS,
  SPECIALTIES,
  useClinicListing,
  useSetClinicListing,
  type Specialty,
} from '../../hooks/useClinicDirectory';
import { useSingleFlight } from '../../hooks/useSingleFlight';
import { Section, SaveRow } from './shared';

export default function DirectoryListingSection({
  clinicId,
  canEdit,
}: {
  clinicId: string;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const ready = useDirectoryStrings();
  const listing = useClinicListing(clinicId);
  if (!ready || !listing.data) return <LoadingBlock label={t('common.loading')} rows={2} />;
  return <ListingForm clinicId={clinicId} canEdit={canEdit} initial={listing.data} />;
}

function ListingForm({
  clinicId,
  canEdit,
  initial,
}: {
  clinicId: string;
  canEdit: boolean;
  initial: { city: string | null; specialty: Specialty | null; listed: boolean; smsHeld: boolean };
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const headingId = useId();
  const errorId = useId();
  const save = useSingleFlight(useSetClinicListing(clinicId));
  const [form, setForm] = useState({
    city: initial.city ?? '',
    specialty: initial.specialty,
    listed: initial.listed,
  });
  const [cityProblem, setCityProblem] = useState(false);
  useEffect(() => {
    setForm({ city: initial.city ?? '', specialty: initial.specialty, listed: initial.listed });
  }, [initial.city, initial.specialty, initial.listed]);
  const submit = () => {
    const city = form.city.trim();
    if (form.listed && !city) {
      setCityProblem(true);
      return;
    }
    save.mutate(
      { city: city || null, specialty: form.specialty, listed: form.listed },
      {
        onSuccess: () => {
          setCityProblem(false);
          toast.ok(t('directory.admin.saved'));
        },
        onError: (e) => {
          if (e.code === 'VALIDATION.FAILED' && e.details?.['problem'] === 'city') setCityProblem(true);
          else toast.error(e);
        },
      },
    );
  };
  return (
    <Section title={t('directory.admin.title')} headingId={headingId}>
      <p className="mb-3 text-sm text-muted">
        {t('directory.admin.lead')}{' '}
        <Link to="/clinics" className="font-semibold text-brand-800 underline">
          {t('directory.admin.view')}
        </Link>
      </p>
      <p className="mb-3" data-testid="directory-listing-state">
        <Badge tone={initial.listed && !initial.smsHeld ? 'ok' : 'neutral'}>
          {initial.listed ? t('directory.admin.isListed') : t('directory.admin.notListed')}
        </Badge>
      </p>
      {initial.smsHeld && (
        <p className="mb-3 rounded-xl bg-amber-50 p-3 text-sm text-amber-900" role="note">
          {t('directory.admin.held')}
        </p>
      )}
      <form
        aria-labelledby={headingId}
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="flex items-center gap-2 text-sm font-semibold sm:col-span-2">
          <input
            type="checkbox"
            className="size-5 accent-teal-700"
            disabled={!canEdit}
            checked={form.listed}
            onChange={(e) => setForm({ ...form, listed: e.target.checked })}
          />
          {t('directory.admin.listed')}
        </label>
        <div className="flex flex-col gap-1">
          <Field label={t('directory.city')}>
            {(id) => (
              <Input
                id={id}
                dir="auto"
                readOnly={!canEdit}
                // our own message in the reader's language, not the browser's (no native `required`)
                aria-required={form.listed}
                maxLength={DIRECTORY_LIMITS.maxQueryLength}
                aria-invalid={cityProblem || undefined}
                aria-describedby={cityProblem ? errorId : undefined}
                value={form.city}
                onChange={(e) => {
                  setForm({ ...form, city: e.target.value });
                  setCityProblem(false);
                }}
              />
            )}
          </Field>
          {cityProblem && (
            <p id={errorId} role="alert" className="text-sm text-danger-700">
              {t('directory.admin.cityNeeded')}
            </p>
          )}
        </div>
        <Field label={t('directory.specialtyLabel')}>
          {(id) => (
            <Select
              id={id}
              disabled={!canEdit}
              value={form.specialty ?? ''}
              onChange={(e) =>
                setForm({
                  ...form,
                  specialty: (SPECIALTIES as readonly string[]).includes(e.target.value)
                    ? (e.target.value as Specialty)
                    : null,
                })
              }
            >
              <option value="">{t('directory.admin.noSpecialty')}</option>
              {SPECIALTIES.map((s) => (
                <option key={s} value={s}>
                  {t(`directory.specialty.${s}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {canEdit && <SaveRow busy={save.isPending} />}
      </form>
    </Section>
  );
}
