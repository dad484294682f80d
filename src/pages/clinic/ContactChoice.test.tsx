// @vitest-environment jsdom
// The booking form's channel choice (issue 20) on the in-memory services: a returning patient's saved choice
// is shown; email without an address (or a bad one) is refused on the field before anything is booked, with
// the message tied to the input; a valid choice is saved on the patient's record; an untouched form saves
// nothing; Arabic renders right to left with the address left to right.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { ContactChoice, useContactChoice } from './ContactChoice';

const CLINIC = 'c1000000-0000-4000-8000-000000000001';
const USER = 'u1000000-0000-4000-8000-000000000001';
const PATIENT = 'p1000000-0000-4000-8000-000000000001';

afterEach(() => cleanup());

/** The text of the element(s) an input's aria-describedby points to. */
const describedBy = (el: HTMLElement): string =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();

/** The booking form's part: "Confirm" checks the choice, then (the booking done) saves it. */
function Harness({ onBooked }: { onBooked: () => void }) {
  const contact = useContactChoice(CLINIC, true);
  return (
    <div>
      <ContactChoice state={contact} />
      <button
        type="button"
        onClick={() => {
          if (!contact.check()) return;
          onBooked();
          contact.saveAfterBooking();
        }}
      >
        Confirm
      </button>
    </div>
  );
}

const setup = async (
  lng: 'en' | 'ar' | 'fr' = 'en',
  saved: { channel?: 'sms' | 'email'; email?: string; emailBounced?: boolean } = {},
) => {
  const made = createInMemoryServices({ actorId: USER, clock: new ManualClock('2026-11-24T08:00:00Z') });
  made.bookingWorld.addClinic({ id: CLINIC, hours: {} });
  made.bookingWorld.addPatient(CLINIC, PATIENT, 'Amina', USER, '+212600000001');
  Object.assign(made.bookingWorld.patients.get(PATIENT)!, saved);
  let booked = 0;
  const r = await renderWithServices(<Harness onBooked={() => booked++} />, made.services, { lng });
  return { made, r, booked: () => booked, record: () => made.bookingWorld.patients.get(PATIENT)! };
};

describe('ContactChoice', () => {
  it('email without an address, then a bad address: refused on the field, nothing booked or saved; a valid one is saved', async () => {
    const { booked, record } = await setup();
    const sms = await screen.findByRole('radio', { name: 'SMS' });
    expect((sms as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Email' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    const input = screen.getByRole('textbox', { name: 'Email address' });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(input)).toBe('Enter your email address to get messages by email.');
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: 'amina@' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(describedBy(input)).toBe('This email address is not valid.');
    expect(booked()).toBe(0);
    expect(record().email).toBeUndefined();

    fireEvent.change(input, { target: { value: ' Amina@Example.org ' } });
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(booked()).toBe(1);
    await waitFor(() => expect(record()).toMatchObject({ channel: 'email', email: 'amina@example.org' }));
  });

  it("a returning patient's saved choice is shown, and an untouched form saves nothing", async () => {
    const { record, booked } = await setup('en', { channel: 'email', email: 'amina@example.org' });
    await waitFor(() =>
      expect((screen.getByRole('radio', { name: 'Email' }) as HTMLInputElement).checked).toBe(true),
    );
    expect((screen.getByRole('textbox', { name: 'Email address' }) as HTMLInputElement).value).toBe(
      'amina@example.org',
    );
    record().email = 'changed-elsewhere@example.org';
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(booked()).toBe(1);
    // nothing written over the record (the form was not touched)
    expect(record().email).toBe('changed-elsewhere@example.org');
  });

  it('in Arabic: translated, the address field left to right', async () => {
    await setup('ar');
    expect(await screen.findByRole('group', { name: 'كيف ترسل لك العيادة رسائلها؟' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'البريد الإلكتروني' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'البريد الإلكتروني (اختياري)' }).getAttribute('dir')).toBe(
      'ltr',
    );
  });
  it('a bounced address: the patient is told next to it (en, fr, ar) until they change it; a new address clears it', async () => {
    const { r, record } = await setup('en', {
      channel: 'sms',
      email: 'old@example.test',
      emailBounced: true,
    });
    expect((await screen.findByTestId('email-bounced')).textContent).toMatch(/refused by its mail server/);
    const input = screen.getByLabelText('Email address (optional)');
    fireEvent.change(input, { target: { value: 'new@example.test' } });
    expect(screen.queryByTestId('email-bounced')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(record().email).toBe('new@example.test'));
    expect(record().emailBounced).toBe(false);
    r.unmount();
    cleanup();
    for (const [lng, text] of [
      ['fr', /refusés par son serveur/],
      ['ar', /رفض خادم البريد/],
    ] as const) {
      await setup(lng, { channel: 'email', email: 'old@example.test', emailBounced: true });
      expect((await screen.findByTestId('email-bounced')).textContent).toMatch(text);
      cleanup();
    }
    // no bounce, no notice
    await setup('en', { channel: 'email', email: 'ok@example.test' });
    await screen.findByRole('radio', { name: 'Email' });
    expect(screen.queryByTestId('email-bounced')).toBeNull();
  });
});
