/**
 * Clinic admin: profile, working hours (split days) and closed dates, queue rules, visit types, team and
 * invitations, SMS templates per language with live preview + segment/cost count, SMS budget and log,
 * API keys for REST /v1.
 * One file per tab in ./admin.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StaffGate } from '../components/StaffGate';
import { PageTitle, cx } from '../components/ui';
import type { Membership } from '../hooks/useStaffService';
import { ApiKeysTab } from './admin/ApiKeysTab';
import { BudgetTab } from './admin/BudgetTab';
import { HoursTab } from './admin/HoursTab';
import { MembersTab } from './admin/MembersTab';
import { ProfileTab } from './admin/ProfileTab';
import { RulesTab } from './admin/RulesTab';
import { TemplatesTab } from './admin/TemplatesTab';
import { TypesTab } from './admin/TypesTab';

const TABS = ['profile', 'hours', 'rules', 'types', 'members', 'templates', 'budget', 'apiKeys'] as const;
type Tab = (typeof TABS)[number];

export default function AdminPage() {
  return <StaffGate>{(m) => <Admin member={m} />}</StaffGate>;
}

function Admin({ member }: { member: Membership }) {
  const { t } = useTranslation();
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
              {t(`admin.tabs.${k}`)}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
          {tab === 'profile' && <ProfileTab clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'hours' && <HoursTab clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'rules' && <RulesTab clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'types' && <TypesTab clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'members' && <MembersTab clinicId={member.clinicId} canInvite={isAdmin} />}
          {tab === 'templates' && <TemplatesTab clinicId={member.clinicId} canEdit={isAdmin} />}
          {tab === 'budget' && <BudgetTab clinicId={member.clinicId} />}
          {tab === 'apiKeys' && <ApiKeysTab clinicId={member.clinicId} canEdit={isAdmin} />}
        </div>
      </div>
    </div>
  );
}
