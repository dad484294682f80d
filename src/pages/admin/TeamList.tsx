/**
 * Clinic admin — the team list. An owner or admin changes members' roles and deactivates them, saved in one
 * `set_team` call (one transaction: a refusal changes nobody). The editor offers only what the server
 * accepts (`teamEditRights`): only an owner changes an owner, and the last active owner stays one.
 */
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Badge, Button, Input, LoadingBlock, Select } from '../../components/ui';
import { useMembers, useStaffService, type Member, type TeamChangeInput } from '../../hooks/useStaffService';
import { keepsAnOwner, teamEditRights, type TeamRole } from '../../services/clinic/api';
import { useSingleFlight } from '../../hooks/useSingleFlight';

// The remove confirmation loads when Remove is pressed (admin budget: the Dialog is not in the first load).
const RemoveMemberDialog = lazy(() => import('./RemoveMemberDialog'));

type Draft = Readonly<
  Record<string, { readonly role: TeamRole; readonly active: boolean; readonly room: string }>
>;

const roleName = (t: ReturnType<typeof useTranslation>['t'], r: TeamRole) => t(`home.roles.${r}`);

/** The changes a save sends: only members whose drafted role, room or active flag differs from the stored one. */
function changesOf(members: readonly Member[], draft: Draft): TeamChangeInput[] {
  return members.flatMap((m) => {
    const d = draft[m.id];
    if (!d) return [];
    const change: TeamChangeInput = {
      memberId: m.id,
      ...(d.role !== m.role ? { role: d.role } : {}),
      ...(d.active !== m.active ? { active: d.active } : {}),
      // a blank room clears it (null); set_team trims and checks 1–40 characters
      ...(d.room.trim() !== (m.room ?? '') ? { room: d.room.trim() || null } : {}),
    };
    return Object.keys(change).length > 1 ? [change] : [];
  });
}

export function TeamList({ clinicId, myRole }: { clinicId: string; myRole: TeamRole | null }) {
  const { t } = useTranslation();
  const toast = useToast();
  const members = useMembers(clinicId);
  const updateTeam = useSingleFlight(useStaffService(clinicId).updateTeam);
  const [draft, setDraft] = useState<Draft>({});
  const [removing, setRemoving] = useState<Member | null>(null);
  // review20 L1: the open visits still booked with the doctors the last save took out of service
  const [orphaned, setOrphaned] = useState(0);
  if (!members.data) return <LoadingBlock label={t('common.loading')} rows={3} />;
  const team = members.data.map((m) => ({
    id: m.id,
    role: m.role,
    active: m.active,
    room: m.room ?? '',
    ...draft[m.id],
  }));
  const changes = changesOf(members.data, draft);
  // removal is immediate, so it is judged on the stored team, not the draft (never the last active owner)
  const mayRemove = (m: Member) => {
    const r = teamEditRights(myRole, m, members.data);
    return r.editable && r.canDeactivate;
  };
  const canManage = myRole === 'owner' || myRole === 'admin';
  const set = (id: string, patch: Partial<Draft[string]>) => {
    const now = team.find((m) => m.id === id);
    if (now)
      setDraft((d) => ({ ...d, [id]: { role: now.role, active: now.active, room: now.room, ...patch } }));
  };
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col gap-2">
        {members.data.map((m, i) => {
          const drafted = team[i]!;
          const rights = teamEditRights(myRole, drafted, team);
          return (
            <li
              key={m.id}
              data-testid={`member-${m.id}`}
              className="flex flex-wrap items-center gap-3 rounded-xl border border-line p-3"
            >
              <span className="flex-1 font-semibold">{m.displayName}</span>
              {rights.editable ? (
                <>
                  <Select
                    aria-label={t('admin.teamRoleOf', { name: m.displayName })}
                    className="w-auto"
                    value={drafted.role}
                    disabled={rights.roles.length === 1}
                    onChange={(e) => set(m.id, { role: e.target.value as TeamRole })}
                  >
                    {rights.roles.map((r) => (
                      <option key={r} value={r}>
                        {roleName(t, r)}
                      </option>
                    ))}
                  </Select>
                  <Input
                    aria-label={t('admin.teamRoomOf', { name: m.displayName })}
                    className="w-28"
                    maxLength={40}
                    placeholder={t('admin.inviteRoom')}
                    value={drafted.room}
                    onChange={(e) => set(m.id, { room: e.target.value })}
                  />
                  <label className="flex min-h-11 items-center gap-2">
                    <input
                      type="checkbox"
                      checked={drafted.active}
                      disabled={!rights.canDeactivate && drafted.active}
                      onChange={(e) => set(m.id, { active: e.target.checked })}
                    />
                    {t('admin.teamActive')}
                  </label>
                  <Button
                    variant="ghost"
                    aria-label={t('admin.teamRemoveOf', { name: m.displayName })}
                    disabled={!mayRemove(m)}
                    onClick={() => setRemoving(m)}
                  >
                    {t('admin.teamRemove')}
                  </Button>
                  {rights.lastOwner && (
                    <span className="text-sm text-slate-600">{t('admin.teamLastOwner')}</span>
                  )}
                </>
              ) : (
                <>
                  <Badge tone="brand">{roleName(t, m.role)}</Badge>
                  {!m.active && <Badge>{t('admin.teamInactive')}</Badge>}
                  {m.room && <Badge>{t('dash.room', { room: m.room })}</Badge>}
                  {canManage && <span className="text-sm text-slate-600">{t('admin.teamOwnerOnly')}</span>}
                </>
              )}
            </li>
          );
        })}
      </ul>
      {orphaned > 0 && (
        <p role="status" data-testid="team-future-visits" className="rounded-xl bg-amber-50 p-2 text-sm">
          {t('admin.teamFutureVisits', { count: orphaned })}
        </p>
      )}
      {canManage && (
        <div>
          <Button
            type="button"
            busy={updateTeam.isPending}
            disabled={changes.length === 0 || !keepsAnOwner(team)}
            onClick={() =>
              updateTeam.mutate(changes, {
                onSuccess: (r) => {
                  setDraft({});
                  setOrphaned(r.futureVisits);
                  toast.ok(t('admin.saved'));
                },
                onError: (e) => {
                  setDraft({});
                  toast.error(e);
                },
              })
            }
          >
            {t('admin.teamSave')}
          </Button>
        </div>
      )}
      {removing && (
        <Suspense fallback={null}>
          <RemoveMemberDialog clinicId={clinicId} member={removing} onClose={() => setRemoving(null)} />
        </Suspense>
      )}
    </div>
  );
}
