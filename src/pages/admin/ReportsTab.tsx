/**
 * Clinic admin — the Reports tab (issue 19), loaded on demand with its charts (recharts), texts and print
 * stylesheet: no other screen carries them. Per day / week / month over a week, month, quarter or year,
 * per practitioner or visit type: patients seen, walk-in vs booked, no-show and late rates, waiting time
 * (median, p90), visit length, the busiest hours (weekday × hour), how accurate the wait estimates were,
 * SMS sent and their cost. Every table downloads as CSV (UTF-8 with BOM); "Print" gives the page alone.
 * The figures are computed by the database for owners and admins only.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { EmptyState, LoadingBlock } from '../../components/ui';
import { useErrorText } from '../../i18n/pageStrings';
import { useClinicProfile, useClinicTime } from '../../hooks/useClinicService';
import {
  useAccuracyReport,
  useBusyHoursReport,
  useSmsReport,
  useVisitsReport,
  type ReportBreakdown,
  type ReportPeriod,
  type ReportRange,
} from '../../hooks/useReports';
import { rangeOf, shiftRange, toCsv, type ReportSpan } from '../../services/reports/api';
import { BusyHeatmap } from './reports/BusyHeatmap';
import { download, Panel, pct, Table } from './reports/parts';
import { ReportControls } from './reports/ReportControls';
import { ReportSummary, visitColumns } from './reports/ReportSummary';
import { VisitsChart, WaitChart } from './reports/ReportCharts';
import { fill, stringsFor, type ReportStrings } from './reports/strings';
import './reports/reports.print.css';

export default function ReportsTab({ clinicId }: { clinicId: string }) {
  const { i18n } = useTranslation();
  const errorText = useErrorText();
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
      errorText={(code) => errorText(code)}
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
  const { visitHeader, visitCells } = visitColumns(s, by);
  const allVisitRows = breakdown.data ? [...rows, ...breakdown.data.totals] : [];

  const cells = busy.data?.cells ?? [];

  return (
    <div id="reports-print" className="flex flex-col gap-4">
      <h2 className="text-lg font-bold">{s.title}</h2>
      <p className="reports-print-only font-semibold" data-testid="reports-print-title">
        {fill(s.printTitle, { clinic: props.clinicName, from, to })}
      </p>
      <ReportControls
        s={s}
        span={span}
        range={{ from, to }}
        period={period}
        by={by}
        onSpan={props.onSpan}
        onShift={props.onShift}
        onPeriod={props.onPeriod}
        onBy={props.onBy}
      />

      {error ? (
        <p role="alert" className="rounded-xl bg-warn-50 p-3 text-warn-700">
          {props.errorText(error.code)}
        </p>
      ) : !total.data || !breakdown.data ? (
        <LoadingBlock label={s.loading} rows={4} />
      ) : (
        <>
          <ReportSummary s={s} sum={sum} num={num} />

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
              <BusyHeatmap cells={cells} s={s} />
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
