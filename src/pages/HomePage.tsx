/** What QueueMed is, the demo logins per role, and a link to every screen. */
import { useTranslation } from '../i18n/TranslatorContext';
import { AppShell } from '../components/AppShell';
import { Link } from '../components/router';
import { Card, LoadingBlock } from '../components/ui';
import { usePageStrings } from '../i18n/pageStrings';

const DEMO_PASSWORD = 'QueueMed-demo-2026';
const LOGINS = [
  { role: 'owner', login: 'owner@demo.queuemed.ma', name: 'Dr Karim Alaoui', next: '/admin' },
  { role: 'practitioner', login: 'salma.benali@demo.queuemed.ma', name: 'Dr Salma Benali', next: '/staff' },
  { role: 'practitioner', login: 'julien.martin@demo.queuemed.ma', name: 'Dr Julien Martin', next: '/staff' },
  { role: 'receptionist', login: 'accueil@demo.queuemed.ma', name: 'Nadia Chraibi', next: '/staff' },
  { role: 'patient', login: 'patient@demo.queuemed.ma', name: 'Amine Tazi · +212600000100', next: '/me' },
] as const;

export default function HomePage() {
  const { t } = useTranslation();
  const ready = usePageStrings('landing', true);
  if (!ready) return <LoadingBlock label={t('common.loading')} />;
  return <Home />;
}

function Home() {
  const { t } = useTranslation();
  const screens = [
    { to: '/board/cabinet-anfa', title: t('landing.boardLink'), desc: t('landing.boardDesc'), icon: '▦' },
    { to: '/t/demo-visit-amine', title: t('landing.trackerLink'), desc: t('landing.trackerDesc'), icon: '◔' },
    { to: '/c/cabinet-anfa', title: t('landing.clinicLink'), desc: t('landing.clinicDesc'), icon: '▤' },
    { to: '/clinics', title: t('landing.directoryLink'), desc: t('landing.directoryDesc'), icon: '⌕' },
    { to: '/kiosk', title: t('landing.kioskLink'), desc: t('landing.kioskDesc'), icon: '✓' },
  ];
  return (
    <AppShell
      right={
        <Link
          to="/sign-in"
          className="rounded-lg px-3 py-2 text-sm font-semibold text-brand-800 hover:bg-brand-50"
        >
          {t('nav.signIn')}
        </Link>
      }
    >
      <section className="grid gap-8 py-4 lg:grid-cols-[1.2fr_1fr] lg:items-center">
        <div>
          <p className="mb-3 inline-flex items-center gap-2 rounded-full bg-brand-100 px-3 py-1 text-sm font-semibold text-brand-900">
            <span aria-hidden className="qm-live-dot size-2 rounded-full bg-brand-500" />
            {t('shell.live')}
          </p>
          <h1 className="text-3xl font-extrabold tracking-tight text-ink sm:text-5xl">
            {t('landing.title')}
          </h1>
          <p className="mt-4 max-w-2xl text-lg text-muted">{t('landing.lead')}</p>
          <ul className="mt-6 grid gap-3 sm:grid-cols-3">
            {(['live', 'fair', 'lang'] as const).map((k) => (
              <li key={k} className="rounded-xl border border-line bg-white p-3">
                <p className="font-semibold">{t(`landing.features.${k}`)}</p>
                <p className="text-sm text-muted">{t(`landing.features.${k}Desc`)}</p>
              </li>
            ))}
          </ul>
        </div>
        <Card aria-labelledby="demo-title" className="bg-gradient-to-b from-white to-brand-50">
          <h2 id="demo-title" className="text-xl font-bold">
            {t('landing.demoTitle')}
          </h2>
          <p className="mt-1 text-sm text-muted">{t('landing.demoLead')}</p>
          <p className="mt-3 text-sm">
            {t('landing.password')}:{' '}
            <code className="rounded bg-white px-2 py-1 font-mono font-semibold text-brand-900" dir="ltr">
              {DEMO_PASSWORD}
            </code>
          </p>
          <ul className="mt-4 flex flex-col gap-2">
            {LOGINS.map((l) => (
              <li
                key={l.login}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-xl border border-line bg-white p-3"
              >
                <span className="min-w-24 text-sm font-bold text-brand-800">{t(`home.roles.${l.role}`)}</span>
                <span className="flex flex-1 flex-col">
                  <span className="text-sm font-semibold">{l.name}</span>
                  <code className="text-xs text-muted" dir="ltr">
                    {l.login}
                  </code>
                </span>
                <Link
                  to={`/sign-in?login=${encodeURIComponent(l.login)}&next=${encodeURIComponent(l.next)}`}
                  className="rounded-lg bg-brand-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-800"
                  aria-label={`${t('landing.signInAs', { role: t(`home.roles.${l.role}`) })} — ${l.name}`}
                >
                  {t('nav.signIn')}
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      </section>
      <section aria-labelledby="screens-title" className="mt-10">
        <h2 id="screens-title" className="mb-3 text-xl font-bold">
          {t('landing.screens')}
        </h2>
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {screens.map((s) => (
            <li key={s.to}>
              <Link
                to={s.to}
                className="flex h-full flex-col gap-1 rounded-2xl border border-line bg-white p-4 shadow-[var(--shadow-card)] hover:border-brand-500"
              >
                <span
                  aria-hidden
                  className="grid size-10 place-items-center rounded-xl bg-brand-100 text-xl text-brand-800"
                >
                  {s.icon}
                </span>
                <span className="font-semibold text-brand-900">{s.title}</span>
                <span className="text-sm text-muted">{s.desc}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </AppShell>
  );
}
