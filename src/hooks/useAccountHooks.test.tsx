// @vitest-environment jsdom
// useAuth, useClinicService and useBooking on the in-memory composition root.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import { ManualClock } from '../services/shared/Clock';
import { ServicesProvider } from './ServicesContext';
import { useAuth, useSession, useSignIn, useSignOut } from './useAuth';
import { useBooking, useMyVisits } from './useBooking';
import { useClinicProfile, useClinicService, useCreateClinic } from './useClinicService';

afterEach(() => cleanup());

function wrapper(actorId: string | null, clock = new ManualClock('2026-11-24T08:00:00Z')) {
  const made = createInMemoryServices({ actorId, clock });
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>
      <ServicesProvider services={made.services}>{children}</ServicesProvider>
    </QueryClientProvider>
  );
  return { ...made, Wrapper, qc };
}

describe('useAuth', () => {
  it('signs up, exposes the session, refuses a wrong password with a code, signs out', async () => {
    const { Wrapper } = wrapper(null);
    const { result } = renderHook(() => useAuth(), { wrapper: Wrapper });
    await waitFor(() => expect(result.current.isLoading).toBe(false));
    expect(result.current.session).toBeNull();
    await act(() => result.current.signUp.mutateAsync({ email: 'a@example.test', password: 'secret-pass' }));
    await waitFor(() => expect(result.current.session?.email).toBe('a@example.test'));
    await act(() => result.current.signOut.mutateAsync());
    await waitFor(() => expect(result.current.session).toBeNull());
    await act(async () => {
      await result.current.signIn
        .mutateAsync({ email: 'a@example.test', password: 'nope' })
        .catch(() => undefined);
    });
    await waitFor(() => expect(result.current.signIn.error?.code).toBe('VALIDATION.FAILED'));
  });

  it('phone sign-in with a one-time code', async () => {
    const { Wrapper, auth } = wrapper(null);
    const { result } = renderHook(() => useAuth(), { wrapper: Wrapper });
    await act(() => result.current.sendOtp.mutateAsync('+212612345678'));
    await act(() =>
      result.current.verifyOtp.mutateAsync({
        phone: '+212612345678',
        code: auth.outbox.get('+212612345678') ?? '',
      }),
    );
    await waitFor(() => expect(result.current.session?.phone).toBe('+212612345678'));
  });
});

describe('useSignIn, useSession and useSignOut (the sign-in screen and the shell)', () => {
  it("signing in sets the session every screen reads; signing out clears it and forgets the previous user's data", async () => {
    const { Wrapper, qc } = wrapper(null);
    const { result } = renderHook(
      () => ({ session: useSession(), signIn: useSignIn(), signOut: useSignOut(), auth: useAuth() }),
      { wrapper: Wrapper },
    );
    await waitFor(() => expect(result.current.session).toBeNull());
    await act(() =>
      result.current.signIn.signUp.mutateAsync({ email: 's@example.test', password: 'secret-pass' }),
    );
    await waitFor(() => expect(result.current.session?.email).toBe('s@example.test'));
    await act(() => result.current.signOut.mutateAsync());
    await waitFor(() => expect(result.current.session).toBeNull());

    // a wrong password is a coded refusal and leaves the visitor signed out
    await act(async () => {
      await result.current.signIn.password
        .mutateAsync({ identifier: 's@example.test', password: 'nope' })
        .catch(() => undefined);
    });
    await waitFor(() => expect(result.current.signIn.password.error?.code).toBe('VALIDATION.FAILED'));
    expect(result.current.session).toBeNull();

    await act(() =>
      result.current.signIn.password.mutateAsync({ identifier: 's@example.test', password: 'secret-pass' }),
    );
    await waitFor(() => expect(result.current.session?.email).toBe('s@example.test'));
    // something cached for this user (e.g. My visits) is dropped at sign-out; the session key stays (null)
    qc.setQueryData(['booking', 'my-visits'], ['a visit']);
    await act(() => result.current.signOut.mutateAsync());
    await waitFor(() => expect(result.current.session).toBeNull());
    expect(qc.getQueryData(['booking', 'my-visits'])).toBeUndefined();
  });
});

describe('sign-out forgets the queue views the queue service kept (fix25, review25)', () => {
  it.each(['useSignOut', 'useAuth'] as const)(
    '%s: on a shared reception PC the previous user’s queue view is not left in memory',
    async (hook) => {
      const { Wrapper, services } = wrapper(null);
      const { result } = renderHook(() => ({ signOut: useSignOut(), auth: useAuth() }), { wrapper: Wrapper });
      await act(() =>
        result.current.auth.signUp.mutateAsync({ email: 'd@example.test', password: 'secret-pass' }),
      );
      await waitFor(() => expect(result.current.auth.session?.email).toBe('d@example.test'));
      // the view the service kept after the desk's last step or read (QueueService.latestViews)
      const views = (services.queue as unknown as { latestViews: Map<string, unknown> }).latestViews;
      views.set('clinic-1', { queue: { clinicId: 'clinic-1' }, entries: [{ patientName: 'Amina' }] });
      expect(services.queue.latestView('clinic-1')).not.toBeNull();
      await act(() =>
        hook === 'useSignOut'
          ? result.current.signOut.mutateAsync()
          : result.current.auth.signOut.mutateAsync(),
      );
      await waitFor(() => expect(result.current.auth.session).toBeNull());
      expect(services.queue.latestView('clinic-1')).toBeNull();
    },
  );
});

describe('useClinicService', () => {
  it('updates settings (validated); an invalid change is refused with a code and the shown value rolls back', async () => {
    const { Wrapper, clinicWorld } = wrapper('owner');
    clinicWorld.addUser('owner', { email: 'o@example.test' });
    const created = renderHook(() => useCreateClinic(), { wrapper: Wrapper });
    const { clinicId } = await act(() =>
      created.result.current.mutateAsync({ name: 'Atlas', slug: 'atlas' }),
    );
    function Settings() {
      const profile = useClinicProfile(clinicId);
      const cmd = useClinicService(clinicId);
      return (
        <div>
          <p data-testid="grace">{profile.data?.settings.grace_period_minutes ?? '…'}</p>
          {cmd.updateSettings.error && <p role="alert">{cmd.updateSettings.error.code}</p>}
          <button onClick={() => cmd.updateSettings.mutate({ grace_period_minutes: 15 })}>ok</button>
          <button onClick={() => cmd.updateSettings.mutate({ grace_period_minutes: 0 })}>bad</button>
        </div>
      );
    }
    render(<Settings />, { wrapper: Wrapper });
    await waitFor(() => expect(screen.getByTestId('grace').textContent).toBe('10'));
    act(() => screen.getByText('ok').click());
    await waitFor(() => expect(screen.getByTestId('grace').textContent).toBe('15'));
    act(() => screen.getByText('bad').click());
    expect((await screen.findByRole('alert')).textContent).toBe('VALIDATION.FAILED');
    await waitFor(() => expect(screen.getByTestId('grace').textContent).toBe('15'));
  });
});

describe('useBooking', () => {
  it('books, lists the visit, and rolls an optimistic cancel back when it is too late to cancel', async () => {
    const clock = new ManualClock('2026-11-24T08:00:00Z');
    const { Wrapper, bookingWorld } = wrapper('patient-1', clock);
    bookingWorld.addClinic({ id: 'c1', hours: { 3: [{ start: '09:00', end: '12:00' }] } });
    function Visits() {
      const visits = useMyVisits();
      const b = useBooking();
      return (
        <div>
          <ul>
            {visits.data?.map((v) => (
              <li key={v.entryId}>
                {v.status}
                <button onClick={() => b.cancel.mutate({ entryId: v.entryId })}>cancel</button>
              </li>
            ))}
          </ul>
          {b.cancel.error && <p role="alert">{b.cancel.error.code}</p>}
          <button
            onClick={() =>
              b.book.mutate({ clinicId: 'c1', slotStart: '2026-11-25T09:00:00Z', fullName: 'Amina' })
            }
          >
            book
          </button>
        </div>
      );
    }
    render(<Visits />, { wrapper: Wrapper });
    act(() => screen.getByText('book').click());
    expect((await screen.findByRole('listitem')).textContent).toContain('scheduled');
    clock.set('2026-11-25T08:00:00Z'); // an hour before: inside min_cancel_notice_minutes (120)
    act(() => screen.getByText('cancel').click());
    expect((await screen.findByRole('alert')).textContent).toBe('BOOKING.CANCEL_TOO_LATE');
    await waitFor(() => expect(screen.getByRole('listitem').textContent).toContain('scheduled'));
  });
});
