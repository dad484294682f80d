/**
 * Kiosk at the entrance (a tablet signed in as staff): check in by phone number or ticket code. A patient's
 * screen (issue 15.5): no staff navigation or account, and it starts over by itself — the answer (and the phone
 * number or ticket typed) is cleared KIOSK_RESET_MS after it is shown, so the next patient finds an empty form.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { checkInTooEarlyParams } from '../components/errorParams';
import { StaffGate } from '../components/StaffGate';
import { useToast } from '../components/Toasts';
import { Button, Card, Input, LoadingBlock } from '../components/ui';
import type { Membership } from '../hooks/useStaffService';
import { usePageStrings } from '../i18n/pageStrings';
import { useKioskCheckIn } from '../hooks/useBooking';
import { useSingleFlight } from '../hooks/useSingleFlight';

/** How long a check-in answer stays on screen before the kiosk is ready for the next patient. */
export const KIOSK_RESET_MS = 10_000;

export default function KioskPage() {
  // the kiosk's strings come with this page, in the reader's language (src/i18n/pageStrings.ts)
  const { t } = useTranslation();
  const ready = usePageStrings('kiosk');
  if (!ready) return <LoadingBlock label={t('common.loading')} />;
  return <StaffGate kiosk>{(m) => <Kiosk member={m} />}</StaffGate>;
}

export function Kiosk({ member }: { member: Membership }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [code, setCode] = useState('');
  const check = useSingleFlight(useKioskCheckIn(member.clinicId));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    check.mutate(code, {
      onError: (err) => toast.error(err, checkInTooEarlyParams(err, {})),
    });
  };
  const r = check.data;
  const { reset } = check;
  useEffect(() => {
    if (!r) return undefined;
    const timer = setTimeout(() => {
      reset();
      setCode('');
    }, KIOSK_RESET_MS);
    return () => clearTimeout(timer);
  }, [r, reset]);
  return (
    <div className="mx-auto max-w-xl">
      <Card className="text-center">
        <h1 className="text-3xl font-bold">{t('kiosk.title')}</h1>
        <p className="mt-2 text-lg text-muted">{t('kiosk.lead')}</p>
        {r?.found ? (
          <div role="status" className="mt-6 flex flex-col items-center gap-3" data-testid="kiosk-done">
            <p className="text-2xl font-bold text-brand-900">{t('kiosk.done', { ticket: r.ticket })}</p>
            {r.position !== null && <p className="text-lg">{t('kiosk.position', { n: r.position })}</p>}
            <Button
              size="lg"
              onClick={() => {
                check.reset();
                setCode('');
              }}
            >
              {t('kiosk.again')}
            </Button>
          </div>
        ) : (
          <form onSubmit={submit} className="mt-6 flex flex-col gap-3">
            <Input
              aria-label={t('kiosk.input')}
              dir="ltr"
              inputMode="text"
              autoFocus
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
              className="min-h-16 text-center text-3xl tracking-widest"
            />
            {r && !r.found && (
              <p role="alert" className="rounded-xl bg-warn-50 p-3 font-medium text-warn-700">
                {t('kiosk.notFound')}
              </p>
            )}
            <Button type="submit" size="lg" busy={check.isPending}>
              {t('kiosk.submit')}
            </Button>
          </form>
        )}
      </Card>
    </div>
  );
}
