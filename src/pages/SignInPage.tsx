/** Staff: email or phone + password. Patients: phone + one-time SMS code. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { AppShell } from '../components/AppShell';
import { navigate, searchParam } from '../components/router';
import { Button, Card, Field, Input, cx } from '../components/ui';
import { useSignIn } from '../hooks/useAuth';
import { useErrorText } from '../i18n/pageStrings';
import { useSingleFlight } from '../hooks/useSingleFlight';

/**
 * A sign-up failure's message, worded at render from its code: the coded error's translation, else the generic
 * sign-in failure. Until the error texts have loaded it cannot tell which, so it says "Loading…" (never the
 * generic failure for a refusal that has its own words).
 */
function useAuthErrorText() {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText(); // loads the error messages (src/i18n/README.md)
  return (code: string) => {
    const words = errorText(code); // "Loading…" while the error texts load: too early to tell which it is
    return (code && code !== 'AUTH.REQUIRED' && i18n.exists(`errors.${code}`)) ||
      words === t('common.loading')
      ? words
      : t('auth.failed');
  };
}

const codeOf = (e: unknown): unknown =>
  typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
const isRateLimited = (e: unknown) => codeOf(e) === 'RATE.LIMITED';

export default function SignInPage() {
  const { t } = useTranslation();
  const prefill = searchParam('login') ?? '';
  const next = searchParam('next');
  const [tab, setTab] = useState<'staff' | 'patient'>(searchParam('as') === 'patient' ? 'patient' : 'staff');
  const [identifier, setIdentifier] = useState(prefill);
  const [password, setPassword] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [codeSent, setCodeSent] = useState(false);
  // a message, or a coded error translated when shown (its messages may still be loading when it happens); `signUp`:
  // a sign-up's refusal, its own words if it has them, else the generic failure
  const [error, setError] = useState<string | { code: string } | { signUp: string } | null>(null);
  const [signUp, setSignUp] = useState(false);
  const [fullName, setFullName] = useState('');
  const signIn = useSignIn();
  // one sign-up, one code sent (an SMS costs), one sign-in at a time
  const s = {
    ...signIn,
    signUp: useSingleFlight(signIn.signUp),
    password: useSingleFlight(signIn.password),
    sendOtp: useSingleFlight(signIn.sendOtp),
    verifyOtp: useSingleFlight(signIn.verifyOtp),
  };
  const errorText = useAuthErrorText();
  const codeText = useErrorText(); // a coded error's own translation (the error messages load on demand)
  const safeNext = (fallback: string) =>
    next && next.startsWith('/') && !next.startsWith('//') ? next : fallback;

  // sec20: too many failed passwords (for this account, or from this network) is not "wrong password": the server
  // refuses every password for a while — the "too many attempts, try again later" the code screen shows too
  const passwordFailed = (err: unknown) =>
    setError(isRateLimited(err) ? { code: 'RATE.LIMITED' } : t('auth.failed'));
  const staffSubmit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    // the staff screen's code loads while the password is checked (issue 14: it was fetched only once the URL
    // was /staff, and the desk's keys waited for it; the key buffer covers what is left of that gap)
    if (safeNext('/staff') === '/staff') void import('./DashboardPage');
    if (signUp) {
      s.signUp.mutate(
        { email: identifier, password, fullName: fullName.trim() },
        {
          onSuccess: () =>
            s.password.mutate(
              { identifier, password },
              { onSuccess: () => navigate(safeNext('/staff')), onError: passwordFailed },
            ),
          onError: (err) => setError({ signUp: String(codeOf(err) ?? '') }),
        },
      );
      return;
    }
    s.password.mutate(
      { identifier, password },
      { onSuccess: () => navigate(safeNext('/staff')), onError: passwordFailed },
    );
  };
  const otpSubmit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!codeSent)
      s.sendOtp.mutate(phone, {
        onSuccess: () => setCodeSent(true),
        // too many codes for this number or from this network (SMS pumping limits): "try again later"; a number
        // outside the deployment's SMS countries (sec22a): says so; anything else: the number was refused
        onError: (err) =>
          setError(
            isRateLimited(err)
              ? { code: 'RATE.LIMITED' }
              : codeOf(err) === 'PHONE.COUNTRY_NOT_ALLOWED'
                ? { code: 'PHONE.COUNTRY_NOT_ALLOWED' }
                : // sec25: a landline (+2125…) is local, but SMS cannot reach it: "enter a mobile"
                  codeOf(err) === 'PHONE.NOT_MOBILE'
                  ? { code: 'PHONE.NOT_MOBILE' }
                  : t('errors.PHONE.INVALID'),
          ),
      });
    else
      s.verifyOtp.mutate(
        { phone, code },
        { onSuccess: () => navigate(safeNext('/me')), onError: () => setError(t('auth.otpFailed')) },
      );
  };
  const tabBtn = (k: 'staff' | 'patient', label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${k}`}
      aria-selected={tab === k}
      aria-controls={`panel-${k}`}
      onClick={() => {
        setTab(k);
        setError(null);
      }}
      className={cx(
        'flex-1 rounded-lg py-2 text-sm font-semibold',
        tab === k ? 'bg-white text-brand-900 shadow' : 'text-muted',
      )}
    >
      {label}
    </button>
  );
  return (
    <AppShell narrow>
      <Card className="mx-auto max-w-md">
        <h1 className="mb-4 text-2xl font-bold">{t('auth.title')}</h1>
        <div
          role="tablist"
          aria-label={t('auth.title')}
          className="mb-5 flex gap-1 rounded-xl bg-slate-100 p-1"
        >
          {tabBtn('staff', t('auth.staffTab'))}
          {tabBtn('patient', t('auth.patientTab'))}
        </div>
        {error && (
          <p role="alert" className="mb-4 rounded-xl bg-danger-50 p-3 text-sm font-medium text-danger-700">
            {typeof error === 'string'
              ? error
              : 'code' in error
                ? codeText(error.code)
                : errorText(error.signUp)}
          </p>
        )}
        {tab === 'staff' ? (
          <form
            id="panel-staff"
            role="tabpanel"
            aria-labelledby="tab-staff"
            onSubmit={staffSubmit}
            className="flex flex-col gap-4"
          >
            {signUp && (
              <Field label={t('auth.fullName')}>
                {(id) => (
                  <Input
                    id={id}
                    autoComplete="name"
                    required
                    value={fullName}
                    onChange={(e) => setFullName(e.target.value)}
                  />
                )}
              </Field>
            )}
            <Field label={signUp ? t('auth.email') : t('auth.identifier')}>
              {(id) => (
                <Input
                  id={id}
                  dir="ltr"
                  type={signUp ? 'email' : 'text'}
                  autoComplete="username"
                  required
                  value={identifier}
                  onChange={(e) => setIdentifier(e.target.value)}
                />
              )}
            </Field>
            <Field label={t('auth.password')}>
              {(id) => (
                <Input
                  id={id}
                  type="password"
                  dir="ltr"
                  autoComplete={signUp ? 'new-password' : 'current-password'}
                  minLength={signUp ? 8 : undefined}
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
            <Button type="submit" size="lg" busy={s.password.isPending || s.signUp.isPending}>
              {signUp ? t('auth.signUp') : t('auth.submit')}
            </Button>
            <button
              type="button"
              className="text-sm font-semibold text-brand-800 underline"
              onClick={() => {
                setSignUp((v) => !v);
                setError(null);
              }}
            >
              {signUp ? t('auth.title') : t('auth.signUp')}
            </button>
          </form>
        ) : (
          <form
            id="panel-patient"
            role="tabpanel"
            aria-labelledby="tab-patient"
            onSubmit={otpSubmit}
            className="flex flex-col gap-4"
          >
            <Field label={t('auth.phone')} hint={t('auth.phoneHint')}>
              {(id, d) => (
                <Input
                  id={id}
                  aria-describedby={d}
                  type="tel"
                  dir="ltr"
                  inputMode="tel"
                  autoComplete="tel"
                  required
                  value={phone}
                  disabled={codeSent}
                  onChange={(e) => setPhone(e.target.value)}
                />
              )}
            </Field>
            {codeSent && (
              <>
                <p className="text-sm text-muted">{t('auth.codeSent', { phone })}</p>
                <Field label={t('auth.code')}>
                  {(id) => (
                    <Input
                      id={id}
                      dir="ltr"
                      inputMode="numeric"
                      autoComplete="one-time-code"
                      required
                      value={code}
                      onChange={(e) => setCode(e.target.value)}
                    />
                  )}
                </Field>
              </>
            )}
            <Button type="submit" size="lg" busy={s.sendOtp.isPending || s.verifyOtp.isPending}>
              {codeSent ? t('auth.verify') : t('auth.sendCode')}
            </Button>
          </form>
        )}
      </Card>
    </AppShell>
  );
}
