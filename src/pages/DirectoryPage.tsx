/**
 * The public clinic directory (issue 17, dir20; docs/domain-rules.md D1–D6): anyone, no account, searches the
 * listed clinics by name, city and specialty; each result links to the clinic's page (/c/<slug>: booking and
 * remote joining). The search lives in the address (?q=&city=&specialty=) so Back returns to it. Its own chunk.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { useDirectoryStrings } from '../i18n/directoryStrings';
import { AppShell } from '../components/AppShell';
import { Link, navigate, searchParam } from '../components/router';
import {
  Badge,
  Button,
  Card,
  EmptyState,
  Field,
  Input,
  LoadingBlock,
  PageTitle,
  Select,
} from '../components/ui';
import { useSession } from '../hooks/useAuth';
import {
  DIRECTORY_LIMITS,
  SPECIALTIES,
  useDirectorySearch,
  type DirectoryClinic,
  type Specialty,
} from '../hooks/useClinicDirectory';

const asSpecialty = (v: string | null): Specialty | null =>
  (SPECIALTIES as readonly string[]).includes(v ?? '') ? (v as Specialty) : null;
const clip = (v: string | null) => (v ?? '').slice(0, DIRECTORY_LIMITS.maxQueryLength);

interface Search {
  readonly query: string;
  readonly city: string;
  readonly specialty: Specialty | null;
}

export default function DirectoryPage() {
  const { t } = useTranslation();
  const user = useSession();
  const ready = useDirectoryStrings(true);
  return (
    <AppShell nav={user ? [{ to: '/me', label: t('nav.myVisits') }] : []}>
      {ready ? <Directory /> : <LoadingBlock label={t('common.loading')} />}
    </AppShell>
  );
}

function Directory() {
  const { t } = useTranslation();
  // what the address asks for is what is searched; the form holds what is being typed
  const [search, setSearch] = useState<Search>(() => ({
    query: clip(searchParam('q')).trim(),
    city: clip(searchParam('city')).trim(),
    specialty: asSpecialty(searchParam('specialty')),
  }));
  const [form, setForm] = useState(search);
  const [offset, setOffset] = useState(0);
  const page = useDirectorySearch({ ...search, offset });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = { query: form.query.trim(), city: form.city.trim(), specialty: form.specialty };
    setSearch(next);
    setOffset(0);
    const qs = new URLSearchParams({
      ...(next.query ? { q: next.query } : {}),
      ...(next.city ? { city: next.city } : {}),
      ...(next.specialty ? { specialty: next.specialty } : {}),
    }).toString();
    navigate(`/clinics${qs ? `?${qs}` : ''}`, { replace: true });
  };

  return (
    <div className="flex flex-col gap-6">
      <div>
        <PageTitle>{t('directory.title')}</PageTitle>
        <p className="-mt-3 max-w-2xl text-muted">{t('directory.lead')}</p>
      </div>
      <Card>
        <form
          role="search"
          aria-label={t('directory.title')}
          className="grid gap-4 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end"
          onSubmit={submit}
        >
          <Field label={t('directory.name')}>
            {(id) => (
              <Input
                id={id}
                type="search"
                maxLength={DIRECTORY_LIMITS.maxQueryLength}
                value={form.query}
                onChange={(e) => setForm({ ...form, query: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('directory.city')}>
            {(id) => (
              <Input
                id={id}
                type="search"
                autoComplete="address-level2"
                maxLength={DIRECTORY_LIMITS.maxQueryLength}
                value={form.city}
                onChange={(e) => setForm({ ...form, city: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('directory.specialtyLabel')}>
            {(id) => (
              <Select
                id={id}
                value={form.specialty ?? ''}
                onChange={(e) => setForm({ ...form, specialty: asSpecialty(e.target.value) })}
              >
                <option value="">{t('directory.anySpecialty')}</option>
                {SPECIALTIES.map((s) => (
                  <option key={s} value={s}>
                    {t(`directory.specialty.${s}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Button type="submit">{t('directory.search')}</Button>
        </form>
      </Card>
      <section aria-labelledby="directory-results" aria-busy={page.isFetching}>
        <h2 id="directory-results" className="sr-only">
          {t('directory.results')}
        </h2>
        {page.isPending ? (
          <LoadingBlock label={t('common.loading')} />
        ) : page.isError && !page.data ? (
          <div role="alert">
            <EmptyState
              icon="⚠️"
              title={t('directory.failed')}
              action={
                <Button variant="secondary" onClick={() => void page.refetch()}>
                  {t('directory.retry')}
                </Button>
              }
            />
          </div>
        ) : page.data.items.length === 0 ? (
          <EmptyState icon="🧭" title={t('directory.none')} hint={t('directory.noneHint')} />
        ) : (
          <>
            <ul className="grid gap-3 sm:grid-cols-2" data-testid="directory-results">
              {page.data.items.map((c) => (
                <ClinicCard key={c.id} c={c} />
              ))}
            </ul>
            <div className="mt-4 flex flex-wrap gap-2">
              {offset > 0 && (
                <Button variant="secondary" onClick={() => setOffset(0)}>
                  {t('directory.back')}
                </Button>
              )}
              {page.data.nextOffset !== null && (
                <Button
                  variant="secondary"
                  busy={page.isFetching}
                  onClick={() => setOffset(page.data.nextOffset ?? 0)}
                >
                  {t('directory.more')}
                </Button>
              )}
            </div>
          </>
        )}
      </section>
    </div>
  );
}

function ClinicCard({ c }: { c: DirectoryClinic }) {
  const { t } = useTranslation();
  return (
    <li>
      <Link
        to={`/c/${c.slug}`}
        aria-label={t('directory.open', { name: c.name })}
        className="flex h-full flex-col gap-1 rounded-2xl border border-line bg-white p-4 shadow-[var(--shadow-card)] hover:border-brand-500"
      >
        {/* a clinic's name, city and address keep their own direction inside an RTL or LTR page */}
        <span className="font-semibold text-brand-900" dir="auto">
          {c.name}
        </span>
        <span className="flex flex-wrap items-center gap-2 text-sm text-muted">
          <span dir="auto">{c.city}</span>
          {c.specialty && <Badge>{t(`directory.specialty.${c.specialty}`)}</Badge>}
        </span>
        {c.address && (
          <span className="text-sm text-muted" dir="auto">
            {c.address}
          </span>
        )}
      </Link>
    </li>
  );
}
