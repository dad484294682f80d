/** Clinic admin — the members tab: the team (editable by an owner/admin, TeamList) and invitations. */
import { lazy, Suspense, useId, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button, Field, LoadingBlock, Select, TextField } from '../../components/ui';
import { useStaffService } from '../../hooks/useStaffService';
import type { TeamRole } from '../../services/clinic/api';
import { readPhoneField } from '../../services/shared/phoneField';
import { Section } from './shared';
import { TeamList } from './TeamList';
import { useSingleFlight } from '../../hooks/useSingleFlight';

// Pending invitations (issue 17): owners/admins only, so its code loads when they open the tab (admin budget).
const InvitationsSection = lazy(() => import('./InvitationsSection'));

export function MembersTab({
  clinicId,
  canInvite,
  myRole,
}: {
  clinicId: string;
  canInvite: boolean;
  myRole: TeamRole | null;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const invite = useSingleFlight(useStaffService(clinicId).invite);
  const [role, setRole] = useState('practitioner');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [phoneInvalid, setPhoneInvalid] = useState(false);
  const [room, setRoom] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const inviteHeading = useId();
  return (
    <div className="flex flex-col gap-4">
      <Section title={t('admin.members')}>
        <TeamList clinicId={clinicId} myRole={myRole} />
      </Section>
      {canInvite && (
        <Section title={t('admin.pendingTitle')}>
          <Suspense fallback={<LoadingBlock label={t('common.loading')} rows={2} />}>
            <InvitationsSection clinicId={clinicId} />
          </Suspense>
        </Section>
      )}
      {canInvite && (
        <Section title={t('admin.invite')} headingId={inviteHeading}>
          {/* A named form: its Name/Room fields are announced within "Invite a team member", apart from the
              team list's "Room of …" fields above. */}
          <form
            aria-labelledby={inviteHeading}
            className="grid gap-3 sm:grid-cols-2"
            onSubmit={(e) => {
              e.preventDefault();
              // The one phone rule of every form: blank, or a number the domain parser accepts, in E.164.
              readPhoneField(phone)
                .then((read) => {
                  setPhoneInvalid(!read.ok);
                  if (!read.ok) return;
                  invite.mutate(
                    {
                      role: role as 'practitioner' | 'receptionist' | 'admin',
                      displayName: name.trim(),
                      email: email.trim() || null,
                      phone: read.value,
                      room: room.trim() || null,
                    },
                    {
                      onSuccess: (r) => setLink(`${window.location.origin}/invite/${r.token}`),
                      onError: (err) => toast.error(err),
                    },
                  );
                })
                .catch(() => setPhoneInvalid(true));
            }}
          >
            <Field label={t('admin.inviteRole')}>
              {(id) => (
                <Select id={id} value={role} onChange={(e) => setRole(e.target.value)}>
                  {(['practitioner', 'receptionist', 'admin'] as const).map((r) => (
                    <option key={r} value={r}>
                      {t(`home.roles.${r}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <TextField label={t('admin.inviteName')} required value={name} onValue={setName} />
            <TextField
              label={t('admin.inviteEmail')}
              type="email"
              dir="ltr"
              value={email}
              onValue={setEmail}
            />
            <div className="flex flex-col gap-1">
              <TextField
                label={t('admin.invitePhone')}
                type="tel"
                dir="ltr"
                inputMode="tel"
                value={phone}
                onValue={setPhone}
                aria-invalid={phoneInvalid || undefined}
              />
              {phoneInvalid && (
                <p role="alert" className="text-sm text-danger-700" data-testid="invite-phone-error">
                  {t('errors.PHONE.INVALID')}
                </p>
              )}
            </div>
            <TextField label={t('admin.inviteRoom')} value={room} onValue={setRoom} />
            <div className="flex items-end">
              <Button type="submit" busy={invite.isPending}>
                {t('admin.inviteSend')}
              </Button>
            </div>
          </form>
          {link && (
            <p className="mt-4 rounded-xl bg-brand-50 p-3 text-sm">
              {t('admin.inviteLink')}{' '}
              <code className="break-all font-mono" dir="ltr" data-testid="invite-link">
                {link}
              </code>
            </p>
          )}
        </Section>
      )}
    </div>
  );
}
