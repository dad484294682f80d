/**
 * My visits — "confirm your email" (email18, security; mail22): the clinic's messages go only to an address the
 * patient proved. The saved address is not mailed until the patient enters the 6-digit code QueueMed mails to it
 * (request_notification_email_code / confirm_notification_email: kept hashed, 15 minutes, 5 wrong drop it, single
 * use). Each refusal says what to do (coded errors: wrong, expired, too many, rate limited). Signing in is not
 * changed. Loaded lazily, with its strings: only a patient with an unproved address needs it.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button, Input } from '../../components/ui';
import { useNotificationEmailProof } from '../../hooks/useNotificationEmailProof';
import { useErrorText } from '../../i18n/pageStrings';
import { useT } from '../../i18n/TranslatorContext';
import { emailProofAr } from '../../i18n/locales/ui/emailProof.ar';
import { emailProofEn } from '../../i18n/locales/ui/emailProof.en';
import { emailProofFr } from '../../i18n/locales/ui/emailProof.fr';

// its strings travel in this lazy chunk (all three: a few hundred bytes), not in the page's or every screen's bundle
const STRINGS = { ar: emailProofAr, fr: emailProofFr, en: emailProofEn };

/** The refusals that have their own translated text; anything else gets the panel's general one. */
const SAID = new Set([
  'RATE.LIMITED',
  'EMAIL_PROOF.NO_ADDRESS',
  'EMAIL_PROOF.ALREADY_PROVED',
  'EMAIL_PROOF.CODE_INVALID',
  'EMAIL_PROOF.CODE_EXPIRED',
  'EMAIL_PROOF.TOO_MANY_ATTEMPTS',
]);
const codeOf = (e: unknown): string | null =>
  typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string'
    ? (e as { code: string }).code
    : null;

export default function EmailProof({ clinicId, email }: { clinicId: string; email: string }) {
  const { t } = useTranslation();
  const { lng, translations } = useT();
  if (!translations.hasKey(lng, 'emailProof')) translations.add(lng, { emailProof: STRINGS[lng] });
  const errorText = useErrorText();
  const toast = useToast();
  const proof = useNotificationEmailProof(clinicId);
  const codeId = useId();
  const problemId = useId();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  // what went wrong, kept as a code or a key and put into words at render: an error that arrives before the error
  // texts have loaded would otherwise keep "Loading…" for good
  const [problemIs, setProblem] = useState<
    { readonly code: string } | { readonly key: 'sendFailed' | 'codeShape' | 'wrongCode' } | null
  >(null);
  const problem =
    problemIs === null
      ? null
      : 'code' in problemIs
        ? errorText(problemIs.code)
        : t(`emailProof.${problemIs.key}`);
  const sent = sentTo === email;
  const send = () => {
    setProblem(null);
    proof.send.mutate(undefined, {
      onSuccess: () => {
        setSentTo(email);
        setCode('');
      },
      onError: (e) => {
        const c = codeOf(e);
        setProblem(c && SAID.has(c) ? { code: c } : { key: 'sendFailed' });
      },
    });
  };
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim();
    if (!/^\d{6}$/.test(c)) {
      setProblem({ key: 'codeShape' });
      return;
    }
    setProblem(null);
    proof.confirm.mutate(c, {
      onSuccess: () => toast.ok(t('emailProof.confirmed')),
      onError: (err) => {
        const k = codeOf(err);
        setProblem(k && SAID.has(k) ? { code: k } : { key: 'wrongCode' });
      },
    });
  };
  return (
    <section
      aria-labelledby={`${codeId}-title`}
      data-testid="email-proof"
      className="mt-4 flex flex-col gap-3 rounded-xl border border-warn-600/30 bg-warn-50 p-4"
    >
      <h3 id={`${codeId}-title`} className="text-base font-bold">
        {t('emailProof.title')}
      </h3>
      <p className="text-sm">
        {sent
          ? t('emailProof.sent', { email: `\u2066${email}\u2069` })
          : t('emailProof.explain', { email: `\u2066${email}\u2069` })}
      </p>
      {sent ? (
        <form className="flex flex-col gap-2" noValidate onSubmit={confirm}>
          <label htmlFor={codeId} className="text-sm font-semibold text-ink">
            {t('emailProof.code')}
          </label>
          <Input
            id={codeId}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            // digits read left to right in every language
            dir="ltr"
            className="max-w-40 tracking-widest"
            aria-invalid={problem !== null || undefined}
            aria-describedby={problem ? problemId : undefined}
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" busy={proof.confirm.isPending}>
              {t('emailProof.confirm')}
            </Button>
            <Button variant="ghost" size="sm" busy={proof.send.isPending} onClick={send}>
              {t('emailProof.resend')}
            </Button>
          </div>
        </form>
      ) : (
        <div>
          <Button size="sm" busy={proof.send.isPending} onClick={send}>
            {t('emailProof.send')}
          </Button>
        </div>
      )}
      {problem && (
        <p id={problemId} role="alert" className="text-sm font-medium text-danger-700">
          {problem}
        </p>
      )}
      <p className="text-xs text-muted">{t('emailProof.note')}</p>
    </section>
  );
}
