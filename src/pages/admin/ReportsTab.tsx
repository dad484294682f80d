/**
 * Clinic admin — the Reports tab (issue 19), loaded on demand with its charts (recharts), texts and print
 * stylesheet: no other screen carries them. Per day / week / month over a week, month, quarter or year,
 * per practitioner or visit type: patients seen, walk-in vs booked, no-show and late rates, waiting time
 * (median, p90), visit length, the busiest hours (weekday × hour), how accurate the wait estimates were,
 * SMS sent and their cost. Every table downloads as CSV (UTF-8 with BOM); "Print" gives the page alone.
 * The figures are computed by the database for owners and admins only.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, EmptyState, LoadingBlock, Select, cx } from '../../components/ui';
import { translateError } from '../../i18n/lazy';
import { useClinicProfile, useClinicTime } from '../../hooks/useClinicService';
import {
  useAccuracyReport,
  useBusyHoursReport,
  useSmsReport,
  useVisitsReport,
  type ReportBreakdown,
  type ReportPeriod,
  type ReportRange,
  type VisitRow,
} from '../../hooks/useReports';
import {
  REPORT_BREAKDOWNS,
  REPORT_PERIODS,
  REPORT_SPANS,
  rangeOf,
  shiftRange,
  toCsv,
  type CsvCell,
  type ReportSpan,
} from '../../services/reports/api';
import { VisitsChart, WaitChart } from './reports/ReportCharts';
import { fill, stringsFor, type ReportStrings } from './reports/strings';
import './reports/reports.print.css';

/** Saves `text` as a file (the browser's download). */
function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function Panel({
  id,
  title,
  onCsv,
  csvLabel,
  children,
}: {
  id: string;
  title: string;
  onCsv?: (() => void) | undefined;
  csvLabel: string;
  children: React.ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="rounded-2xl border border-line bg-white p-4 shadow-sm"
    >
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 id={`${id}-title`} className="text-base font-bold">
          {title}
        </h3>
        {onCsv && (
          <span data-no-print>
            <Button size="sm" variant="secondary" onClick={onCsv} data-testid={`${id}-csv`}>
              {csvLabel}
            </Button>
          </span>
        )}
      </div>
      {children}
    </section>
  );
}

function Table({
  caption,
  header,
  rows,
}: {
  caption: string;
  header: readonly string[];
  rows: readonly (readonly React.ReactNode[])[];
}) {
  return (
    <div className="overflow-x-auto">
      <table className="tabular w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h} scope="col" className="border-b border-line px-2 py-1.5 text-start font-semibold">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="odd:bg-slate-50">
              {r.map((c, j) =>
                j === 0 ? (
                  <th key={j} scope="row" className="px-2 py-1.5 text-start font-medium" dir="auto">
                    {c}
                  </th>
                ) : (
                  <td key={j} className="px-2 py-1.5">
                    {c}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

export default function ReportsTab({ clinicId }: { clinicId: string }) {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  const s = stringsFor(lng);
  const clinicTime = useClinicTime(clinicId, lng);
  const profile = useClinicProfile(clinicId);
  const [span, setSpan] = useState<ReportSpan>('month');
  const [anchor, setAnchor] = useState<string | null>(null);
  const [period, setPeriod] = useState<ReportPeriod>('day');
  const [by, setBy] = useState<ReportBreakdown>('total');
  const today = clinicTime?.today ?? null;
  const day = anchor ?? today;
  if (!day) return <LoadingBlock label={s.loading} rows={3} />;
  return (
    <Report
      key={`${span}:${day}`}
      clinicId={clinicId}
      clinicName={profile.data?.name ?? ''}
      s={s}
      lng={lng}
      span={span}
      day={day}
      period={period}
      by={by}
      onSpan={(v) => {
        setSpan(v);
        setPeriod(v === 'year' ? 'month' : v === 'quarter' ? 'week' : 'day');
      }}
      onShift={(steps) => setAnchor(shiftRange(span, day, steps).from)}
      onPeriod={setPeriod}
      onBy={setBy}
      errorText={(code) => translateError(i18n, code)}
    />
  );
}

function Report(props: {
  clinicId: string;
  clinicName: string;
  s: ReportStrings;
  lng: string;
  span: ReportSpan;
  day: string;
  period: ReportPeriod;
  by: ReportBreakdown;
  onSpan(v: ReportSpan): void;
  onShift(steps: number): void;
  onPeriod(v: ReportPeriod): void;
  onBy(v: ReportBreakdown): void;
  errorText(code: string | undefined): string;
}) {
  const { s, lng, span, day, period, by, clinicId } = props;
  const { from, to } = rangeOf(span, day);
  const range: ReportRange = { clinicId, from, to, period };
  const total = useVisitsReport(range, 'total');
  const breakdown = useVisitsReport(range, by);
  const busy = useBusyHoursReport(range);
  const accuracy = useAccuracyReport(range);
  const sms = useSmsReport(range);
  const nf = new Intl.NumberFormat(lng === 'ar' ? 'ar-MA' : lng, { maximumFractionDigits: 1 });
  const num = (x: number | null) => (x === null ? '—' : nf.format(x));
  const mf = new Intl.NumberFormat(lng === 'ar' ? 'ar-MA' : lng, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  const fileName = (what: string) => `queuemed-${what}-${from}_${to}.csv`;
  const error = total.error ?? breakdown.error ?? busy.error ?? accuracy.error ?? sms.error;

  const sum = total.data?.totals[0];
  const rows = breakdown.data ? (by === 'total' ? breakdown.data.rows : breakdown.data.rows) : [];
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
  const allVisitRows = breakdown.data ? [...rows, ...breakdown.data.totals] : [];

  const cells = busy.data?.cells ?? [];
  const hours = cells.length ? [...new Set(cells.map((c) => c.hour))].sort((a, b) => a - b) : [];
  const hourRange = hours.length
    ? Array.from({ length: hours.at(-1)! - hours[0]! + 1 }, (_, i) => hours[0]! + i)
    : [];
  const max = Math.max(1, ...cells.map((c) => c.arrivals));
  const at = (w: number, h: number) => cells.find((c) => c.weekday === w && c.hour === h)?.arrivals ?? 0;
  const weekOrder = [1, 2, 3, 4, 5, 6, 0];

  return (
    <div id="reports-print" className="flex flex-col gap-4">
      <h2 className="text-lg font-bold">{s.title}</h2>
      <p className="reports-print-only font-semibold" data-testid="reports-print-title">
        {fill(s.printTitle, { clinic: props.clinicName, from, to })}
      </p>
      <div data-no-print className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {s.range}
          <Select
            value={span}
            onChange={(e) => props.onSpan(e.target.value as ReportSpan)}
            data-testid="reports-span"
          >
            {REPORT_SPANS.map((x) => (
              <option key={x} value={x}>
                {s.spans[x]}
              </option>
            ))}
          </Select>
        </label>
        <div className="flex items-center gap-2">
          <Button size="sm" variant="secondary" onClick={() => props.onShift(-1)} aria-label={s.previous}>
            <span aria-hidden>‹</span>
          </Button>
          <span className="tabular min-w-48 text-center font-semibold" data-testid="reports-range" dir="ltr">
            {from} → {to}
          </span>
          <Button size="sm" variant="secondary" onClick={() => props.onShift(1)} aria-label={s.next}>
            <span aria-hidden>›</span>
          </Button>
        </div>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {s.groupBy}
          <Select
            value={period}
            onChange={(e) => props.onPeriod(e.target.value as ReportPeriod)}
            data-testid="reports-period"
          >
            {REPORT_PERIODS.map((x) => (
              <option key={x} value={x}>
                {s.periods[x]}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {s.breakdown}
          <Select
            value={by}
            onChange={(e) => props.onBy(e.target.value as ReportBreakdown)}
            data-testid="reports-by"
          >
            {REPORT_BREAKDOWNS.map((x) => (
              <option key={x} value={x}>
                {s.breakdowns[x]}
              </option>
            ))}
          </Select>
        </label>
        <Button size="sm" variant="secondary" onClick={() => window.print()}>
          {s.print}
        </Button>
      </div>

      {error ? (
        <p role="alert" className="rounded-xl bg-warn-50 p-3 text-warn-700">
          {props.errorText(error.code)}
        </p>
      ) : !total.data || !breakdown.data ? (
        <LoadingBlock label={s.loading} rows={4} />
      ) : (
        <>
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

          <Panel
            id="reports-visits"
            title={s.visits.title}
            csvLabel={s.download}
            onCsv={() => download(fileName('visits'), toCsv(visitHeader, allVisitRows.map(visitCells)))}
          >
            {total.data.rows.length === 0 ? (
              <EmptyState icon="📊" title={s.empty} />
            ) : (
              <>
                <div className="mb-4 grid gap-4 lg:grid-cols-2">
                  <VisitsChart rows={total.data.rows} s={s} />
                  <WaitChart rows={total.data.rows} s={s} />
                </div>
                <Table
                  caption={s.visits.title}
                  header={visitHeader}
                  rows={allVisitRows.map((r) =>
                    visitCells(r).map((c, i) =>
                      i === 0 || (by !== 'total' && i === 1)
                        ? c
                        : typeof c === 'number'
                          ? num(c)
                          : (c ?? '—'),
                    ),
                  )}
                />
              </>
            )}
          </Panel>

          <Panel
            id="reports-busy"
            title={s.busy.title}
            csvLabel={s.download}
            onCsv={() =>
              download(
                fileName('busy-hours'),
                toCsv(
                  [s.busy.weekday, s.busy.hour, s.busy.arrivals],
                  cells.map((c) => [s.busy.days[c.weekday], c.hour, c.arrivals]),
                ),
              )
            }
          >
            {cells.length === 0 ? (
              <EmptyState icon="🕘" title={s.empty} />
            ) : (
              <div className="overflow-x-auto">
                <table
                  className="tabular border-separate border-spacing-0.5 text-xs"
                  data-testid="reports-heatmap"
                >
                  <caption className="mb-1 text-start text-sm text-muted">{s.busy.caption}</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="px-1 text-start">
                        <span className="sr-only">{s.busy.weekday}</span>
                      </th>
                      {hourRange.map((h) => (
                        <th key={h} scope="col" className="px-1 font-medium">
                          {h}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {weekOrder.map((w) => (
                      <tr key={w}>
                        <th scope="row" className="px-1 text-start font-medium">
                          {s.busy.days[w]}
                        </th>
                        {hourRange.map((h) => {
                          const n = at(w, h);
                          return (
                            <td
                              key={h}
                              title={fill(s.busy.cell, { day: s.busy.days[w] ?? '', hour: h, n })}
                              className={cx(
                                'min-w-7 rounded px-1 py-1 text-center',
                                n / max > 0.55 ? 'text-white' : 'text-ink',
                              )}
                              style={{
                                backgroundColor:
                                  n === 0 ? '#f1f5f9' : `rgba(15, 118, 110, ${0.15 + 0.85 * (n / max)})`,
                              }}
                            >
                              {n === 0 ? '' : n}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Panel>

          <Panel
            id="reports-accuracy"
            title={s.accuracy.title}
            csvLabel={s.download}
            onCsv={
              accuracy.data
                ? () =>
                    download(
                      fileName('estimate-accuracy'),
                      toCsv(
                        [s.visits.period, s.accuracy.judged, s.accuracy.error, s.accuracy.within],
                        [...accuracy.data.rows, accuracy.data.totals].map((r) => [
                          r.period ?? s.visits.total,
                          r.judged,
                          r.medianAbsError,
                          pct(r.withinShare),
                        ]),
                      ),
                    )
                : undefined
            }
          >
            {!accuracy.data ? (
              <LoadingBlock label={s.loading} rows={2} />
            ) : accuracy.data.totals.judged === 0 ? (
              <p className="text-muted">{s.accuracy.none}</p>
            ) : (
              <Table
                caption={s.accuracy.title}
                header={[s.visits.period, s.accuracy.judged, s.accuracy.error, `${s.accuracy.within} %`]}
                rows={[...accuracy.data.rows, accuracy.data.totals].map((r) => [
                  r.period ?? s.visits.total,
                  num(r.judged),
                  num(r.medianAbsError),
                  num(pct(r.withinShare)),
                ])}
              />
            )}
          </Panel>

          <Panel
            id="reports-sms"
            title={s.sms.title}
            csvLabel={s.download}
            onCsv={
              sms.data
                ? () =>
                    download(
                      fileName('sms'),
                      toCsv(
                        [
                          s.visits.period,
                          s.sms.sent,
                          s.sms.failed,
                          s.sms.skipped,
                          s.sms.segments,
                          s.sms.cost,
                        ],
                        [...sms.data.rows, sms.data.totals].map((r) => [
                          r.period ?? s.visits.total,
                          r.sent,
                          r.failed,
                          r.skipped,
                          r.segments,
                          r.cost,
                        ]),
                      ),
                    )
                : undefined
            }
          >
            {!sms.data ? (
              <LoadingBlock label={s.loading} rows={2} />
            ) : (
              <Table
                caption={s.sms.title}
                header={[
                  s.visits.period,
                  s.sms.sent,
                  s.sms.failed,
                  s.sms.skipped,
                  s.sms.segments,
                  s.sms.cost,
                ]}
                rows={[...sms.data.rows, sms.data.totals].map((r) => [
                  r.period ?? s.visits.total,
                  num(r.sent),
                  num(r.failed),
                  num(r.skipped),
                  num(r.segments),
                  mf.format(r.cost),
                ])}
              />
            )}
          </Panel>
        </>
      )}
    </div>
  );
}
