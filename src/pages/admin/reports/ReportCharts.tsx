/**
 * The Reports tab's charts (recharts, in the tab's lazy chunk only): patients seen and no-shows per period
 * (stacked bars) and the waiting time per period (median and 90th percentile). Axes read left to right in
 * every language (dates and minutes), so the charts are laid out LTR inside the RTL page.
 */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { VisitRow } from '../../../hooks/useReports';
import type { ReportStrings } from './strings';

export function VisitsChart({ rows, s }: { rows: readonly VisitRow[]; s: ReportStrings }) {
  const data = rows.map((r) => ({ period: r.period ?? '', seen: r.seen, noShow: r.noShow }));
  return (
    <figure className="m-0" aria-label={s.visits.chart}>
      <figcaption className="mb-2 text-sm font-semibold">{s.visits.chart}</figcaption>
      <div dir="ltr" className="h-60 w-full">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 640, height: 240 }}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="period" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} width={36} tick={{ fontSize: 11 }} />
            <Tooltip />
            <Legend />
            <Bar dataKey="seen" name={s.visits.seen} stackId="v" fill="#0f766e" isAnimationActive={false} />
            <Bar dataKey="noShow" name={s.visits.noShow} stackId="v" fill="#d97706" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function WaitChart({ rows, s }: { rows: readonly VisitRow[]; s: ReportStrings }) {
  const data = rows.map((r) => ({ period: r.period ?? '', median: r.waitMedian, p90: r.waitP90 }));
  return (
    <figure className="m-0" aria-label={s.visits.waitChart}>
      <figcaption className="mb-2 text-sm font-semibold">{s.visits.waitChart}</figcaption>
      <div dir="ltr" className="h-60 w-full">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 640, height: 240 }}>
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="period" tick={{ fontSize: 11 }} />
            <YAxis width={36} tick={{ fontSize: 11 }} />
            <Tooltip />
            <Legend />
            <Line dataKey="median" name={s.visits.waitMedian} stroke="#0f766e" dot={false} isAnimationActive={false} />
            <Line dataKey="p90" name={s.visits.waitP90} stroke="#b45309" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
