/** The busy-hours heatmap: arrivals per weekday × hour, darker for more (the Reports tab). */
import { cx } from '../../../components/ui';
import type { BusyHoursReport } from '../../../hooks/useReports';
import { fill, type ReportStrings } from './strings';

export function BusyHeatmap({ cells, s }: { cells: BusyHoursReport['cells']; s: ReportStrings }) {
  const hours = cells.length ? [...new Set(cells.map((c) => c.hour))].sort((a, b) => a - b) : [];
  const hourRange = hours.length
    ? Array.from({ length: hours.at(-1)! - hours[0]! + 1 }, (_, i) => hours[0]! + i)
    : [];
  const max = Math.max(1, ...cells.map((c) => c.arrivals));
  const at = (w: number, h: number) => cells.find((c) => c.weekday === w && c.hour === h)?.arrivals ?? 0;
  const weekOrder = [1, 2, 3, 4, 5, 6, 0];
  return (
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
  );
}
