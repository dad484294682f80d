/**
 * The first screen of a tablet that is not a kiosk yet and has nobody signed in (kiosk17f): type the pairing code
 * a staff member got on their own screen (Kiosk → Get a pairing code). The code is exchanged once for the kiosk's
 * device token; an unknown, used or expired code says so without telling which; after too many wrong codes the
 * database refuses for a while and the screen says to ask for help. A staff member can still sign in here instead
 * and pair the tablet from the staff side. Loaded only on an unpaired tablet.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Link } from '../../components/router';
import { Button, Card, Field, Input, LoadingBlock } from '../../components/ui';
import { usePageStrings } from '../../i18n/pageStrings';
import { useRedeemKioskCode } from '../../hooks/useKiosk';
import { useSingleFlight } from '../../hooks/useSingleFlight';

export default function KioskCodeEntry({ onPaired }: { onPaired: (token: string) => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const redeem = useSingleFlight(useRedeemKioskCode());
  const [code, setCode] = useState('');
  const wrong = redeem.data?.paired === false || redeem.error?.code === 'VALIDATION.FAILED';
  const ready = usePageStrings('kioskMore');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    redeem.mutate(code, {
      onSuccess: (r) => {
        if (r.paired) onPaired(r.token);
      },
      onError: (err) => {
        if (err.code !== 'VALIDATION.FAILED') toast.error(err);
      },
    });
  };
  if (!ready) return <LoadingBlock label={t('common.loading')} />;
  return (
    <div className="mx-auto max-w-xl">
      <Card className="text-center">
        <h1 className="text-2xl font-bold">{t('kioskMore.codeTitle')}</h1>
        <p className="mt-2 text-muted">{t('kioskMore.codeLead')}</p>
        <form onSubmit={submit} className="mt-4 flex flex-col gap-3 text-start">
          <Field label={t('kioskMore.codeLabel')}>
            {(id) => (
              <Input
                id={id}
                dir="ltr"
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                autoFocus
                required
                maxLength={12}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                className="min-h-16 text-center text-3xl tracking-widest uppercase"
              />
            )}
          </Field>
          {wrong && (
            <p role="alert" className="rounded-xl bg-warn-50 p-3 font-medium text-warn-700">
              {t('kioskMore.codeWrong')}
            </p>
          )}
          <Button type="submit" size="lg" busy={redeem.isPending}>
            {t('kioskMore.codeSubmit')}
          </Button>
        </form>
        <Link
          className="mt-4 inline-block font-semibold text-brand-800 underline"
          to="/sign-in?next=%2Fkiosk"
        >
          {t('kioskMore.codeStaff')}
        </Link>
      </Card>
    </div>
  );
}
