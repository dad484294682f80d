/** The day's queue as a table: filter (in progress / all / finished), search (/), one row per entry. */
import { useState, type RefObject } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Badge, EmptyState, Input, cx } from '../../components/ui';
import type { QueueEntryView, QueueView } from '../../hooks/useQueue';
import { visitTypeLabel } from '../../services/clinic/api';
import type { QueueCommand } from '../../hooks/useQueue';
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
  /** A clinic time (HH:mm) from the server's offsets for the clinic's zone, never the browser's rules. */
  timeOf: (instant: string) => string;
  nameOf: (practitionerId: string | null) => string;
  /** The clinic's visit types (the desk's load): a coloured type shows as a dot and its name on the row. */
  types: QueueView['directory']['appointmentTypes'];
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
          {/* on a phone (< 640 px) each row is a card: number, ticket, status and wait on top, the patient,
              then the actions — nothing hidden behind a sideways scroll (issue 15.13) */}
          <table
            className="w-full text-start text-sm max-sm:block sm:min-w-[760px]"
            aria-label={t('dash.title')}
          >
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-muted max-sm:hidden">
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
            {/* one row group per doctor's pool: positions count within a pool (1, 2, 3 …), so the column
                never reads 1, 1, 2, 2 across doctors without saying whose line it is (issue 15.12) */}
            {byPool(rows).map(([pool, entries]) => (
              <tbody key={pool ?? 'any'} data-testid={`pool-${pool ?? 'any'}`} className="max-sm:block">
                <tr className="border-t border-line bg-slate-50/70 max-sm:block">
                  <th
                    scope="rowgroup"
                    colSpan={6}
                    className="px-3 py-1.5 text-start text-xs font-semibold uppercase tracking-wide text-muted max-sm:block"
                  >
                    <bdi>{row.nameOf(pool)}</bdi> · {t('dash.poolCount', { count: entries.length })}
                  </th>
                </tr>
                {entries.map((e) => (
                  <QueueRow key={e.id} entry={e} {...row} />
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </>
  );
}

/** Rows grouped by pool (the assigned doctor, or "any"), pools in the order their first row appears. */
function byPool(rows: readonly QueueEntryView[]): [string | null, QueueEntryView[]][] {
  const pools = new Map<string | null, QueueEntryView[]>();
  for (const e of rows) pools.set(e.practitionerId, [...(pools.get(e.practitionerId) ?? []), e]);
  return [...pools.entries()];
}

function QueueRow({
  entry: e,
  closed,
  busy,
  desk,
  nextId,
  timeOf,
  nameOf,
  types,
  onCmd,
  onDialog,
}: RowProps & { entry: QueueEntryView }) {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'fr';
  const type = types.find((ty) => ty.id === e.appointmentTypeId && ty.color);
  const isNext = e.id === nextId;
  return (
    <tr
      data-testid={`row-${e.ticket}`}
      className={cx(
        'border-t border-line align-middle',
        'max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:gap-x-3 max-sm:gap-y-1.5 max-sm:px-3 max-sm:py-3',
        e.priority === 'emergency' && ACTIVE.includes(e.status) && 'bg-red-50/60',
        (e.status === 'called' || e.status === 'in_service') && 'bg-brand-50/60',
      )}
    >
      <td className="tabular px-3 py-2.5 text-lg font-bold text-muted max-sm:order-1 max-sm:p-0">
        {e.position ?? '—'}
      </td>
      <td className="tabular px-3 py-2.5 font-mono text-base font-bold max-sm:order-2 max-sm:p-0">
        {/* one unit in any direction: "A-007" never wraps or reorders (issue 15.8, 15.13) */}
        <bdi dir="ltr" className="whitespace-nowrap" data-testid={`ticket-${e.ticket}`}>
          {e.ticket}
        </bdi>
      </td>
      <td className="px-3 py-2.5 max-sm:order-5 max-sm:basis-full max-sm:p-0">
        <div className="font-semibold">
          <bdi>{e.patientName}</bdi>
        </div>
        <div className="mt-1 flex flex-wrap gap-1 text-xs text-muted">
          <bdi>{nameOf(e.practitionerId)}</bdi>
          {/* the visit type (issue 17): its colour as a dot, and its name — never the colour alone */}
          {type && (
            <>
              <span
                aria-hidden
                className="size-2.5 self-center rounded-full"
                style={{ backgroundColor: type.color! }}
              />
              <bdi data-testid={`type-${e.ticket}`}>{visitTypeLabel(type, lang)}</bdi>
            </>
          )}
          {e.slotAt && <span>· {t('dash.slot', { time: timeOf(e.slotAt) })}</span>}
          {e.kind === 'walk_in' && <Badge>{t('dash.walkInBadge')}</Badge>}
          {e.priority !== 'normal' && (
            <Badge tone={e.priority === 'emergency' ? 'danger' : 'warn'}>{t(`priority.${e.priority}`)}</Badge>
          )}
          {e.late && (
            <Badge tone="warn">
              {t('dash.late')}
              {e.runningLateMinutes != null &&
                ` · ${t('tracker.lateMinutes', { minutes: e.runningLateMinutes })}`}
            </Badge>
          )}
          {e.skipCount > 0 && (
            <Badge tone="info" className="tabular">
              {t('dash.skipped', { n: e.skipCount })}
            </Badge>
          )}
        </div>
      </td>
      <td className="px-3 py-2.5 max-sm:order-3 max-sm:p-0">
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
      <td
        data-label={`${t('dash.colWait')} `}
        className="tabular px-3 py-2.5 text-muted max-sm:order-4 max-sm:ms-auto max-sm:p-0 max-sm:before:content-[attr(data-label)]"
      >
        {/* "not known yet" in the desk's language when nobody will call them today (not a dash) */}
        {e.wait ? formatWaitForPatient(e.wait.display, lang) : '—'}
      </td>
      <td className="px-3 py-2.5 max-sm:order-6 max-sm:basis-full max-sm:p-0">
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
