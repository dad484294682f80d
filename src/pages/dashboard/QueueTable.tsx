/** The day's queue as a table: filter (in progress / all / finished), search (/), one row per entry. */
import { useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../components/format';
import { Badge, EmptyState, Input, cx } from '../../components/ui';
import type { QueueEntryView } from '../../hooks/useQueue';
import type { QueueCommand } from '../../hooks/useQueueCommand';
import { isLanguage } from '../../i18n/languages';
import { formatWaitForPatient } from '../../services/queue/api';
import { GraceCountdown } from './GraceCountdown';
import { RowActions } from './RowActions';
import { notSeenAtDayEnd } from './StatsBar';
import type { DialogState } from './types';

type Status = QueueEntryView['status'];
const STATUS_TONE: Record<Status, 'neutral' | 'brand' | 'warn' | 'danger' | 'ok' | 'info'> = {
  scheduled: 'neutral',
  waiting: 'info',
  called: 'brand',
  in_service: 'ok',
  completed: 'neutral',
  cancelled: 'neutral',
  no_show: 'danger',
  absent: 'warn',
};
const ACTIVE: Status[] = ['scheduled', 'waiting', 'called', 'in_service', 'absent'];

interface RowProps {
  closed: boolean;
  busy: boolean;
  desk: { id: string; room: string | null } | null;
  /** The entry "call next" would call for the desk. */
  nextId: string | null;
  timeZone: string;
  nameOf: (practitionerId: string | null) => string;
  onCmd: (c: QueueCommand) => void;
  onDialog: (d: DialogState) => void;
}

export function QueueTable({
  entries,
  searchRef,
  ...row
}: RowProps & { entries: readonly QueueEntryView[]; searchRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<'all' | 'active' | 'done'>('active');
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const rows = entries.filter((e) => {
    if (filter === 'active' && !ACTIVE.includes(e.status)) return false;
    if (filter === 'done' && ACTIVE.includes(e.status)) return false;
    return !needle || e.ticket.toLowerCase().includes(needle) || e.patientName.toLowerCase().includes(needle);
  });
  return (
    <>
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <div
          role="group"
          aria-label={t('dash.colStatus')}
          className="flex rounded-xl border border-line bg-white p-0.5"
        >
          {(['active', 'all', 'done'] as const).map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter === f}
              onClick={() => setFilter(f)}
              className={cx(
                'min-h-9 rounded-lg px-3 text-sm font-semibold',
                filter === f ? 'bg-brand-700 text-white' : 'text-ink',
              )}
            >
              {t(f === 'all' ? 'dash.filterAll' : f === 'active' ? 'dash.filterActive' : 'dash.filterDone')}
            </button>
          ))}
        </div>
        <Input
          ref={searchRef}
          type="search"
          aria-label={t('dash.search')}
          placeholder={`${t('dash.search')}  /`}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="max-w-xs"
        />
      </div>

      {rows.length === 0 ? (
        row.closed ? (
          <EmptyState icon="🌙" title={t('dash.emptyClosed')} />
        ) : (
          <EmptyState icon="🪑" title={t('dash.empty')} hint={t('dash.emptyHint')} />
        )
      ) : (
        <div className="overflow-x-auto rounded-2xl border border-line bg-white">
          <table className="w-full min-w-[760px] text-start text-sm" aria-label={t('dash.title')}>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-muted">
              <tr>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colPos')}
                </th>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colTicket')}
                </th>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colPatient')}
                </th>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colStatus')}
                </th>
                <th scope="col" className="px-3 py-2 text-start">
                  {t('dash.colWait')}
                </th>
                <th scope="col" className="px-3 py-2 text-end">
                  {t('dash.colActions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <QueueRow key={e.id} entry={e} {...row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function QueueRow({
  entry: e,
  closed,
  busy,
  desk,
  nextId,
  timeZone,
  nameOf,
  onCmd,
  onDialog,
}: RowProps & { entry: QueueEntryView }) {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'fr';
  const isNext = e.id === nextId;
  return (
    <tr
      data-testid={`row-${e.ticket}`}
      className={cx(
        'border-t border-line align-middle',
        e.priority === 'emergency' && ACTIVE.includes(e.status) && 'bg-red-50/60',
        (e.status === 'called' || e.status === 'in_service') && 'bg-brand-50/60',
      )}
    >
      <td className="tabular px-3 py-2.5 text-lg font-bold text-muted">{e.position ?? '—'}</td>
      <td className="tabular px-3 py-2.5 font-mono text-base font-bold" dir="ltr">
        {e.ticket}
      </td>
      <td className="px-3 py-2.5">
        <div className="font-semibold">{e.patientName}</div>
        <div className="mt-1 flex flex-wrap gap-1 text-xs text-muted">
          <span>{nameOf(e.practitionerId)}</span>
          {e.slotAt && (
            <span>· {t('dash.slot', { time: formatTime(e.slotAt, i18n.language, timeZone) })}</span>
          )}
          {e.kind === 'walk_in' && <Badge>{t('dash.walkInBadge')}</Badge>}
          {e.priority !== 'normal' && (
            <Badge tone={e.priority === 'emergency' ? 'danger' : 'warn'}>{t(`priority.${e.priority}`)}</Badge>
          )}
          {e.late && <Badge tone="warn">{t('dash.late')}</Badge>}
          {e.skipCount > 0 && (
            <Badge tone="info" className="tabular">
              {t('dash.skipped', { n: e.skipCount })}
            </Badge>
          )}
        </div>
      </td>
      <td className="px-3 py-2.5">
        <div className="flex flex-col items-start gap-1">
          {notSeenAtDayEnd(e) ? (
            <Badge tone="warn">{t('dash.notSeen')}</Badge>
          ) : (
            <Badge tone={STATUS_TONE[e.status]}>{t(`status.${e.status}`)}</Badge>
          )}
          {e.status === 'absent' && e.graceEndsAt && (
            <GraceCountdown ticket={e.ticket} graceEndsAt={e.graceEndsAt} />
          )}
          {e.room && (e.status === 'called' || e.status === 'in_service') && (
            <span className="text-xs text-muted">{t('dash.room', { room: e.room })}</span>
          )}
        </div>
      </td>
      <td className="tabular px-3 py-2.5 text-muted">
        {e.wait && e.wait.kind === 'estimate' ? formatWaitForPatient(e.wait.display, lang) : '—'}
      </td>
      <td className="px-3 py-2.5">
        <RowActions
          entry={e}
          closed={closed}
          busy={busy}
          onCmd={onCmd}
          onDialog={onDialog}
          deskMember={desk}
          isNext={isNext}
        />
      </td>
    </tr>
  );
}
