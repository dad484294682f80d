// @vitest-environment jsdom
// The staff dashboard on the in-memory services (issue 15, items 7 and 14): the walk-in / emergency dialog
// starts fresh at every opening, and after End day the header no longer says Live, the empty state no
// longer invites a walk-in, and W / E open nothing.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { notifyManager } from '@tanstack/react-query';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import { renderWithServices } from '../../test/fixtures/renderWithServices';
import { ManualClock } from '../services/shared/Clock';
import { Dashboard } from './DashboardPage';

const CLINIC = 'clinic-1';

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
      this.dispatchEvent(new Event('close'));
    };
});

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

async function setup() {
  const made = createInMemoryServices({ actorId: 'user-r', clock: new ManualClock('2026-11-24T09:00:00Z') });
  made.queueRepo.addClinic({
    id: CLINIC,
    name: 'Atlas',
    members: [
      {
        id: 'dr-a',
        userId: 'user-a',
        role: 'practitioner',
        displayName: 'Dr Alami',
        room: 'R1',
        active: true,
      },
      {
        id: 'dr-b',
        userId: 'user-b',
        role: 'practitioner',
        displayName: 'Dr Bennani',
        room: 'R2',
        active: true,
      },
      { id: 'rec', userId: 'user-r', role: 'receptionist', displayName: 'Desk', room: null, active: true },
    ],
    appointmentTypes: [
      { id: 'consult', name: 'Consultation', durationMinutes: 15, active: true },
      { id: 'control', name: 'Control', durationMinutes: 10, active: true },
    ],
  });
  const member = {
    id: 'rec',
    clinicId: CLINIC,
    role: 'receptionist' as const,
    displayName: 'Desk',
    room: null,
    userId: 'desk-user',
    active: true,
  };
  // the desk's strings, as DashboardPage loads them before the desk shows
  await renderWithServices(<Dashboard member={member} />, made.services, { page: 'dash' });
  await screen.findByTestId('dashboard');
  return made;
}

// The dialog renders its form only while open: the name field is there exactly when the form is open.
const formOpen = () => screen.queryByLabelText('Patient name') !== null;
const formDialog = () => screen.getByLabelText('Patient name').closest('dialog')!;
const field = (label: string) => within(formDialog()).getByLabelText(label) as HTMLInputElement;

async function openWith(key: 'w' | 'e') {
  fireEvent.keyDown(document.body, { key });
  await waitFor(() => expect(formOpen()).toBe(true));
}

describe('Dashboard', () => {
  it('the walk-in dialog starts fresh after a walk-in was added, and an emergency keeps no doctor', async () => {
    const { services } = await setup();
    await openWith('w');
    fireEvent.change(field('Patient name'), { target: { value: 'Amina' } });
    fireEvent.change(field('Phone (optional)'), { target: { value: '+212600000001' } });
    fireEvent.change(field('Doctor'), { target: { value: 'dr-b' } });
    fireEvent.change(field('Visit type'), { target: { value: 'control' } });
    act(() => within(formDialog()).getByRole('button', { name: 'Add to queue' }).click());
    await waitFor(() => expect(formOpen()).toBe(false));
    const view = await services.queue.status(CLINIC);
    expect(view.ok && view.value.entries.map((e) => [e.patientName, e.practitionerId])).toEqual([
      ['Amina', 'dr-b'],
    ]);

    await openWith('w');
    expect(field('Patient name').value).toBe('');
    expect(field('Phone (optional)').value).toBe('');
    expect(field('Doctor').value).toBe('any');
    expect(field('Visit type').value).toBe('any');
    fireEvent.click(within(formDialog()).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(formOpen()).toBe(false));

    // The emergency dialog is the same form: no doctor from the walk-in before unless picked here.
    await openWith('e');
    expect(field('Doctor').value).toBe('any');
    fireEvent.change(field('Patient name'), { target: { value: 'Youssef' } });
    fireEvent.change(field('Reason'), { target: { value: 'Chest pain' } });
    act(() => within(formDialog()).getByRole('button', { name: 'Add to queue' }).click());
    await waitFor(() => expect(formOpen()).toBe(false));
    const after = await services.queue.status(CLINIC);
    const emergency = after.ok ? after.value.entries.find((e) => e.patientName === 'Youssef') : undefined;
    expect(emergency?.priority).toBe('emergency');
    expect(emergency?.practitionerId).toBeNull();
  });

  // The phone parser (libphonenumber-js) is loaded on demand, not with the desk (issue 14): the form waits for
  // it, and what is saved is the same E.164 as before — whatever way the number was typed.
  it('a walk-in phone typed in Arabic digits, +212 or 06… is saved in E.164; a bad one is refused, nothing saved', async () => {
    const { services, queueRepo } = await setup();
    const add = async (name: string, phone: string) => {
      await openWith('w');
      fireEvent.change(field('Patient name'), { target: { value: name } });
      fireEvent.change(field('Phone (optional)'), { target: { value: phone } });
      act(() => within(formDialog()).getByRole('button', { name: 'Add to queue' }).click());
    };
    await add('Arabic', '٠٦١٢ ٣٤٥ ٦٧٨');
    await waitFor(() => expect(formOpen()).toBe(false));
    await add('Plus', '+212 6 12 34 56 79');
    await waitFor(() => expect(formOpen()).toBe(false));
    await add('Local', '06.12.34.56.80');
    await waitFor(() => expect(formOpen()).toBe(false));

    await add('Bad', '12');
    await waitFor(() => expect(field('Phone (optional)').getAttribute('aria-invalid')).toBe('true'));
    expect(formOpen()).toBe(true);

    const view = await services.queue.status(CLINIC);
    const phones = view.ok
      ? view.value.entries.map((e) => [e.patientName, e.patientId && queueRepo.patientPhone(e.patientId)])
      : [];
    expect(phones).toEqual([
      ['Arabic', '+212612345678'],
      ['Plus', '+212612345679'],
      ['Local', '+212612345680'],
    ]);
  });

  // sec22a: SMS go only to the deployment's countries (default Morocco); the database refuses a walk-in's number
  // from elsewhere with PHONE.COUNTRY_NOT_ALLOWED, and the desk says so in words, keeping the form open.
  it('a walk-in with a French number is refused in words, the form stays open and nothing is saved', async () => {
    const { services } = await setup();
    await openWith('w');
    fireEvent.change(field('Patient name'), { target: { value: 'Étranger' } });
    fireEvent.change(field('Phone (optional)'), { target: { value: '+33 6 12 34 56 78' } });
    act(() => within(formDialog()).getByRole('button', { name: 'Add to queue' }).click());
    expect(
      await screen.findByText(
        'SMS can only be sent to numbers in the countries this service covers. Please enter a local number.',
      ),
    ).toBeTruthy();
    expect(formOpen()).toBe(true);
    const view = await services.queue.status(CLINIC);
    expect(view.ok ? view.value.entries.map((e) => e.patientName) : null).toEqual([]);
  });

  it('a row action saved while the receptionist opened a form closes nothing of hers (only its own dialog)', async () => {
    const { services } = await setup();
    expect(
      (await services.queue.addWalkIn(CLINIC, { patientName: 'Karim', practitionerId: 'dr-a' })).ok,
    ).toBe(true);
    expect((await services.queue.callNext(CLINIC, { practitionerId: 'dr-a', room: 'R1' })).ok).toBe(true);
    // the save of "Start" is slow (a busy server): it completes only when released
    const queue = services.queue as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const start = queue.start!.bind(services.queue);
    let release = () => {};
    queue.start = (...a: unknown[]) =>
      new Promise((resolve) => {
        release = () => resolve(start(...a));
      });
    const startButton = await screen.findByRole('button', { name: /^Start / });
    act(() => startButton.click());
    await openWith('w'); // the next walk-in, while Start is being saved
    fireEvent.change(field('Patient name'), { target: { value: 'Nadia' } });
    act(() => release());
    await screen.findByText(/with doctor/i, { selector: 'td *, td' });
    expect(formOpen()).toBe(true);
    expect(field('Patient name').value).toBe('Nadia');
  });

  it('after End day: no "Live", no walk-in invitation, and W / E open nothing', async () => {
    const { services } = await setup();
    expect(screen.getByText(/Live · Atlas/)).toBeTruthy();
    const ended = await services.queue.endDay(CLINIC);
    expect(ended.ok).toBe(true);
    await screen.findByText('The queue is closed for today.');
    expect(screen.queryByText(/Live/)).toBeNull();
    expect(screen.getByText(/Day closed · Atlas/)).toBeTruthy();
    expect(screen.queryByText('Add a walk-in or wait for booked patients to check in.')).toBeNull();
    fireEvent.keyDown(document.body, { key: 'w' });
    fireEvent.keyDown(document.body, { key: 'e' });
    expect(formOpen()).toBe(false);
  });

  // Issue 12: one "call next" in flight per desk. Two N presses (or two clicks) before the first call is
  // answered send ONE call: the second would otherwise re-decide after the first and call another patient.
  for (const how of ['N pressed twice', 'the button clicked twice'] as const)
    it(`${how} before the answer: one call, one patient called`, async () => {
      const { services } = await setup();
      for (const name of ['Amina', 'Brahim', 'Chaima'])
        expect((await services.queue.addWalkIn(CLINIC, { patientName: name })).ok).toBe(true);
      await screen.findByText('Chaima');
      const calls = vi.spyOn(services.queue, 'callNext');
      const press = () =>
        how === 'N pressed twice'
          ? fireEvent.keyDown(document.body, { key: 'n' })
          : fireEvent.click(screen.getByRole('button', { name: /Call next/ }));
      press();
      press();
      await waitFor(() => expect(screen.getByTestId('toast-ok').textContent).toMatch(/called/i));
      const view = await services.queue.status(CLINIC);
      const called = view.ok ? view.value.entries.filter((e) => e.status === 'called') : [];
      expect(called.map((e) => e.patientName)).toEqual(['Amina']);
      expect(calls).toHaveBeenCalledTimes(1);
      // once answered, the desk can call again (the guard is released)
      calls.mockClear();
      await waitFor(() =>
        expect(screen.getByRole('button', { name: /Call next/ })).toHaveProperty('disabled', false),
      );
      press();
      await waitFor(() => expect(calls).toHaveBeenCalledTimes(1));
    });

  // Issue 12: a dialog's confirm is guarded while its command is in flight. react-query tells React that a
  // mutation is pending on its own schedule (a setTimeout(0) batch by default); a second confirm in that gap
  // (a double click, a held Enter) found neither the dialog's busy flag nor isPending set and sent a second
  // command with a new id: two walk-ins, or a second out-of-order call. Here react-query's notifications are
  // held for the whole gap, so the second confirm lands in it every time.
  async function withNotificationsHeld(body: (flush: () => void) => Promise<void>) {
    const held: (() => void)[] = [];
    notifyManager.setScheduler((cb) => void held.push(cb));
    const flush = () => {
      notifyManager.setScheduler((cb) => setTimeout(cb, 0));
      act(() => held.splice(0).forEach((cb) => cb()));
    };
    try {
      await body(flush);
    } finally {
      flush();
    }
  }

  it('"Add to queue" confirmed twice before React hears the save is pending: one walk-in', async () => {
    const { services } = await setup();
    // the walk-in's save is slow (a busy server): it completes only when released
    const queue = services.queue as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const addWalkIn = queue.addWalkIn!.bind(services.queue);
    const releases: (() => void)[] = [];
    const adds = vi.fn(
      (...a: unknown[]) => new Promise((resolve) => releases.push(() => resolve(addWalkIn(...a)))),
    );
    queue.addWalkIn = adds;
    await openWith('w');
    fireEvent.change(field('Patient name'), { target: { value: 'Amina' } });
    await withNotificationsHeld(async (flush) => {
      const add = () => within(formDialog()).getByRole('button', { name: 'Add to queue' });
      act(() => add().click());
      await waitFor(() => expect(adds).toHaveBeenCalledTimes(1));
      // the dialog's own phone check is over and React has not heard of the pending save: the button is
      // enabled again, so the second confirm is really pressed
      await waitFor(() => expect(add()).toHaveProperty('disabled', false));
      act(() => add().click());
      // give a second confirm every chance to reach the service (its phone check, the mutation's onMutate)
      for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0)));
      flush();
      act(() => releases.splice(0).forEach((r) => r()));
      await waitFor(() => expect(formOpen()).toBe(false));
    });
    const view = await services.queue.status(CLINIC);
    expect(view.ok && view.value.entries.map((e) => e.patientName)).toEqual(['Amina']);
    expect(adds).toHaveBeenCalledTimes(1);
    // the finished save released the guard: the next walk-in is added
    queue.addWalkIn = addWalkIn;
    await openWith('w');
    fireEvent.change(field('Patient name'), { target: { value: 'Brahim' } });
    act(() => within(formDialog()).getByRole('button', { name: 'Add to queue' }).click());
    await waitFor(() => expect(formOpen()).toBe(false));
    const after = await services.queue.status(CLINIC);
    expect(after.ok && after.value.entries.map((e) => e.patientName)).toEqual(['Amina', 'Brahim']);
  });

  it('"Call … out of order" confirmed twice before React hears the call is pending: one call', async () => {
    const { services } = await setup();
    for (const name of ['Amina', 'Brahim'])
      expect((await services.queue.addWalkIn(CLINIC, { patientName: name })).ok).toBe(true);
    await screen.findByText('Brahim');
    const calls = vi.spyOn(services.queue, 'callSpecific');
    const view0 = await services.queue.status(CLINIC);
    const brahim = view0.ok ? view0.value.entries.find((e) => e.patientName === 'Brahim')! : undefined;
    fireEvent.click(screen.getByRole('button', { name: `Call ${brahim!.ticket}` }));
    const dialog = (await screen.findByText(`Call ${brahim!.ticket} out of order`)).closest('dialog')!;
    fireEvent.change(within(dialog).getByLabelText(/Reason/), { target: { value: 'Pain' } });
    await withNotificationsHeld(async (flush) => {
      const confirm = () => within(dialog).getByRole('button', { name: 'Call' });
      act(() => confirm().click());
      act(() => confirm().click());
      await waitFor(() => expect(calls).toHaveBeenCalled());
      for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0)));
      flush();
      await waitFor(() => expect(screen.getByTestId('toast-ok').textContent).toMatch(/called/i));
    });
    expect(calls).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('toast-error')).toBeNull();
  });

  // The release of a guard is tied to its own command: react-query runs mutate's callbacks for the LAST mutate
  // only, so a row click landing while "call next" was in flight used to leave the N guard set — N then did
  // nothing until the page was reloaded.
  it('a row command sent while "call next" is in flight leaves N working afterwards', async () => {
    const { services } = await setup();
    for (const name of ['Amina', 'Brahim', 'Chaima'])
      expect((await services.queue.addWalkIn(CLINIC, { patientName: name })).ok).toBe(true);
    expect((await services.queue.callNext(CLINIC, { practitionerId: 'dr-b', room: 'R2' })).ok).toBe(true);
    const startAmina = await screen.findByRole('button', { name: /^Start / });
    const queue = services.queue as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const callNext = queue.callNext!.bind(services.queue);
    const releases: (() => void)[] = [];
    const calls = vi.fn(
      (...a: unknown[]) => new Promise((resolve) => releases.push(() => resolve(callNext(...a)))),
    );
    queue.callNext = calls;
    await withNotificationsHeld(async (flush) => {
      fireEvent.keyDown(document.body, { key: 'n' });
      await waitFor(() => expect(calls).toHaveBeenCalledTimes(1));
      act(() => startAmina.click());
      for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0)));
      flush();
      act(() => releases.splice(0).forEach((r) => r()));
      await screen.findByText(/with doctor/i, { selector: 'td *, td' });
    });
    queue.callNext = calls.mockImplementation(callNext);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /Call next/ })).toHaveProperty('disabled', false),
    );
    fireEvent.keyDown(document.body, { key: 'n' });
    await waitFor(() => expect(calls).toHaveBeenCalledTimes(2));
  });
});
