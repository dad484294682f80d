/** Staff screens: wait for the session, send strangers to sign in, explain when the account has no clinic. */
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { useSession } from '../hooks/useAuth';
import { useMembership, type Membership } from '../hooks/useStaffService';
import { SignOutButton } from './SignOutButton';
import { StaffServicesScope } from '../hooks/StaffServicesScope';
import { AppShell, type NavItem } from './AppShell';
import { Link, navigate } from './router';
import { EmptyState, LoadingBlock } from './ui';

export function useStaffNav(m: Membership | null | undefined): NavItem[] {
  const { t } = useTranslation();
  if (!m) return [];
  const items: NavItem[] = [
    { to: '/staff', label: t('nav.dashboard') },
    { to: '/kiosk', label: t('nav.kiosk') },
  ];
  if (m.role === 'owner' || m.role === 'admin') items.push({ to: '/admin', label: t('nav.admin') });
  return items;
}

export function StaffGate({
  children,
  fullBleed,
}: {
  children: (m: Membership) => ReactNode;
  fullBleed?: boolean;
}) {
  const { t } = useTranslation();
  const user = useSession();
  const membership = useMembership(user?.userId ?? null);
  const nav = useStaffNav(membership.data);
  useEffect(() => {
    if (user === null)
      navigate(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`, { replace: true });
  }, [user]);
  if (user === undefined || user === null || (membership.isPending && membership.fetchStatus !== 'idle')) {
    return (
      <AppShell>
        <LoadingBlock label={t('common.loading')} rows={6} />
      </AppShell>
    );
  }
  if (!membership.data) {
    return (
      <AppShell right={<SignOutButton name={user.fullName || user.phone || user.email || ''} />}>
        <EmptyState
          icon="🔒"
          title={t('auth.noClinic')}
          action={
            <Link className="font-semibold text-brand-800 underline" to="/me">
              {t('nav.myVisits')}
            </Link>
          }
        />
      </AppShell>
    );
  }
  const m = membership.data;
  if (fullBleed) return <StaffServicesScope>{children(m)}</StaffServicesScope>;
  return (
    <StaffServicesScope>
      <AppShell nav={nav} right={<SignOutButton name={m.displayName} />}>
        {children(m)}
      </AppShell>
    </StaffServicesScope>
  );
}
