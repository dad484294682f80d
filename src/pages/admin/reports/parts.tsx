/** The Reports tab's building blocks: a titled panel with its CSV button, a plain table, the CSV download. */
import type { ReactNode } from 'react';
import { Button } from '../../../components/ui';

/** Saves `text` as a file (the browser's download). */
export function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function Panel({
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
  children: ReactNode;
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

export function Table({
  caption,
  header,
  rows,
}: {
  caption: string;
  header: readonly string[];
  rows: readonly (readonly ReactNode[])[];
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

/** A share (0..1) as a percentage with one decimal. */
export const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);
