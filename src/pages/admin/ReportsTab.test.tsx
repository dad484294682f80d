// @vitest-environment jsdom
// The Reports tab on the in-memory services: it opens on the clinic's current month, shows the figures the
// reports service answers (summary, tables, heat-map), moves to the previous month and asks for it, changes
// the grouping, downloads a CSV whose Arabic names survive, and speaks Arabic. Its texts exist in ar/fr/en.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import type { VisitRow } from '../../services/reports/api';
import { parseCsv } from '../../services/reports/api';
import { ManualClock } from '../../services/shared/Clock';
import ReportsTab from './ReportsTab';
import { REPORT_STRINGS } from './reports/strings';

afterEach(() => cleanup());
beforeAll(() => {
  // recharts' ResponsiveContainer observes its box; jsdom has no layout
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});

const row = (over: Partial<VisitRow>): VisitRow => ({
  period: null,
  key: null,
  label: null,
  visits: 0,
  seen: 0,
  walkIn: 0,
  booked: 0,
  noShow: 0,
  cancelled: 0,
  late: 0,
  noShowRate: null,
  lateRate: null,
  waitMedian: null,
  waitP90: null,
  visitMedian: null,
  visitP90: null,
  ...over,
});

async function setup(lng: 'en' | 'ar' = 'en') {
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
  if (!created.ok) throw new Error(created.error.code);
  const clinicId = created.value.clinicId;
  made.reportsRepo.clinics.set(clinicId, {
    visits: (q) => ({
      from: q.from,
      to: q.to,
      period: q.period,
      by: q.by,
      rows:
        q.by === 'practitioner'
          ? [row({ period: q.from, key: 'm1', label: 'د. سلمى بن علي', visits: 3, seen: 2, noShow: 1 })]
          : [
              row({
                period: q.from,
                visits: 4,
                seen: 3,
                walkIn: 1,
                booked: 3,
                noShow: 1,
                waitMedian: 12,
                waitP90: 30,
              }),
            ],
      totals: [
        row({
          key: q.by === 'practitioner' ? 'm1' : null,
          label: q.by === 'practitioner' ? 'د. سلمى بن علي' : null,
          visits: 4,
          seen: 3,
          walkIn: 1,
          booked: 3,
          noShow: 1,
          noShowRate: 0.25,
          lateRate: 0,
          waitMedian: 12,
          waitP90: 30,
          visitMedian: 15,
          visitP90: 20,
        }),
      ],
    }),
    busyHours: [
      { weekday: 1, hour: 9, arrivals: 5 },
      { weekday: 2, hour: 11, arrivals: 2 },
    ],
    sms: {
      rows: [{ period: '2026-11-02', sent: 7, failed: 1, skipped: 0, segments: 9, cost: 3.15 }],
      totals: { period: null, sent: 7, failed: 1, skipped: 0, segments: 9, cost: 3.15 },
    },
  });
  await renderWithServices(<ReportsTab clinicId={clinicId} />, made.services, { lng: lng, page: 'admin' });
  await screen.findByTestId('reports-summary');
  return { ...made, clinicId };
}

describe('ReportsTab', () => {
  it("opens on the clinic's month with the database's figures: summary, visits, heat-map, SMS", async () => {
    const made = await setup();
    expect(screen.getByTestId('reports-range').textContent).toBe('2026-11-01 → 2026-11-30');
    const summary = screen.getByTestId('reports-summary');
    expect(within(summary).getByText('Patients seen').nextSibling?.textContent).toBe('3');
    expect(within(summary).getByText('No-show rate').nextSibling?.textContent).toBe('25 %');
    expect(within(summary).getByText('Median wait').nextSibling?.textContent).toBe('12 min');
    const heat = screen.getByTestId('reports-heatmap');
    expect(within(heat).getByTitle('Monday 9:00 — 5 arrivals').textContent).toBe('5');
    expect(within(heat).getByTitle('Tuesday 11:00 — 2 arrivals').textContent).toBe('2');
    expect(within(heat).getByTitle('Monday 10:00 — 0 arrivals').textContent).toBe('');
    const sms = screen.getByRole('table', { name: 'SMS' });
    expect(within(sms).getAllByText('3.15')).toHaveLength(2);
    expect(made.reportsRepo.asked.map((a) => [a.report, a.query.from, a.query.to])).toEqual(
      expect.arrayContaining([
        ['visits', '2026-11-01', '2026-11-30'],
        ['busyHours', '2026-11-01', '2026-11-30'],
        ['accuracy', '2026-11-01', '2026-11-30'],
        ['sms', '2026-11-01', '2026-11-30'],
      ]),
    );
  });

  it('moves to the previous month, and asks per week per practitioner when told', async () => {
    const made = await setup();
    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    await waitFor(() =>
      expect(screen.getByTestId('reports-range').textContent).toBe('2026-10-01 → 2026-10-31'),
    );
    fireEvent.change(screen.getByTestId('reports-period'), { target: { value: 'week' } });
    fireEvent.change(screen.getByTestId('reports-by'), { target: { value: 'practitioner' } });
    await screen.findAllByText('د. سلمى بن علي');
    expect(made.reportsRepo.asked).toContainEqual({
      report: 'visits',
      query: {
        clinicId: made.clinicId,
        from: '2026-10-01',
        to: '2026-10-31',
        period: 'week',
        by: 'practitioner',
      },
    });
  });

  it('downloads the visits table as CSV with a BOM, Arabic names intact', async () => {
    await setup();
    fireEvent.change(screen.getByTestId('reports-by'), { target: { value: 'practitioner' } });
    await screen.findAllByText('د. سلمى بن علي');
    let saved: Blob | null = null;
    const create = vi.fn((b: Blob) => {
      saved = b;
      return 'blob:report';
    });
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      expect(this.download).toBe('queuemed-visits-2026-11-01_2026-11-30.csv');
    });
    fireEvent.click(screen.getByTestId('reports-visits-csv'));
    expect(click).toHaveBeenCalledOnce();
    const bytes = new Uint8Array(await (saved as unknown as Blob).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes));
    expect(rows[0]?.slice(0, 3)).toEqual(['Period', 'Practitioner / visit type', 'Visits']);
    expect(rows[1]?.slice(0, 4)).toEqual(['2026-11-01', 'د. سلمى بن علي', '3', '2']);
    expect(rows.at(-1)?.slice(0, 2)).toEqual(['Total', 'د. سلمى بن علي']);
    click.mockRestore();
  });

  it('speaks Arabic', async () => {
    await setup('ar');
    expect(screen.getByRole('heading', { name: 'التقارير' })).toBeTruthy();
    expect(within(screen.getByTestId('reports-summary')).getByText('نسبة الغياب')).toBeTruthy();
  });

  it('has every text in ar, fr and en', () => {
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null && !Array.isArray(v)
          ? keys(v as object, `${p}${k}.`)
          : [`${p}${k}`],
      );
    expect(keys(REPORT_STRINGS.ar)).toEqual(keys(REPORT_STRINGS.en));
    expect(keys(REPORT_STRINGS.fr)).toEqual(keys(REPORT_STRINGS.en));
    for (const lng of ['ar', 'fr', 'en'] as const) expect(REPORT_STRINGS[lng].busy.days).toHaveLength(7);
  });
});
