// @vitest-environment jsdom
// board18 (security issue 17): Admin → Queue rules → Board screens. Staff pair a waiting-room screen: the key is
// shown once, inside the link to open on the TV (`/board/<slug>#key=…`); the list shows the clinic's board screens
// (boards only, never kiosks) and unpairs one; a practitioner sees the list but cannot pair. In en, fr and ar (RTL).
// The setting's own label says that names need a paired screen. In-memory services.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { adminAr } from '../../i18n/locales/ui/admin.ar';
import { adminEn } from '../../i18n/locales/ui/admin.en';
import { adminFr } from '../../i18n/locales/ui/admin.fr';
import { boardsAr } from '../../i18n/locales/ui/boards.ar';
import { boardsEn } from '../../i18n/locales/ui/boards.en';
import { boardsFr } from '../../i18n/locales/ui/boards.fr';
import { dayEn } from '../../i18n/locales/ui/runningDay';
import { dayFr } from '../../i18n/locales/ui/runningDay.fr';
import { dayAr } from '../../i18n/locales/ui/runningDay.ar';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { ok } from '../../services/shared/Result';
import BoardScreensSection from './BoardScreensSection';

afterEach(() => cleanup());

type DeviceKind = 'kiosk' | 'board';
interface Device {
  id: string;
  kind: DeviceKind;
  label: string;
  pairedAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedReason?: 'pairer_left' | null;
}

const STRINGS = { en: boardsEn, fr: boardsFr, ar: boardsAr } as const;
const KEY = 'cd'.repeat(32);

async function setup(lng: 'en' | 'fr' | 'ar', canPair = true, more: Device[] = []) {
  const made = createInMemoryServices({ actorId: 'owner', clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.clinicWorld.addUser('owner', { email: 'o@example.test' });
  const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
  if (!created.ok) throw new Error(created.error.code);
  const clinicId = created.value.clinicId;
  // the clinic's devices as the database keeps them (kind per row); a kiosk is among them
  const devices: Device[] = [
    {
      id: 'k1',
      kind: 'kiosk',
      label: 'Entrance',
      pairedAt: '2026-11-20T08:00:00Z',
      lastUsedAt: null,
      revokedAt: null,
    },
    ...more,
  ];
  const calls: string[] = [];
  const b = made.services.booking;
  b.kiosks = async (_c: string, kind: DeviceKind = 'kiosk') =>
    ok(devices.filter((d) => d.kind === kind).map(({ kind: _k, ...d }) => d));
  b.pairKiosk = async (_c: string, label: string, kind: DeviceKind = 'kiosk') => {
    calls.push(`pair ${kind} ${label}`);
    devices.unshift({
      id: 'b1',
      kind,
      label,
      pairedAt: '2026-11-24T08:00:00Z',
      lastUsedAt: null,
      revokedAt: null,
    });
    return ok({ id: 'b1', label, token: KEY });
  };
  b.revokeKiosk = async (id: string, kind: DeviceKind = 'kiosk') => {
    calls.push(`revoke ${kind} ${id}`);
    const d = devices.find((x) => x.id === id)!;
    d.revokedAt = '2026-11-24T08:05:00Z';
    return ok({ id });
  };
  await renderWithServices(<BoardScreensSection clinicId={clinicId} canPair={canPair} />, made.services, {
    lng,
  });
  return { calls };
}

describe('Admin → Queue rules → Board screens (board18)', () => {
  it.each(['en', 'fr', 'ar'] as const)(
    'in %s: pair a screen → its one-time link with the key in the fragment; unpair it',
    async (lng) => {
      const t = STRINGS[lng];
      const { calls } = await setup(lng);
      expect(await screen.findByText(t.none)).toBeTruthy();
      expect(screen.queryByText('Entrance')).toBeNull(); // kiosks are not board screens
      fireEvent.click(screen.getByRole('button', { name: t.pair }));
      const link = await screen.findByTestId('board-pair-link');
      expect(link.textContent).toBe(`${window.location.origin}/board/atlas#key=${KEY}`);
      expect(link.getAttribute('dir')).toBe('ltr');
      expect(screen.getByText(t.linkTitle)).toBeTruthy();
      expect(calls).toEqual([`pair board ${t.labelDefault}`]);
      const row = await screen.findByTestId('board-device');
      expect(row.textContent).toContain(t.labelDefault);
      // the link is gone once done (it is never shown again)
      fireEvent.click(screen.getByRole('button', { name: t.done }));
      expect(screen.queryByTestId('board-pair-link')).toBeNull();
      fireEvent.click(within(row).getByRole('button', { name: t.revoke }));
      await waitFor(() =>
        expect(within(screen.getByTestId('board-device')).getByText(t.revoked)).toBeTruthy(),
      );
      expect(calls).toEqual([`pair board ${t.labelDefault}`, 'revoke board b1']);
      expect(document.documentElement.dir).toBe(lng === 'ar' ? 'rtl' : 'ltr');
    },
  );

  // fix20 (review20 L2): a screen whose pairer left stopped by itself; the list says why, not just "unpaired"
  it.each(['en', 'fr', 'ar'] as const)(
    'in %s: a screen stopped because the staff member who paired it left says so',
    async (lng) => {
      const t = STRINGS[lng];
      await setup(lng, true, [
        {
          id: 'b9',
          kind: 'board',
          label: 'Hall',
          pairedAt: '2026-11-20T08:00:00Z',
          lastUsedAt: null,
          revokedAt: '2026-11-23T08:00:00Z',
          revokedReason: 'pairer_left',
        },
      ]);
      const row = await screen.findByTestId('board-device');
      expect(within(row).getByText(t.revokedPairerLeft)).toBeTruthy();
      expect(within(row).queryByText(t.revoked)).toBeNull();
      expect(within(row).queryByRole('button')).toBeNull();
    },
  );

  // feat21b: the board's "Next" notices (paused, intake closed) are in the preview and in the contrast figure; a pair
  // readable on the surfaces board20 checked (4.8:1) but not on the cards inside a column (4.3:1) cannot be saved
  it.each(['en', 'fr', 'ar'] as const)(
    'in %s: the preview draws the paused and intake-closed boxes; a pair too faint only there is refused',
    async (lng) => {
      const t = STRINGS[lng];
      const day = { en: dayEn, fr: dayFr, ar: dayAr }[lng].board;
      const made = createInMemoryServices({
        actorId: 'owner',
        clock: new ManualClock('2026-11-24T08:00:00Z'),
      });
      made.clinicWorld.addUser('owner', { email: 'o@example.test' });
      const created = await made.services.clinic.createClinic({ name: 'Atlas', slug: 'atlas' });
      if (!created.ok) throw new Error(created.error.code);
      await renderWithServices(
        <BoardScreensSection clinicId={created.value.clinicId} canPair canBrand />,
        made.services,
        { lng },
      );
      const preview = await screen.findByTestId('board-preview');
      expect(within(preview).getByTestId('board-preview-paused').textContent).toBe(
        day.paused.replace('{{rooms}}', '2'),
      );
      expect(within(preview).getByTestId('board-preview-intake').textContent).toBe(day.intakeClosed);
      const save = screen.getByRole('button', { name: t.saveColours });
      fireEvent.change(screen.getByTestId('board-bg'), { target: { value: '#1e40af' } });
      fireEvent.change(screen.getByTestId('board-accent'), { target: { value: '#bfdbfe' } });
      await waitFor(() =>
        expect(screen.getByTestId('board-contrast').textContent).toBe(
          t.contrastLow.replace('{{ratio}}', '4.3'),
        ),
      );
      expect(save.hasAttribute('disabled')).toBe(true);
      fireEvent.change(screen.getByTestId('board-bg'), { target: { value: '#1e3a8a' } });
      fireEvent.change(screen.getByTestId('board-accent'), { target: { value: '#fde68a' } });
      await waitFor(() => expect(save.hasAttribute('disabled')).toBe(false));
    },
  );

  it('a practitioner sees the board screens but cannot pair or unpair', async () => {
    await setup('en', false);
    expect(await screen.findByText(boardsEn.none)).toBeTruthy();
    expect(screen.queryByRole('button', { name: boardsEn.pair })).toBeNull();
  });

  it('its strings: the same keys and placeholders in en, fr and ar, none empty', () => {
    const shape = (o: Record<string, string>) =>
      Object.entries(o).map(([k, v]) => [k, [...v.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1])]);
    for (const other of [boardsFr, boardsAr]) expect(shape(other)).toEqual(shape(boardsEn));
    for (const t of Object.values(STRINGS)) for (const v of Object.values(t)) expect(v.trim()).not.toBe('');
  });

  it("the names setting's label says names need a paired screen, in every language", () => {
    expect(adminEn.rules.board_show_names).toContain('paired');
    expect(adminFr.rules.board_show_names).toContain('appairés');
    expect(adminAr.rules.board_show_names).toContain('المقترنة');
  });
});
