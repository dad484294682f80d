// @vitest-environment jsdom
// Issue 20: from My visits, a patient changes how the clinic writes to them (SMS or email, and the address) on
// their own record; a bad address is refused on the field and nothing is saved; a saved change says so.
// email18: a saved address the patient has not proved asks for the code mailed to it (EmailProof); only the right
// code proves it, and typing another address asks again. mail22: the code is QueueMed's own (the database's
// request_notification_email_code / confirm_notification_email); each refusal says what to do — wrong, expired,
// too many wrong codes, too many asked for — in en/fr/ar.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithServices } from '../../../test/fixtures/renderWithServices';
import { createInMemoryServices } from '../../services/composition/inMemory';
import { ManualClock } from '../../services/shared/Clock';
import { ContactPreferencesCard } from './ContactPreferencesCard';

const CLINIC = 'c1000000-0000-4000-8000-000000000001';
const USER = 'u1000000-0000-4000-8000-000000000001';
const PATIENT = 'p1000000-0000-4000-8000-000000000001';

afterEach(() => cleanup());

const setup = async (lng: 'en' | 'fr' | 'ar' = 'en', savedEmail?: string) => {
  const clock = new ManualClock('2026-11-24T08:00:00Z');
  const made = createInMemoryServices({ actorId: USER, clock });
  made.bookingWorld.addClinic({ id: CLINIC, hours: {} });
  made.bookingWorld.addPatient(CLINIC, PATIENT, 'Amina', USER, '+212600000001');
  if (savedEmail)
    Object.assign(made.bookingWorld.patients.get(PATIENT)!, { channel: 'email', email: savedEmail });
  await renderWithServices(<ContactPreferencesCard clinicId={CLINIC} clinicName="Atlas" />, made.services, {
    lng,
    page: 'visits',
  });
  return { record: () => made.bookingWorld.patients.get(PATIENT)!, world: made.bookingWorld, clock };
};

describe('ContactPreferencesCard (My visits)', () => {
  it('the patient switches to email with an address; a bad address is refused first and nothing is saved', async () => {
    const { record } = await setup();
    expect(await screen.findByRole('heading', { name: 'Messages from Atlas' })).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'Email' }));
    const input = screen.getByRole('textbox', { name: 'Email address' });
    fireEvent.change(input, { target: { value: 'amina@' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(record().email).toBeUndefined();
    fireEvent.change(input, { target: { value: 'Amina@Example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(record()).toMatchObject({ channel: 'email', email: 'amina@example.org' }));
    expect(await screen.findByText('Saved: the clinic will write to you this way.')).toBeTruthy();
    // and back to SMS
    fireEvent.click(screen.getByRole('radio', { name: 'SMS' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(record()).toMatchObject({ channel: 'sms' }));
  });

  it('a saved address is not mailed until confirmed: the code sent to it proves it; a wrong code does not; another address asks again', async () => {
    const { record, world } = await setup();
    await screen.findByRole('heading', { name: 'Messages from Atlas' });
    fireEvent.click(screen.getByRole('radio', { name: 'Email' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Email address' }), {
      target: { value: 'amina@example.org' },
    });
    // typed, not saved: the form says an address is mailed only once confirmed
    expect(screen.getByTestId('email-to-confirm').textContent).toBe(
      'Nothing is emailed to this address until you confirm it with a code sent to it.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(record()).toMatchObject({ channel: 'email', email: 'amina@example.org' }));
    // saved but not proved: the card says nothing goes there yet, and offers the code
    const proof = await screen.findByTestId('email-proof');
    expect(within(proof).getByRole('heading', { name: 'Confirm your email' })).toBeTruthy();
    expect(proof.textContent).toContain('The clinic sends nothing to');
    expect(screen.queryByTestId('email-confirmed')).toBeNull();
    expect(world.emailOutbox.get('amina@example.org')).toBeUndefined();
    fireEvent.click(within(proof).getByRole('button', { name: 'Send the code' }));
    const codeInput = await within(proof).findByRole('textbox', { name: 'Code from the email' });
    const code = world.emailOutbox.get('amina@example.org')!;
    expect(code).toMatch(/^\d{6}$/);
    // not six digits: said on the spot; a wrong code: refused, nothing proved
    fireEvent.change(codeInput, { target: { value: '12' } });
    fireEvent.click(within(proof).getByRole('button', { name: 'Confirm' }));
    expect((await within(proof).findByRole('alert')).textContent).toBe('Enter the 6 digits from the email.');
    fireEvent.change(codeInput, { target: { value: code === '999999' ? '999998' : '999999' } });
    fireEvent.click(within(proof).getByRole('button', { name: 'Confirm' }));
    await waitFor(() =>
      expect(within(proof).getByRole('alert').textContent).toBe(
        'Wrong code. Check it, or ask for a new one.',
      ),
    );
    expect(world.provedEmails.get(USER)?.has('amina@example.org')).not.toBe(true);
    // the right code: proved, the panel gives way to "confirmed"
    fireEvent.change(codeInput, { target: { value: code } });
    fireEvent.click(within(proof).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Email confirmed: the clinic can write to you there.')).toBeTruthy();
    expect(await screen.findByTestId('email-confirmed')).toBeTruthy();
    expect(screen.queryByTestId('email-proof')).toBeNull();
    expect(world.provedEmails.get(USER)?.has('amina@example.org')).toBe(true);
    // another address is not proved: asked again
    fireEvent.change(screen.getByRole('textbox', { name: 'Email address' }), {
      target: { value: 'amina.new@example.org' },
    });
    expect(screen.queryByTestId('email-confirmed')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(record()).toMatchObject({ email: 'amina.new@example.org' }));
    expect(await screen.findByTestId('email-proof')).toBeTruthy();
  });

  const askCode = async () => {
    const proof = await screen.findByTestId('email-proof');
    fireEvent.click(within(proof).getByRole('button', { name: /Send (the|a new) code/ }));
    const codeInput = await within(proof).findByRole('textbox', { name: 'Code from the email' });
    return { proof, codeInput };
  };
  const enter = async (proof: HTMLElement, codeInput: HTMLElement, value: string, said: string) => {
    fireEvent.change(codeInput, { target: { value } });
    fireEvent.click(within(proof).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(within(proof).getByRole('alert').textContent).toBe(said));
  };

  it('an expired code says so; five wrong codes drop it (the right one is then refused) and a new code is needed', async () => {
    const { world, clock } = await setup('en', 'amina@example.org');
    const { proof, codeInput } = await askCode();
    const code = world.emailOutbox.get('amina@example.org')!;
    // 15 minutes later the code no longer proves anything
    clock.advanceMinutes(16);
    await enter(proof, codeInput, code, 'This code has expired. Ask for a new one.');
    fireEvent.click(within(proof).getByRole('button', { name: 'Send a new code' }));
    await waitFor(() => expect(world.emailOutbox.get('amina@example.org')).not.toBe(code));
    const fresh = world.emailOutbox.get('amina@example.org')!;
    const wrong = fresh === '999999' ? '999998' : '999999';
    for (let i = 0; i < 4; i++)
      await enter(proof, codeInput, wrong, 'Wrong code. Check it, or ask for a new one.');
    await enter(proof, codeInput, wrong, 'Too many wrong codes. Ask for a new one.');
    await enter(proof, codeInput, fresh, 'Wrong code. Check it, or ask for a new one.');
    expect(world.provedEmails.get(USER)?.has('amina@example.org')).not.toBe(true);
  });

  it('asking for too many codes is refused with a translated message, not a raw error', async () => {
    const { world } = await setup('fr', 'amina@example.org');
    world.emailCodeAsks.set(
      USER,
      [1, 2, 3, 4, 5].map(() => Date.parse('2026-11-24T07:59:00Z')),
    );
    const proof = await screen.findByTestId('email-proof');
    fireEvent.click(within(proof).getByRole('button', { name: 'Envoyer le code' }));
    // the error texts may still be loading when the refusal arrives: the alert says so in words once they are
    await waitFor(() =>
      expect(within(proof).getByRole('alert').textContent).toBe(
        'Trop de tentatives. Merci de réessayer plus tard.',
      ),
    );
    expect(world.emailOutbox.get('amina@example.org')).toBeUndefined();
    expect(proof.textContent).toContain('votre connexion ne change pas');
  });

  it('confirm your email in Arabic (right to left; the address and the code stay left to right)', async () => {
    await setup('ar', 'amina@example.org');
    const proof = await screen.findByTestId('email-proof');
    expect(within(proof).getByRole('heading', { name: 'أكِّد بريدك الإلكتروني' })).toBeTruthy();
    fireEvent.click(within(proof).getByRole('button', { name: 'أرسل الرمز' }));
    const codeInput = await within(proof).findByRole('textbox', { name: 'الرمز الوارد في البريد' });
    expect(codeInput.getAttribute('dir')).toBe('ltr');
    expect(proof.textContent).toContain('\u2066amina@example.org\u2069');
    // a wrong code: the coded refusal in Arabic
    fireEvent.change(codeInput, { target: { value: '000000' } });
    fireEvent.click(within(proof).getByRole('button', { name: 'تأكيد' }));
    await waitFor(() =>
      expect(within(proof).getByRole('alert').textContent).toBe('رمز غير صحيح. تحقّق منه أو اطلب رمزًا جديدًا.'),
    );
  });

  it('in French', async () => {
    await setup('fr');
    expect(await screen.findByRole('heading', { name: 'Messages de Atlas' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Enregistrer' })).toBeTruthy();
  });
});
