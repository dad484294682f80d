/**
 * Clinic admin — confirm removing a member from the team (issue 17). Lazy: loaded when Remove is pressed, so
 * the dialog's code stays out of the admin page's first load. The database (remove_member) refuses the last
 * active owner (MEMBER.LAST_OWNER) and a member with visits on record (MEMBER.HAS_HISTORY); a refusal shows as
 * its coded message in the reader's language. For MEMBER.HAS_HISTORY the dialog stays open, says why, and
 * offers Deactivate instead (set_team active = false): their name stays on the visits they saw.
 */
import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useToast } from '../../components/Toasts';
import { AppErrorException } from '../../hooks/AppErrorException';
import { useStaffService, type Member } from '../../hooks/useStaffService';
import { useErrorText } from '../../i18n/pageStrings';
import { useTranslation } from '../../i18n/TranslatorContext';

export default function RemoveMemberDialog({
  clinicId,
  member,
  onClose,
}: {
  clinicId: string;
  member: Member;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const { removeMember, updateTeam } = useStaffService(clinicId);
  const [hasHistory, setHasHistory] = useState(false);
  const failed = (e: unknown) => {
    toast.error(e);
    onClose();
  };
  if (hasHistory)
    return (
      <Dialog
        open
        title={t('admin.teamRemoveTitle', { name: member.displayName })}
        description={errorText('MEMBER.HAS_HISTORY')}
        busy={updateTeam.isPending}
        onClose={onClose}
        {...(member.active
          ? {
              confirmLabel: t('admin.teamDeactivate'),
              onConfirm: () =>
                updateTeam.mutateAsync([{ memberId: member.id, active: false }]).then((r) => {
                  toast.ok(t('admin.teamDeactivated'));
                  // review20 L1: the doctor's open visits need another doctor
                  if (r.futureVisits > 0) toast.ok(t('admin.teamFutureVisits', { count: r.futureVisits }));
                  onClose();
                }, failed),
            }
          : {})}
      />
    );
  return (
    <Dialog
      open
      title={t('admin.teamRemoveTitle', { name: member.displayName })}
      description={t('admin.teamRemoveBody')}
      confirmLabel={t('admin.teamRemove')}
      confirmVariant="danger"
      busy={removeMember.isPending}
      onClose={onClose}
      onConfirm={() =>
        removeMember.mutateAsync(member.id).then(
          () => {
            toast.ok(t('admin.teamRemoved'));
            onClose();
          },
          (e: unknown) =>
            e instanceof AppErrorException && e.code === 'MEMBER.HAS_HISTORY'
              ? setHasHistory(true)
              : failed(e),
        )
      }
    />
  );
}
