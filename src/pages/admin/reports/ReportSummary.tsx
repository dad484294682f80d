/** The Reports tab's headline figures, and the columns of its visits table (on screen and in the CSV). */
import type { ReportBreakdown, VisitRow } from '../../../hooks/useReports';
import type { CsvCell } from '../../../services/reports/api';
import { pct } from './parts';
import { fill, type ReportStrings } from './strings';

export function ReportSummary({
  s,
  sum,
  num,
}: {
  s: ReportStrings;
  sum: VisitRow | undefined;
  num(x: number | null): string;
}) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="reports-summary">
      {[
        [s.summary.seen, num(sum?.seen ?? 0)],
        [s.summary.noShowRate, sum?.noShowRate == null ? '—' : `${num(pct(sum.noShowRate))} %`],
        [s.summary.lateRate, sum?.lateRate == null ? '—' : `${num(pct(sum.lateRate))} %`],
        [s.summary.walkInShare, `${num(sum?.walkIn ?? 0)} / ${num(sum?.visits ?? 0)}`],
        [
          s.summary.waitMedian,
          sum?.waitMedian == null ? '—' : fill(s.minutes, { n: num(sum.waitMedian) }),
        ],
        [s.summary.waitP90, sum?.waitP90 == null ? '—' : fill(s.minutes, { n: num(sum.waitP90) })],
        [
          s.summary.visitMedian,
          sum?.visitMedian == null ? '—' : fill(s.minutes, { n: num(sum.visitMedian) }),
        ],
      ].map(([k, v]) => (
        <div key={k} className="rounded-xl border border-line bg-white p-3">
          <dt className="text-xs text-muted">{k}</dt>
          <dd className="tabular text-xl font-bold">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The visits table's header and each row's cells; a breakdown adds the "who" column. */
export function visitColumns(s: ReportStrings, by: ReportBreakdown) {
  const whoOf = (r: VisitRow) => (by === 'total' ? s.visits.all : (r.label ?? s.visits.unassigned));
  const visitHeader = [
    s.visits.period,
    ...(by === 'total' ? [] : [s.visits.who]),
    s.visits.visits,
    s.visits.seen,
    s.visits.walkIn,
    s.visits.booked,
    s.visits.noShow,
    s.visits.cancelled,
    s.visits.late,
    s.visits.noShowRate,
    s.visits.lateRate,
    s.visits.waitMedian,
    s.visits.waitP90,
    s.visits.visitMedian,
    s.visits.visitP90,
  ];
  const visitCells = (r: VisitRow): CsvCell[] => [
    r.period ?? s.visits.total,
    ...(by === 'total' ? [] : [whoOf(r)]),
    r.visits,
    r.seen,
    r.walkIn,
    r.booked,
    r.noShow,
    r.cancelled,
    r.late,
    pct(r.noShowRate),
    pct(r.lateRate),
    r.waitMedian,
    r.waitP90,
    r.visitMedian,
    r.visitP90,
  ];
  return { visitHeader, visitCells };
}
