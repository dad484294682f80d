/**
 * The booking form's "how should the clinic write to you" (issue 20): SMS, WhatsApp or email, and an optional email
 * address. The choice is saved on the patient's record after the booking (the record exists then); the
 * SERVER routes every message by it — the browser never picks a channel per message. A returning patient's
 * saved choice is shown; nothing is saved when the patient did not touch it.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Input, cx } from '../../components/ui';
import {
  useMyNotificationPreferences,
  useNotificationPreferencesProblem,
  useSetMyNotificationPreferences,
} from '../../hooks/useBooking';
import { usePageStrings } from '../../i18n/pageStrings';

type Channel = 'sms' | 'email' | 'whatsapp';
interface Draft {
  channel: Channel;
  email: string;
}

export interface ContactChoiceState {
  readonly draft: Draft;
  /** The saved address was refused for good by the mail server (shown while the field still holds it). */
  readonly emailBounced: boolean;
  /** The saved address, while the field still holds it and it is not proved (email18): no email goes there. */
  readonly unconfirmedEmail: string | null;
  /** The saved address is proved (the account's confirmed email): the clinic's email goes there. */
  readonly emailConfirmed: boolean;
  readonly problem: 'email_required' | 'email_invalid' | null;
  change(next: Partial<Draft>): void;
  /** False (and the field says why, focused) when the choice can't be saved; call before booking. */
  check(): boolean;
  /** After the booking (or from My visits): saves the choice when the patient changed it; onSaved after. */
  saveAfterBooking(onSaved?: () => void): void;
  readonly emailRef: React.RefObject<HTMLInputElement | null>;
}

export function useContactChoice(clinicId: string, signedIn: boolean): ContactChoiceState {
  const toast = useToast();
  const saved = useMyNotificationPreferences(clinicId, signedIn);
  const save = useSetMyNotificationPreferences();
  const problemOf = useNotificationPreferencesProblem();
  const [edited, setEdited] = useState<Draft | null>(null);
  const [problem, setProblem] = useState<ContactChoiceState['problem']>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const draft: Draft = edited ?? {
    channel: saved.data?.channel ?? 'sms',
    email: saved.data?.email ?? '',
  };
  const prefs = { channel: draft.channel, email: draft.email };
  const showsSaved =
    saved.data?.email != null && edited === null && draft.email.trim().toLowerCase() === saved.data.email;
  return {
    draft,
    problem,
    emailBounced:
      saved.data?.emailBounced === true &&
      saved.data.email !== null &&
      draft.email.trim() === saved.data.email,
    unconfirmedEmail:
      showsSaved && saved.data?.emailConfirmed === false && saved.data.emailBounced !== true
        ? saved.data.email
        : null,
    emailConfirmed: showsSaved && saved.data?.emailConfirmed === true,
    emailRef,
    change: (next) => {
      setEdited({ ...draft, ...next });
      setProblem(null);
    },
    check: () => {
      if (edited === null) return true;
      const p = problemOf(prefs);
      setProblem(p);
      if (p) emailRef.current?.focus();
      return p === null;
    },
    saveAfterBooking: (onSaved) => {
      if (edited === null) return;
      save.mutate(
        { clinicId, prefs },
        {
          onError: (e) => toast.error(e),
          onSuccess: () => {
            setEdited(null);
            onSaved?.();
          },
        },
      );
    },
  };
}

export function ContactChoice({ state }: { state: ContactChoiceState }) {
  const { t } = useTranslation();
  const emailId = useId();
  const errorId = useId();
  const { draft, problem } = state;
  // its strings travel with the patient's pages (pageStrings 'visits'), not in every screen's bundle
  const ready = usePageStrings('visits');
  if (!ready) return null;
  const option = (value: Channel, label: string) => (
    <label
      className={cx(
        'flex min-h-11 cursor-pointer items-center gap-2 rounded-xl border px-4 text-sm font-semibold',
        draft.channel === value ? 'border-brand-700 bg-brand-50' : 'border-line bg-white',
      )}
    >
      <input
        type="radio"
        name={`${emailId}-channel`}
        value={value}
        checked={draft.channel === value}
        onChange={() => state.change({ channel: value })}
      />
      {label}
    </label>
  );
  return (
    <fieldset className="flex min-w-0 flex-col gap-2">
      <legend className="mb-1 text-sm font-semibold text-ink">{t('visits.contact.legend')}</legend>
      <div className="flex flex-wrap gap-2">
        {option('sms', t('visits.contact.bySms'))}
        {option('whatsapp', t('visits.contact.byWhatsapp'))}
        {option('email', t('visits.contact.byEmail'))}
      </div>
      <label htmlFor={emailId} className="text-sm font-semibold text-ink">
        {draft.channel === 'email' ? t('visits.contact.email') : t('visits.contact.emailOptional')}
      </label>
      <Input
        id={emailId}
        ref={state.emailRef}
        type="email"
        inputMode="email"
        autoComplete="email"
        // an address reads left to right in every language
        dir="ltr"
        required={draft.channel === 'email'}
        aria-invalid={problem !== null || undefined}
        aria-describedby={problem ? errorId : undefined}
        value={draft.email}
        onChange={(e) => state.change({ email: e.target.value })}
      />
      {state.emailBounced && !problem && (
        <p data-testid="email-bounced" role="status" className="text-sm font-medium text-danger-700">
          {t('visits.contact.emailBounced')}
        </p>
      )}
      {draft.email.trim() !== '' && !problem && !state.emailConfirmed && !state.unconfirmedEmail && (
        // email18: an address is mailed only once proved (My visits asks for the code after saving)
        <p data-testid="email-to-confirm" className="text-sm text-muted">
          {t('visits.contact.emailToConfirm')}
        </p>
      )}
      {problem && (
        <p id={errorId} data-testid="email-error" className="text-sm font-medium text-danger-700">
          {t(problem === 'email_required' ? 'visits.contact.emailRequired' : 'visits.contact.emailInvalid')}
        </p>
      )}
    </fieldset>
  );
}

/**
 * A booking refused because the account has no confirmed phone (abuse17: BOOKING.PHONE_NOT_CONFIRMED — patients
 * are reached by SMS, and throwaway email accounts took every slot): the booking form gives way to phone sign-in.
 */
export const phoneNotConfirmed = (...errors: readonly ({ code?: string } | null)[]): boolean =>
  errors.some((e) => e?.code === 'BOOKING.PHONE_NOT_CONFIRMED');
