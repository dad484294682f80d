// @vitest-environment jsdom
// The day's pause/close confirmation (issue 17) after dash25 made its Dialog a lazy chunk (issue 14: off the desk's
// first load): the closed dialog is mounted from the first render on (its chunk loads right after it), a pause asks
// for the confirmation and sends the typed reason, resuming acts at once, and a confirmation asked for before the
// chunk is there shows "Loading…" until the dialog opens.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { QueueView } from '../../hooks/useQueue';
import { DayControls } from './DayControls';

const mutate = vi.fn();
vi.mock('../../hooks/useDayControls', () => ({ useDayControls: () => ({ mutate, isPending: false }) }));
vi.mock('../../hooks/useSingleFlight', () => ({ useSingleFlight: <T,>(m: T) => m }));
vi.mock('../../components/Toasts', () => ({ useToast: () => ({ ok: vi.fn(), error: vi.fn() }) }));
vi.mock('../../i18n/TranslatorContext', () => ({
  useTranslation: () => ({
    t: (key: string, o?: { name?: string }) => (o?.name ? `${key}(${o.name})` : key),
  }),
}));

beforeAll(() => {
  // jsdom has <dialog> but not its modal methods; the open attribute is what matters here.
  const proto = HTMLDialogElement.prototype as unknown as Record<string, unknown>;
  if (typeof proto.showModal !== 'function')
    proto.showModal = function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
  if (typeof proto.close !== 'function')
    proto.close = function (this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
});
afterEach(() => {
  cleanup();
  mutate.mockReset();
});

const view = (paused: string[] = []) =>
  ({
    queue: { status: 'open', pausedPractitionerIds: paused, intakeClosedAt: null },
  }) as unknown as QueueView;
const desk = { id: 'doc-1', displayName: 'Dr Amrani' };
const controls = (paused?: string[]) => (
  <DayControls
    clinicId="c1"
    view={view(paused)}
    desk={desk}
    nameOf={() => 'Dr Amrani'}
    timeOf={() => '09:00'}
  />
);

describe('DayControls with its lazily loaded confirmation', () => {
  it('mounts the closed dialog from the first render, asks before pausing and sends the reason', async () => {
    const { container } = render(controls());
    // the chunk loads right after the first render: the closed <dialog> is there before anyone asks
    await vi.waitFor(() => expect(container.querySelector('dialog')).not.toBeNull());
    expect(container.querySelector('dialog')?.open).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'dash.day.pause.pause(Dr Amrani)' }));
    const dialog = await screen.findByRole('dialog', { name: 'dash.day.pause.pauseTitle(Dr Amrani)' });
    expect(mutate).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('dash.day.pause.reasonOptional'), {
      target: { value: ' lunch ' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'dash.day.pause.pauseConfirm' }));
    expect(mutate).toHaveBeenCalledWith(
      { type: 'pauseDesk', practitionerId: 'doc-1', reason: 'lunch' },
      expect.anything(),
    );
    expect(dialog).toBeTruthy();
  });

  it('resumes a paused desk at once, without a confirmation', () => {
    render(controls(['doc-1']));
    fireEvent.click(screen.getByRole('button', { name: 'dash.day.pause.resume(Dr Amrani)' }));
    expect(mutate).toHaveBeenCalledWith(
      { type: 'resumeDesk', practitionerId: 'doc-1', reason: null },
      expect.anything(),
    );
  });

  it('shows "Loading…" for a confirmation asked for before its chunk is there, then opens it', async () => {
    vi.resetModules();
    const { DayControls: Fresh } = await import('./DayControls');
    render(
      <Fresh clinicId="c1" view={view()} desk={desk} nameOf={() => 'Dr Amrani'} timeOf={() => '09:00'} />,
    );
    act(() => fireEvent.click(screen.getByRole('button', { name: 'dash.day.pause.closeIntake' })));
    expect(screen.getByTestId('day-control-loading').textContent).toBe('common.loading');
    expect(await screen.findByRole('dialog', { name: 'dash.day.pause.closeTitle' })).toBeTruthy();
    expect(screen.queryByTestId('day-control-loading')).toBeNull();
  });
});
