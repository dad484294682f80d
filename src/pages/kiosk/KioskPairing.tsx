/**
 * The staff side of the kiosk (kiosk17), loaded only on a device that is not paired: a staff member signs in, pairs
 * this tablet (which keeps the kiosk's device token and signs them out of it at once), and sees and unpairs the
 * clinic's kiosks. Pairing and unpairing: owner, admin or receptionist (the database checks it).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button, Card, LoadingBlock, TextField } from '../../components/ui';
import { usePageStrings } from '../../i18n/pageStrings';
import type { Membership } from '../../hooks/useStaffService';
import { useKioskPairing, useKioskPairingCode } from '../../hooks/useDevicePairing';
import { useSignOut } from '../../hooks/useAuth';
import { useSingleFlight } from '../../hooks/useSingleFlight';

/** Staff: pair this device as the clinic's kiosk (then sign out of it), or unpair one of the clinic's kiosks. */
export default function KioskPairing({
  member,
  onPaired,
}: {
  member: Membership;
  onPaired: (token: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const { list, pair: pairing, revoke } = useKioskPairing(member.clinicId);
  // a double tap pairs once (one token, one kiosk row)
  const pair = useSingleFlight(pairing);
  // kiosk17f: or a short code to type on the tablet itself, which then needs no staff session at all
  const code = useSingleFlight(useKioskPairingCode(member.clinicId));
  const signOut = useSignOut();
  const [label, setLabel] = useState(() => t('kiosk.pairDefault'));
  const mayPair = member.role !== 'practitioner';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pair.mutate(label, {
      onSuccess: (p) => {
        onPaired(p.token);
        // the staff session leaves the tablet: it keeps only the kiosk's own key
        signOut.mutate();
      },
      onError: (err) => toast.error(err),
    });
  };
  const ready = usePageStrings('kioskMore');
  const when = (iso: string) => new Date(iso).toLocaleDateString(i18n.language);
  const until = (iso: string) =>
    new Date(iso).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' });
  if (!ready) return <LoadingBlock label={t('common.loading')} />;
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-4">
      <Card>
        <h1 className="text-2xl font-bold">{t('kiosk.pairTitle')}</h1>
        <p className="mt-2 text-muted">{t('kiosk.pairLead')}</p>
        {mayPair && (
          <form onSubmit={submit} className="mt-4 flex flex-col gap-3">
            <TextField
              label={t('kiosk.pairLabel')}
              value={label}
              onValue={setLabel}
              maxLength={80}
              required
            />
            <Button type="submit" busy={pair.isPending}>
              {t('kiosk.pair')}
            </Button>
            <Button
              type="button"
              variant="secondary"
              busy={code.isPending}
              onClick={() => code.mutate(label, { onError: (err) => toast.error(err) })}
            >
              {t('kioskMore.codeGet')}
            </Button>
          </form>
        )}
        {code.data && (
          <div role="status" className="mt-4 rounded-xl bg-brand-50 p-4 text-center">
            <p className="text-4xl font-bold tracking-widest" dir="ltr" data-testid="kiosk-pairing-code">
              {code.data.code}
            </p>
            <p className="mt-2 text-sm">{t('kioskMore.codeShown', { at: until(code.data.expiresAt) })}</p>
          </div>
        )}
      </Card>
      <Card>
        <h2 className="text-lg font-bold">{t('kiosk.paired')}</h2>
        {list.data && list.data.length === 0 && <p className="mt-2 text-muted">{t('kiosk.none')}</p>}
        <ul className="mt-2 flex flex-col gap-2">
          {(list.data ?? []).map((k) => (
            <li key={k.id} className="flex items-center justify-between gap-2" data-testid="kiosk-device">
              <span>
                <span className="font-semibold">{k.label}</span>{' '}
                <span className="text-sm text-muted">{t('kiosk.pairedAt', { at: when(k.pairedAt) })}</span>
              </span>
              {k.revokedAt !== null ? (
                <span className="text-sm text-muted">
                  {t(k.revokedReason === 'pairer_left' ? 'kiosk.revokedPairerLeft' : 'kiosk.revoked')}
                </span>
              ) : (
                mayPair && (
                  <Button
                    size="sm"
                    variant="ghost"
                    busy={revoke.isPending && revoke.variables === k.id}
                    onClick={() => revoke.mutate(k.id, { onError: (err) => toast.error(err) })}
                  >
                    {t('kiosk.revoke')}
                  </Button>
                )
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
