/** The Reports tab's controls: range (span + previous/next), grouping, breakdown, print. */
import { Button, Select } from '../../../components/ui';
import type { ReportBreakdown, ReportPeriod } from '../../../hooks/useReports';
import { REPORT_BREAKDOWNS, REPORT_PERIODS, REPORT_SPANS, type ReportSpan } from '../../../services/reports/api';
import type { ReportStrings } from './strings';

export function ReportControls(props: {
  s: ReportStrings;
  span: ReportSpan;
  range: { from: string; to: string };
  period: ReportPeriod;
  by: ReportBreakdown;
  onSpan(v: ReportSpan): void;
  onShift(steps: number): void;
  onPeriod(v: ReportPeriod): void;
  onBy(v: ReportBreakdown): void;
}) {
  const { s, span, period, by } = props;
  const { from, to } = props.range;
  return (
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
  );
}
