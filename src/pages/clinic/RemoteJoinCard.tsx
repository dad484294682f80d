/**
 * "Join today's queue from my phone" (issue 17, a virtual walk-in) on a clinic's page: shown only while the
 * clinic takes remote joins (its cap, its intake switch, its day, its opening hours — judged by the database);
 * otherwise one line says why not (off, outside opening hours, full, …). A signed-in
 * patient joins in one tap (their name is asked when the clinic does not know them yet) and lands on the
 * tracker of the new ticket; a signed-out visitor is sent to sign in and back here.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Link, navigate } from '../../components/router';
import { Button, Card, Field, Input } from '../../components/ui';
import { useMyPatientName } from '../../hooks/useBooking';
import { useJoinRemotely, useRemoteJoinState } from '../../hooks/useRemoteJoin';
import { useLanguage } from '../../hooks/useLanguage';
import { usePageStrings } from '../../i18n/pageStrings';
import { rememberTrackingLink } from './trackingLinks';
import { useSingleFlight } from '../../hooks/useSingleFlight';

/**
 * True once all that goes above the clinic page's visit types is known: the header's "My visits" (a row of its
 * own on a phone: the session, `user` undefined while it is read) and this card's first shape — its strings,
 * whether the clinic takes remote joins now (or that this could not be read: no card), and, a signed-in patient
 * with joins open, whether it asks their name. The page shows its cards only then (flakewl19, a real loading
 * state): the card's line came after the visit types and pushed them down under the patient's finger, so a tap
 * made while the page was loading landed on nothing (or another button) and was lost. The card reads the same
 * query cache, so its first render is its final shape. Its strings become the screen's: if they cannot be
 * loaded the page shows its error with Reload, as for the booking strings (usePageStrings).
 */
export function useRemoteJoinCardSettled(
  clinicId: string | undefined,
  user: object | null | undefined,
): boolean {
  const id = clinicId ?? '';
  const state = useRemoteJoinState(id);
  const myName = useMyPatientName(id, !!user && !!clinicId);
  const joinStrings = usePageStrings('join', !!clinicId);
  // isFetched, not !isPending: a query that failed is pending again while the card's own hook refetches it on
  // mount — the page flipped back to "Loading…" and the card remounted, again and again
  return (
    user !== undefined && joinStrings && state.isFetched && !(user && state.data?.open && !myName.isFetched)
  );
}

export function RemoteJoinCard({
  clinicId,
  slug,
  signedIn,
}: {
  clinicId: string;
  slug: string;
  signedIn: boolean;
}) {
  const { t } = useTranslation();
  const { lng } = useLanguage();
  const toast = useToast();
  const state = useRemoteJoinState(clinicId);
  const join = useSingleFlight(useJoinRemotely());
  const myName = useMyPatientName(clinicId, signedIn);
  const [typed, setTyped] = useState<string | null>(null);
  // its own strings and the booking section's name field label (booking.yourName — size14f moved the booking
  // strings out of the core locale; the card must not rely on its page having loaded them)
  const joinReady = usePageStrings('join');
  const bookingReady = usePageStrings('booking');
  const ready = joinReady && bookingReady;
  if (!ready || !state.data) return null;
  if (!state.data.open)
    // why it is not offered now (off, outside opening hours, full, …): a line, not the card
    return (
      <p className="text-sm text-muted" data-testid="remote-join-closed">
        {t(`join.why.${state.data.reason ?? 'off'}`)}
      </p>
    );
  const needsName = signedIn && myName.data !== undefined && !myName.data.known;
  const name = typed ?? myName.data?.fullName ?? '';
  const submit = () =>
    join.mutate(
      { clinicId, fullName: name.trim() || null, language: lng },
      {
        onSuccess: (j) => {
          rememberTrackingLink(j.entryId, j.trackingToken);
          navigate(`/t/${j.trackingToken}`);
        },
        onError: (e) => toast.error(e),
      },
    );
  return (
    <Card aria-labelledby="remote-join-title" className="border-brand-200">
      <h2 id="remote-join-title" className="text-xl font-bold">
        {t('join.title')}
      </h2>
      <p className="mt-2 text-sm">{t('join.body')}</p>
      {state.data.remaining !== null && (
        <p className="mt-1 text-sm text-muted" data-testid="remote-left">
          {t('join.left', { count: state.data.remaining })}
        </p>
      )}
      <div className="mt-4 flex flex-col gap-3">
        {signedIn ? (
          <>
            {needsName && (
              <Field label={t('booking.yourName')}>
                {(id) => (
                  <Input
                    id={id}
                    autoComplete="name"
                    dir="auto"
                    required
                    value={name}
                    onChange={(e) => setTyped(e.target.value)}
                  />
                )}
              </Field>
            )}
            <Button size="lg" busy={join.isPending} disabled={needsName && !name.trim()} onClick={submit}>
              {t('join.join')}
            </Button>
          </>
        ) : (
          <Link
            to={`/sign-in?as=patient&next=${encodeURIComponent(`/c/${slug}`)}`}
            className="inline-flex min-h-11 items-center justify-center rounded-xl bg-brand-700 px-4 font-semibold text-white"
          >
            {t('join.signIn')}
          </Link>
        )}
      </div>
    </Card>
  );
}
