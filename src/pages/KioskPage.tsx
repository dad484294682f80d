/**
 * Kiosk at the entrance (kiosk17). The tablet runs on a kiosk device token, not on a staff session: a staff member
 * (owner, admin, receptionist) signs in on the tablet once, pairs it here, and is signed out of it at once; from
 * then on the tablet can only check patients in (docs/security.md, "The waiting-room kiosk"). A check-in needs the
 * ticket code AND the last 4 digits of the patient's phone; after too many wrong answers the screen sends patients
 * to the desk. A patient's screen (issue 15.5): no staff navigation or account, and it starts over by itself — the
 * answer (and what was typed) is cleared KIOSK_RESET_MS after it is shown, so the next patient finds an empty form.
 * Staff opening /kiosk on an unpaired device see the clinic's kiosks and can unpair one (it stops at once).
 * kiosk17f: a tablet with nobody signed in asks for a pairing code instead (a staff member gets one on their own
 * screen); a patient without a booking takes a ticket (walk-in registration); a check-in or a registration ends on a
 * printable ticket. The new screens are lazy chunks: the kiosk's first screen stays as small as it was.
 */
import { lazy, Suspense, useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { checkInTooEarlyParams } from '../components/errorParams';
import { AppShell } from '../components/AppShell';
import { StaffGate } from '../components/StaffGate';
import { useToast } from '../components/Toasts';
import { Button, Card, Field, Input, LoadingBlock } from '../components/ui';
import { usePageStrings } from '../i18n/pageStrings';
import { useKioskCheckIn, useKioskDevice } from '../hooks/useKiosk';
import { useKioskToken } from '../hooks/useKioskToken';
import { useSingleFlight } from '../hooks/useSingleFlight';
import { useSession } from '../hooks/useAuth';

// the staff side of an unpaired device (pair, unpair) loads only there — a paired kiosk never needs it
const KioskPairing = lazy(() => import('./kiosk/KioskPairing'));
// kiosk17f: the code an unpaired tablet is paired with, the walk-in form, the printable ticket — each on first use
const KioskCodeEntry = lazy(() => import('./kiosk/KioskCodeEntry'));
const KioskWalkIn = lazy(() => import('./kiosk/KioskWalkIn'));
const KioskTicket = lazy(() => import('./kiosk/KioskTicket'));

/** How long a check-in answer stays on screen before the kiosk is ready for the next patient. */
export const KIOSK_RESET_MS = 10_000;

const codeOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;

export default function KioskPage() {
  // the kiosk's strings come with this page, in the reader's language (src/i18n/pageStrings.ts)
  const { t } = useTranslation();
  const ready = usePageStrings('kiosk', true);
  const [token, setToken] = useKioskToken();
  const user = useSession();
  if (!ready) return <LoadingBlock label={t('common.loading')} />;
  if (token)
    return (
      <AppShell kiosk>
        <Kiosk token={token} onUnpaired={() => setToken(null)} />
      </AppShell>
    );
  // nobody signed in on this tablet: it is paired by a staff member's code (or a staff member signs in here)
  if (user === null)
    return (
      <AppShell kiosk>
        <Suspense fallback={<LoadingBlock label={t('common.loading')} />}>
          <KioskCodeEntry onPaired={setToken} />
        </Suspense>
      </AppShell>
    );
  return (
    <StaffGate>
      {(m) => (
        <Suspense fallback={<LoadingBlock label={t('common.loading')} />}>
          <KioskPairing member={m} onPaired={setToken} />
        </Suspense>
      )}
    </StaffGate>
  );
}

/** The patient's screen of a paired tablet. */
export function Kiosk({ token, onUnpaired }: { token: string; onUnpaired: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const device = useKioskDevice(token);
  const [ticket, setTicket] = useState('');
  const [digits, setDigits] = useState('');
  const [walkIn, setWalkIn] = useState(false);
  const check = useSingleFlight(useKioskCheckIn(token));
  const r = check.data;
  const failure = codeOf(check.error);
  const { reset } = check;
  const startOver = useCallback(() => {
    reset();
    setTicket('');
    setDigits('');
    setWalkIn(false);
  }, [reset]);
  // an answer (or a "go to the desk") stays KIOSK_RESET_MS, then the form is empty for the next patient
  const answered = r !== undefined || failure === 'KIOSK.TOO_MANY_ATTEMPTS';
  useEffect(() => {
    if (!answered) return undefined;
    const timer = setTimeout(startOver, KIOSK_RESET_MS);
    return () => clearTimeout(timer);
  }, [answered, r, check.error, startOver]);

  if (codeOf(device.error) === 'KIOSK.NOT_PAIRED' || failure === 'KIOSK.NOT_PAIRED')
    return (
      <div className="mx-auto max-w-xl">
        <Card className="text-center">
          <p role="alert" className="text-lg font-medium">
            {t('kiosk.notPaired')}
          </p>
          <Button className="mt-4" onClick={onUnpaired}>
            {t('kiosk.pairAgain')}
          </Button>
        </Card>
      </div>
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    check.mutate(
      { ticket, phoneLast4: digits },
      {
        onError: (err) => {
          const c = codeOf(err);
          if (c !== 'KIOSK.TOO_MANY_ATTEMPTS' && c !== 'KIOSK.NOT_PAIRED')
            toast.error(err, checkInTooEarlyParams(err, {}));
        },
      },
    );
  };
  return (
    <div className="mx-auto max-w-xl">
      <Card className="text-center">
        <h1 className="text-3xl font-bold">{t('kiosk.title')}</h1>
        {device.data && <p className="mt-1 font-semibold text-brand-900">{device.data.clinicName}</p>}
        {!walkIn && <p className="mt-2 text-lg text-muted">{t('kiosk.lead')}</p>}
        {walkIn ? (
          <Suspense fallback={<LoadingBlock label={t('common.loading')} />}>
            <KioskWalkIn token={token} resetMs={KIOSK_RESET_MS} onDone={startOver} />
          </Suspense>
        ) : r?.found ? (
          <Suspense fallback={<LoadingBlock label={t('common.loading')} />}>
            <KioskTicket ticket={r} headline={t('kiosk.done', { ticket: r.ticket })} onDone={startOver} />
          </Suspense>
        ) : (
          <form onSubmit={submit} className="mt-6 flex flex-col gap-3 text-start">
            <Field label={t('kiosk.ticket')}>
              {(id) => (
                <Input
                  id={id}
                  dir="ltr"
                  inputMode="text"
                  autoComplete="off"
                  autoFocus
                  required
                  maxLength={20}
                  value={ticket}
                  onChange={(e) => setTicket(e.target.value)}
                  className="min-h-16 text-center text-3xl tracking-widest"
                />
              )}
            </Field>
            <Field label={t('kiosk.digits')}>
              {(id) => (
                <Input
                  id={id}
                  dir="ltr"
                  inputMode="numeric"
                  autoComplete="off"
                  required
                  maxLength={4}
                  pattern="[0-9\u0660-\u0669\u06F0-\u06F9]{4}"
                  value={digits}
                  onChange={(e) => setDigits(e.target.value)}
                  className="min-h-16 text-center text-3xl tracking-widest"
                />
              )}
            </Field>
            {r && !r.found && (
              <p role="alert" className="rounded-xl bg-warn-50 p-3 font-medium text-warn-700">
                {t('kiosk.notFound')}
              </p>
            )}
            {failure === 'KIOSK.TOO_MANY_ATTEMPTS' && (
              <p role="alert" className="rounded-xl bg-warn-50 p-3 font-medium text-warn-700">
                {t('kiosk.tooMany')}
              </p>
            )}
            <Button type="submit" size="lg" busy={check.isPending}>
              {t('kiosk.submit')}
            </Button>
            {/* the clinic may register walk-ins at the desk only (kiosk_walk_ins, board20): no button then. The
                button waits for the settings (feat21a): shown while they load, a tap on a kiosk whose clinic turned
                walk-ins off got KIOSK.WALK_INS_OFF after the patient had typed a name and phone */}
            {/* fix21d: settings that could not be read (anything but an unpairing, handled above) say so with a
                retry, and are asked again by themselves (useKioskDevice's refetchInterval): before, the button was
                gone for good on a tablet nobody refocuses */}
            {device.isPending ? (
              <LoadingBlock rows={1} label={t('common.loading')} />
            ) : device.isError && !device.data ? (
              <p role="alert" className="rounded-xl bg-warn-50 p-3 font-medium text-warn-700">
                {t('kiosk.settingsFailed')}
                <Button variant="secondary" onClick={() => void device.refetch()}>
                  {t('kiosk.retry')}
                </Button>
              </p>
            ) : (
              device.data?.walkIns === true && (
                <>
                  <p className="mt-4 text-center text-lg font-medium">{t('kiosk.noBooking')}</p>
                  <Button type="button" size="lg" variant="secondary" onClick={() => setWalkIn(true)}>
                    {t('kiosk.walkInStart')}
                  </Button>
                </>
              )
            )}
          </form>
        )}
      </Card>
    </div>
  );
}
