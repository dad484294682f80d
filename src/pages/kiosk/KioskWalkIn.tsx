/**
 * Walk-in self-registration at the kiosk (kiosk17f): a patient without a booking types a name and a phone and
 * takes a place in today's line; the database applies the clinic's walk-in rules (intake paused, day closed,
 * closed date, opening hours, the day's walk-in cap, one visit a day) and at most 10 registrations per kiosk in
 * 10 minutes. A refusal sends the patient to the desk in their language, never an error code. The answer is the
 * printable ticket (KioskTicket). A form left half-filled is cleared after KIOSK_IDLE_MS without a key press.
 * Loaded when a patient taps "Take a ticket": the kiosk's first screen does not carry it.
 */
import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button, Field, Input, LoadingBlock } from '../../components/ui';
import { useKioskWalkIn } from '../../hooks/useKiosk';
import { useSingleFlight } from '../../hooks/useSingleFlight';
import { usePageStrings } from '../../i18n/pageStrings';

const KioskTicket = lazy(() => import('./KioskTicket'));

/** A half-filled walk-in form nobody touches for this long goes back to the start screen. */
export const KIOSK_IDLE_MS = 60_000;

/** The refusals a patient can do something about, in the kiosk's words (the rest: a translated toast). */
const MESSAGE_OF: Record<string, string> = {
  'RATE.LIMITED': 'kioskMore.walkInBusy',
  'KIOSK.OUTSIDE_HOURS': 'kioskMore.walkInClosed',
  'QUEUE.INTAKE_CLOSED': 'kioskMore.walkInClosed',
  'QUEUE.CLOSED': 'kioskMore.walkInClosed',
  'BOOKING.CLINIC_CLOSED': 'kioskMore.walkInClosed',
  'QUEUE.WALK_IN_LIMIT_REACHED': 'kioskMore.walkInClosed',
  // sec20: a visit today (or today's no-show) is never confirmed at the kiosk; the database answers KIOSK.SEE_DESK
  // and the screen says what it says for every other refusal (docs/security.md, "The waiting-room kiosk")
  'KIOSK.SEE_DESK': 'kioskMore.walkInClosed',
  'QUEUE.DUPLICATE_ENTRY': 'kioskMore.walkInClosed',
  'BOOKING.NO_SHOW_TODAY': 'kioskMore.walkInClosed',
  'PHONE.INVALID': 'kioskMore.phoneInvalid',
};

export default function KioskWalkIn({
  token,
  resetMs,
  onDone,
}: {
  token: string;
  /** How long the ticket stays on screen (KIOSK_RESET_MS). */
  resetMs: number;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const register = useSingleFlight(useKioskWalkIn(token));
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const ticket = register.data;
  const code = register.error?.code;
  const message = code ? MESSAGE_OF[code] : undefined;
  // the ticket stays resetMs; a form left alone KIOSK_IDLE_MS (restarted by each key press)
  useEffect(() => {
    const timer = setTimeout(onDone, ticket ? resetMs : KIOSK_IDLE_MS);
    return () => clearTimeout(timer);
  }, [ticket, name, phone, resetMs, onDone]);
  // this screen's strings come with it (kioskMore), not with the kiosk's first screen
  const ready = usePageStrings('kioskMore');

  if (!ready) return <LoadingBlock label={t('common.loading')} />;
  if (ticket)
    return (
      <Suspense fallback={<LoadingBlock label={t('common.loading')} />}>
        <KioskTicket
          ticket={ticket}
          headline={t('kioskMore.walkInDone', { ticket: ticket.ticket })}
          onDone={onDone}
        />
      </Suspense>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const lng = i18n.language;
    register.mutate(
      { fullName: name, phone, language: lng === 'ar' || lng === 'fr' || lng === 'en' ? lng : null },
      {
        onError: (err) => {
          if (!MESSAGE_OF[err.code] && err.code !== 'KIOSK.NOT_PAIRED') toast.error(err);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} className="mt-6 flex flex-col gap-3 text-start" data-testid="kiosk-walk-in">
      <h2 className="text-center text-2xl font-bold">{t('kioskMore.walkInTitle')}</h2>
      <p className="text-center text-muted">{t('kioskMore.walkInLead')}</p>
      <Field label={t('kioskMore.name')}>
        {(id) => (
          <Input
            id={id}
            autoComplete="off"
            autoFocus
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="min-h-14 text-2xl"
          />
        )}
      </Field>
      <Field label={t('kioskMore.phone')}>
        {(id) => (
          <Input
            id={id}
            dir="ltr"
            type="tel"
            inputMode="tel"
            autoComplete="off"
            required
            maxLength={40}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            className="min-h-14 text-2xl tracking-wider"
          />
        )}
      </Field>
      {message && (
        <p role="alert" className="rounded-xl bg-warn-50 p-3 font-medium text-warn-700">
          {t(message)}
        </p>
      )}
      <Button type="submit" size="lg" busy={register.isPending}>
        {t('kioskMore.walkInSubmit')}
      </Button>
      <Button type="button" variant="ghost" onClick={onDone}>
        {t('kioskMore.back')}
      </Button>
    </form>
  );
}
