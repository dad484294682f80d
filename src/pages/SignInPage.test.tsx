// @vitest-environment jsdom
// Security, session 17 (SMS pumping limits): when the auth service refuses to send another code (429
// over_sms_send_rate_limit → RATE.LIMITED), the patient is told to try again later in their language — the
// sign-in screen said "invalid phone number" for every refusal.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import { appError, ErrorCodes, type AppError } from '../services/shared/AppError';
import { err, type Result } from '../services/shared/Result';
import { holdErrorTexts } from '../../test/fixtures/heldErrorTexts';
import { renderWithServices } from '../../test/fixtures/renderWithServices';
import SignInPage from './SignInPage';

afterEach(() => {
  cleanup();
  window.history.pushState({}, '', '/');
});
vi.mock('../i18n/translator', async (real) =>
  (await import('../../test/fixtures/heldErrorTexts')).withHeldErrorTexts(await real()),
);

const CASES = [
  { lng: 'en', send: 'Send me a code', limited: 'Too many attempts. Please try again later.' },
  { lng: 'fr', send: 'Recevoir un code', limited: 'Trop de tentatives. Merci de réessayer plus tard.' },
  { lng: 'ar', send: 'أرسل لي رمزًا', limited: 'محاولات كثيرة. يرجى المحاولة لاحقًا.' },
] as const;

async function patientSignIn(lng: 'en' | 'fr' | 'ar', refusal: ReturnType<typeof appError>) {
  window.history.pushState({}, '', '/sign-in?as=patient');
  const made = createInMemoryServices();
  const refused: Result<void, AppError> = err(refusal);
  const send = vi.spyOn(made.services.auth, 'sendOtp').mockResolvedValue(refused);
  await renderWithServices(<SignInPage />, made.services, { lng });
  return { send };
}

describe('sign-in screen, a refused SMS code', () => {
  it.each(CASES)('rate limited: "try again later" in $lng, not "invalid number"', async (c) => {
    const { send } = await patientSignIn(c.lng, appError(ErrorCodes.RATE_LIMITED, 'SMS rate limit exceeded'));
    const phone = screen.getByRole('textbox');
    fireEvent.change(phone, { target: { value: '0612345678' } });
    fireEvent.click(screen.getByRole('button', { name: c.send }));
    expect((await screen.findByText(c.limited)).getAttribute('role')).toBe('alert');
    expect(send).toHaveBeenCalledTimes(1);
    // no code field: nothing was sent
    expect(screen.getAllByRole('textbox')).toHaveLength(1);
  });

  it('a refused number still says the number is invalid', async () => {
    await patientSignIn('en', appError(ErrorCodes.VALIDATION_FAILED, 'invalid phone'));
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send me a code' }));
    expect((await screen.findByRole('alert')).textContent).not.toBe(
      'Too many attempts. Please try again later.',
    );
  });
});

// sec24a (review24 L2): the local auth refuses a number libphonenumber finds invalid (+212612398793123, a +2125…
// or +2128… it does not know) with 400 validation_failed → VALIDATION.FAILED; the screen words it PHONE.INVALID.
const INVALID = [
  { lng: 'en', send: CASES[0].send, text: 'This is not a valid phone number.' },
  { lng: 'fr', send: CASES[1].send, text: "Ce numéro de téléphone n'est pas valide." },
  { lng: 'ar', send: CASES[2].send, text: 'رقم الهاتف هذا غير صالح.' },
] as const;

describe('sign-in screen, a number the auth finds invalid', () => {
  it.each(INVALID)('"not a valid phone number" in $lng, and no code field', async (c) => {
    const { send } = await patientSignIn(
      c.lng,
      appError(ErrorCodes.VALIDATION_FAILED, 'Invalid phone number format (E.164 required)', {
        authCode: 'validation_failed',
        status: 400,
      }),
    );
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '+212612398793123' } });
    fireEvent.click(screen.getByRole('button', { name: c.send }));
    expect((await screen.findByRole('alert')).textContent).toBe(c.text);
    expect(send).toHaveBeenCalledTimes(1);
    expect(screen.getAllByRole('textbox')).toHaveLength(1);
  });
});

// sec20: a password sign-in refused because the account (or the network) has too many failures — GoTrue's 429,
// RATE.LIMITED — said "wrong login or password", so the owner kept trying, each try refused. Now the screen says
// "too many attempts, try again later" in their language (the message the code screen uses for its limits).
const LOCKED = [
  { lng: 'en', submit: 'Sign in', text: CASES[0].limited },
  { lng: 'fr', submit: 'Se connecter', text: CASES[1].limited },
  { lng: 'ar', submit: 'دخول', text: CASES[2].limited },
] as const;

describe('sign-in screen, a password sign-in refused for too many failures', () => {
  it.each(LOCKED)(
    '429 RATE.LIMITED: "too many attempts, try again later" in $lng, not "wrong password"',
    async (c) => {
      window.history.pushState({}, '', '/sign-in');
      const made = createInMemoryServices();
      const signIn = vi
        .spyOn(made.services.auth, 'signInWithPassword')
        .mockResolvedValue(
          err(appError(ErrorCodes.RATE_LIMITED, 'Too many failed sign-ins for this account')),
        );
      await renderWithServices(<SignInPage />, made.services, { lng: c.lng });
      fireEvent.change(screen.getAllByRole('textbox')[0]!, { target: { value: 'owner@clinic.ma' } });
      fireEvent.change(document.querySelector('input[type="password"]')!, { target: { value: 'guess' } });
      fireEvent.click(screen.getByRole('button', { name: c.submit }));
      expect((await screen.findByRole('alert')).textContent).toBe(c.text);
      expect(signIn).toHaveBeenCalledTimes(1);
    },
  );

  it('a wrong password still says so', async () => {
    window.history.pushState({}, '', '/sign-in');
    const made = createInMemoryServices();
    vi.spyOn(made.services.auth, 'signInWithPassword').mockResolvedValue(
      err(appError(ErrorCodes.VALIDATION_FAILED, 'Invalid login credentials')),
    );
    await renderWithServices(<SignInPage />, made.services, { lng: 'en' });
    fireEvent.change(document.querySelector('input[type="password"]')!, { target: { value: 'guess' } });
    fireEvent.change(screen.getAllByRole('textbox')[0]!, { target: { value: 'owner@clinic.ma' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong login or password.');
  });
});

// mend23: a sign-up refused before the lazily loaded error texts had arrived said "Wrong login or password." for
// good (the wording was decided, and stored, when the refusal came); it is now worded when shown
describe('sign-up screen, a refusal that arrives before the error texts', () => {
  it('says the refusal in its own words once they have loaded, not "wrong password"', async () => {
    const release = holdErrorTexts();
    window.history.pushState({}, '', '/sign-in');
    const made = createInMemoryServices();
    const signUp = vi
      .spyOn(made.services.auth, 'signUp')
      .mockResolvedValue(err(appError(ErrorCodes.RATE_LIMITED, 'Too many sign-ups from this network')));
    await renderWithServices(<SignInPage />, made.services, { lng: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Create an account' }));
    fireEvent.change(screen.getByLabelText('Full name'), { target: { value: 'Amina Alaoui' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'owner@clinic.ma' } });
    fireEvent.change(document.querySelector('input[type="password"]')!, {
      target: { value: 'a long secret' },
    });
    fireEvent.submit(document.querySelector('#panel-staff')!);
    await screen.findByRole('alert');
    expect(signUp).toHaveBeenCalledTimes(1);
    release();
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('Too many attempts. Please try again later.'),
    );
  });
});

// sec25: a Moroccan landline (+2125…) is a local number SMS cannot reach; the local auth answers phone_not_mobile →
// PHONE.NOT_MOBILE and the screen says "a landline — enter a mobile", not COUNTRY_NOT_ALLOWED's "a local number".
const LANDLINE = [
  { lng: 'en', send: CASES[0].send, text: /landline.*06… or 07…/ },
  { lng: 'fr', send: CASES[1].send, text: /fixe.*06… ou 07…/ },
  { lng: 'ar', send: CASES[2].send, text: /ثابت.*06… أو 07…/ },
] as const;

describe('sign-in screen, a landline', () => {
  it.each(LANDLINE)('"enter a mobile (06… or 07…)" in $lng, and no code field', async (c) => {
    const { send } = await patientSignIn(
      c.lng,
      appError(ErrorCodes.PHONE_NOT_MOBILE, 'This number is a landline', {
        authCode: 'phone_not_mobile',
        status: 422,
      }),
    );
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '0522123456' } });
    fireEvent.click(screen.getByRole('button', { name: c.send }));
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    await waitFor(() => expect(alert.textContent).toMatch(c.text));
    expect(alert.textContent).not.toMatch(/local|locale|محلي/);
    expect(send).toHaveBeenCalledTimes(1);
    expect(screen.getAllByRole('textbox')).toHaveLength(1);
  });
});

// sec26: the local auth refuses a sign-up address with an invisible character or a non-ASCII domain (400
// email_domain_not_ascii → EMAIL.DOMAIN_NOT_ASCII); the screen says so in the user's language, not "wrong login"
const DOMAIN = [
  { lng: 'en', signUp: 'Create an account', name: 'Full name', email: 'Email', text: /hidden or look-alike/ },
  {
    lng: 'fr',
    signUp: 'Créer un compte',
    name: 'Nom complet',
    email: 'E-mail',
    text: /invisibles ou trompeurs/,
  },
  {
    lng: 'ar',
    signUp: 'إنشاء حساب',
    name: 'الاسم الكامل',
    email: 'البريد الإلكتروني',
    text: /مخفية أو مشابهة/,
  },
] as const;

describe('sign-up screen, an e-mail domain that is not ASCII', () => {
  it.each(DOMAIN)('"hidden or look-alike characters after the @" in $lng', async (c) => {
    window.history.pushState({}, '', '/sign-in');
    const made = createInMemoryServices();
    const signUp = vi.spyOn(made.services.auth, 'signUp').mockResolvedValue(
      err(
        appError(ErrorCodes.EMAIL_DOMAIN_NOT_ASCII, 'Unable to validate email address', {
          authCode: 'email_domain_not_ascii',
          status: 400,
        }),
      ),
    );
    await renderWithServices(<SignInPage />, made.services, { lng: c.lng });
    fireEvent.click(screen.getByRole('button', { name: c.signUp }));
    fireEvent.change(screen.getByLabelText(c.name), { target: { value: 'Amina Alaoui' } });
    fireEvent.change(screen.getByLabelText(c.email), { target: { value: 'owner@gm\u200bail.com' } });
    fireEvent.change(document.querySelector('input[type="password"]')!, {
      target: { value: 'a long secret' },
    });
    fireEvent.submit(document.querySelector('#panel-staff')!);
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    await waitFor(() => expect(alert.textContent).toMatch(c.text));
    expect(signUp).toHaveBeenCalledTimes(1);
  });
});
