// @vitest-environment jsdom
// The dashboard's accuracy card (issue 16): yesterday's and this week's median error and share inside the
// range of the wait estimates patients were shown, in the staff's language.
import { cleanup, render, screen } from '@testing-library/react';
import { ensurePageStrings, I18nTestRoot } from '../../../test/fixtures/I18nTestRoot';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppI18n } from '../../i18n/lazy';
import { StatsBar } from './StatsBar';

afterEach(cleanup);

const accuracy = {
  yesterday: { day: '2026-11-29', medianAbsError: 6.4, coverage: 0.583, n: 48 },
  week: { medianAbsError: 7.6, coverage: 0.61, n: 310 },
  source: 'shown' as const,
};

describe('StatsBar accuracy card', () => {
  it('shows yesterday and this week: ± median minutes and the share inside the range', async () => {
    const i18n = await createAppI18n('en');
    await ensurePageStrings(i18n, 'dash', 'en'); // as DashboardPage loads them
    render(
      <I18nTestRoot i18n={i18n}>
        <StatsBar entries={[]} accuracy={accuracy} />
      </I18nTestRoot>,
    );
    expect(screen.getByTestId('stat-accuracy').textContent).toBe(
      'Wait estimates shown to patients' +
        'Yesterday: ± 6 min, 58 % within the range · This week: ± 8 min, 61 % within the range',
    );
  });

  it('says when there is nothing to judge yet (no earlier days), in French too', async () => {
    const i18n = await createAppI18n('fr');
    await ensurePageStrings(i18n, 'dash', 'fr'); // as DashboardPage loads them
    render(
      <I18nTestRoot i18n={i18n}>
        <StatsBar entries={[]} accuracy={null} />
      </I18nTestRoot>,
    );
    expect(screen.getByTestId('stat-accuracy').textContent).toContain(
      'Hier : aucune attente à évaluer · Cette semaine : pas encore assez de jours',
    );
  });
});
