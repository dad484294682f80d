/**
 * Clinic admin: profile, working hours (split days) and closed dates, queue rules, visit types, team and
 * invitations, SMS templates per language with live preview + segment/cost count, SMS budget and log,
 * API keys for REST /v1 (lazy), owners' reports (lazy: charts load only with that tab).
 * One file per tab in ./admin.
 */
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { StaffGate } from '../components/StaffGate';
import { LoadingBlock, PageTitle, cx } from '../components/ui';
import type { Membership } from '../hooks/useStaffService';
import { usePageStrings } from '../i18n/pageStrings';
import { BudgetTab } from './admin/BudgetTab';
import { HoursTab } from './admin/HoursTab';
import { MembersTab } from './admin/MembersTab';
import { ProfileTab } from './admin/ProfileTab';
import { RulesTab } from './admin/RulesTab';
import { RemindersSection } from './admin/RemindersSection';
import { DefaultChannelSection } from './admin/DefaultChannelSection';
import { WhatsAppSection } from './admin/WhatsAppSection';
import { RemoteJoinSection } from './admin/RemoteJoinSection';
import { TemplatesTab } from './admin/TemplatesTab';
import { WaitlistSection } from './admin/WaitlistSection';

// Reports carry their charts (recharts), texts and print stylesheet: loaded only when the tab opens.
const ReportsTab = lazy(() => import('./admin/ReportsTab'));
const AuditTab = lazy(() => import('./admin/AuditTab'));
// API keys: few clinics use them, so the tab and its dialogs' texts load only when it opens.
const ApiKeysTab = lazy(() => import('./admin/ApiKeysTab'));
// Board screens (board18): pairing the waiting-room TVs that may show names, with its strings, on demand.
const BoardScreensSection = lazy(() => import('./admin/BoardScreensSection'));
// Retention and erasure on request: owners only, rarely opened.
const PrivacyTab = lazy(() => import('./admin/PrivacyTab'));
// Visit types (types19): add/rename/archive with their texts, on demand.
const TypesTab = lazy(() => import('./admin/TypesTab'));
// The new tabs' labels live here, not in the language bundle that every screen loads (`npm run size`).
const LAZY_TAB_LABELS: Record<string, Record<'reports' | 'audit' | 'privacy', string>> = {
  ar: { reports: 'التقارير', audit: 'سجل التدقيق', privacy: 'الخصوصية' },
  fr: { reports: 'Rapports', audit: 'Audit', privacy: 'Confidentialité' },
  en: { reports: 'Reports', audit: 'Audit trail', privacy: 'Privacy' },
};

const TABS = [
  'profile',
  'hours',
  'rules',
  'types',
  'members',
  'templates',
  'budget',
  'apiKeys',
  'reports',
  'audit',
  'privacy',
] as const;
type Tab = (typeof TABS)[number];

export default function AdminPage() {
  // the admin screens' strings come with this page, in the reader's language (src/i18n/pageStrings.ts)
  const { t } = useTranslation();
  const ready = usePageStrings('admin', true);
  const deskStrings = usePageStrings('dash'); // the team list names a member's room as the desk does
  if (!ready || !deskStrings) return <LoadingBlock label={t('common.loading')} />;
  return <StaffGate>{(m) => <Admin member={m} />}</StaffGate>;
}

function Admin({ member }: { member: Membership }) {
  const { t, i18n } = useTranslation();
  const label = (k: Tab) =>
    k === 'reports' || k === 'audit' || k === 'privacy'
      ? (LAZY_TAB_LABELS[i18n.language] ?? LAZY_TAB_LABELS['en']!)[k]
      : t(`admin.tabs.${k}`);
  const [tab, setTab] = useState<Tab>('profile');
  const isAdmin = member.role === 'owner' || member.role === 'admin';
  return (
    <div>
      <PageTitle>{t('admin.title')}</PageTitle>
      {!isAdmin && <p className="mb-4 rounded-xl bg-warn-50 p-3 text-warn-700">{t('admin.ownerOnly')}</p>}
      <div className="grid gap-6 lg:grid-cols-[14rem_1fr]">
        <div
          role="tablist"
          aria-label={t('admin.title')}
          aria-orientation="vertical"
          className="flex gap-1 overflow-x-auto lg:flex-col"
        >
          {TABS.map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              id={`admin-tab-${k}`}
              aria-selected={tab === k}
              aria-controls={`admin-panel-${k}`}
              onClick={() => setTab(k)}
              className={cx(
                'whitespace-nowrap rounded-xl px-4 py-2.5 text-start text-sm font-semibold',
                tab === k ? 'bg-brand-700 text-white' : 'text-ink hover:bg-brand-50',
              )}
            >
              {label(k)}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
          {tab === 'profile' && <ProfileTab clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'hours' && <HoursTab clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'rules' && (
            <div className="flex flex-col gap-4">
              <RulesTab clinicId={member.clinicId} canEdit={isAdmin} />
              <RemoteJoinSection clinicId={member.clinicId} canEdit={isAdmin} />
              <WaitlistSection clinicId={member.clinicId} canEdit={isAdmin} />
              <Suspense fallback={<LoadingBlock label={t('common.loading')} rows={2} />}>
                <BoardScreensSection
                  clinicId={member.clinicId}
                  canPair={member.role !== 'practitioner'}
                  canBrand={isAdmin}
                />
              </Suspense>
            </div>
          )}
          {tab === 'types' && (
            <Suspense fallback={<LoadingBlock label={t('common.loading')} rows={3} />}>
              <TypesTab clinicId={member.clinicId} canEdit={isAdmin} />
            </Suspense>
          )}
          {tab === 'members' && (
            <MembersTab clinicId={member.clinicId} canInvite={isAdmin} myRole={member.role} />
          )}
          {tab === 'templates' && (
            <div className="flex flex-col gap-4">
              <RemindersSection clinicId={member.clinicId} canEdit={isAdmin} />
              <DefaultChannelSection clinicId={member.clinicId} canEdit={isAdmin} />
              <WhatsAppSection clinicId={member.clinicId} canEdit={isAdmin} />
              <TemplatesTab clinicId={member.clinicId} canEdit={isAdmin} />
            </div>
          )}
          {tab === 'budget' && <BudgetTab clinicId={member.clinicId} />}
          {tab === 'apiKeys' && (
            <Suspense fallback={<LoadingBlock label={t('common.loading')} rows={3} />}>
              <ApiKeysTab clinicId={member.clinicId} canEdit={isAdmin} />
            </Suspense>
          )}
          {tab === 'reports' &&
            (isAdmin ? (
              <Suspense fallback={<LoadingBlock label={t('common.loading')} rows={4} />}>
                <ReportsTab clinicId={member.clinicId} />
              </Suspense>
            ) : (
              <p className="text-muted">{t('admin.ownerOnly')}</p>
            ))}
          {tab === 'audit' &&
            (isAdmin ? (
              <Suspense fallback={<LoadingBlock label={t('common.loading')} rows={4} />}>
                <AuditTab clinicId={member.clinicId} />
              </Suspense>
            ) : (
              <p className="text-muted">{t('admin.ownerOnly')}</p>
            ))}
          {tab === 'privacy' && (
            <Suspense fallback={<LoadingBlock label={t('common.loading')} rows={3} />}>
              <PrivacyTab clinicId={member.clinicId} isOwner={member.role === 'owner'} />
            </Suspense>
          )}
        </div>
      </div>
    </div>
  );
}
