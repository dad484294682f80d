/**
 * Clinic admin — the pending invitations (issue 17): who was invited (name, email/phone), as what, until when,
 * and Revoke behind a confirmation. Revoking goes through `revoke_staff_invitation` (the database checks the
 * caller is an owner/admin of the invitation's clinic). Resend (`resend_staff_invitation`, same caps as a new
 * invitation) renews a pending or expired one for 7 days under a new link, shown in its row; the old link stops
 * working. Lazy: only owners and admins open it.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Dialog } from '../../components/Dialog';
import { Badge, Button, EmptyState, LoadingBlock } from '../../components/ui';
import { useInvitations, useStaffService, type Invitation } from '../../hooks/useStaffService';

/** Not yet accepted nor revoked (an expired one stays listed with its date, so it can be revoked too). */
const isPending = (i: Invitation) => i.acceptedAt === null && i.revokedAt === null;

export default function InvitationsSection({ clinicId }: { clinicId: string }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const invitations = useInvitations(clinicId);
  const { revokeInvitation, resendInvitation } = useStaffService(clinicId);
  const [confirm, setConfirm] = useState<Invitation | null>(null);
  // the new link of each invitation resent here (its token is shown once, like a new invitation's)
  const [links, setLinks] = useState<Readonly<Record<string, string>>>({});
  if (!invitations.data) return <LoadingBlock label={t('common.loading')} rows={2} />;
  const pending = invitations.data.filter(isPending);
  const day = (iso: string) => new Date(iso).toLocaleDateString(i18n.language, { dateStyle: 'medium' });
  return (
    <div className="flex flex-col gap-2">
      {pending.length === 0 ? (
        <EmptyState title={t('admin.pendingEmpty')} />
      ) : (
        <ul className="flex flex-col gap-2">
          {pending.map((inv) => (
            <li
              key={inv.id}
              data-testid={`invitation-${inv.id}`}
              className="flex flex-wrap items-center gap-3 rounded-xl border border-line p-3"
            >
              <span className="flex flex-1 flex-col">
                <span className="font-semibold">{inv.displayName}</span>
                {(inv.email ?? inv.phone) && (
                  <span className="text-sm text-slate-600" dir="ltr">
                    {inv.email ?? inv.phone}
                  </span>
                )}
              </span>
              <Badge tone="brand">{t(`home.roles.${inv.role}`)}</Badge>
              <span className="text-sm text-slate-600">
                {t('admin.pendingExpires', { date: day(inv.expiresAt) })}
              </span>
              <Button
                type="button"
                variant="secondary"
                aria-label={t('admin.pendingResendOf', { name: inv.displayName })}
                busy={resendInvitation.isPending && resendInvitation.variables === inv.id}
                onClick={() =>
                  resendInvitation.mutate(inv.id, {
                    onSuccess: (r) => {
                      setLinks((l) => ({ ...l, [inv.id]: `${window.location.origin}/invite/${r.token}` }));
                      toast.ok(t('admin.pendingResent'));
                    },
                    onError: (e) => toast.error(e),
                  })
                }
              >
                {t('admin.pendingResend')}
              </Button>
              <Button
                type="button"
                variant="secondary"
                aria-label={t('admin.pendingRevokeOf', { name: inv.displayName })}
                onClick={() => setConfirm(inv)}
              >
                {t('admin.pendingRevoke')}
              </Button>
              {links[inv.id] && (
                <p className="w-full rounded-xl bg-brand-50 p-3 text-sm">
                  {t('admin.pendingNewLink')}{' '}
                  <code className="break-all font-mono" dir="ltr" data-testid={`invitation-link-${inv.id}`}>
                    {links[inv.id]}
                  </code>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <Dialog
        open={confirm !== null}
        title={t('admin.pendingRevokeTitle')}
        description={t('admin.pendingRevokeBody', { name: confirm?.displayName ?? '' })}
        confirmLabel={t('admin.pendingRevoke')}
        confirmVariant="danger"
        busy={revokeInvitation.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={() =>
          confirm &&
          revokeInvitation.mutateAsync(confirm.id).then(
            () => {
              setConfirm(null);
              toast.ok(t('admin.pendingRevoked'));
            },
            (e: unknown) => {
              setConfirm(null);
              toast.error(e);
            },
          )
        }
      />
    </div>
  );
}
