/**
 * My visits — "an earlier time" (issue 17, waitlist and gap filling), under a booked visit still ahead: ask
 * to be offered an earlier slot of that day, see the place in line, leave it; when a slot frees the database
 * offers it (SMS with a link here) and holds it until a time: take it (the visit moves in one step) or
 * decline (it passes to the next patient at once). The database judges every rule.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { useToast } from '../../components/Toasts';
import { Button } from '../../components/ui';
import { useWaitlistActions, type WaitlistRequest } from '../../hooks/useWaitlist';
import { offerMinutesLeft } from './offerCountdown';
import { useSingleFlight } from '../../hooks/useSingleFlight';

/** Minutes left on a running offer by the server's clock, re-read every 15 s while shown. */
function OfferCountdown({ expiresAt, serverNow }: { expiresAt: string; serverNow: () => number }) {
  const { t } = useTranslation();
  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 15_000);
    return () => clearInterval(id);
  }, []);
  const minutes = offerMinutesLeft(expiresAt, serverNow());
  return (
    <p className="text-sm" data-testid="offer-countdown" aria-live="polite">
      {minutes > 0 ? t('visits.waitlist.minutesLeft', { minutes }) : t('visits.waitlist.offerEnded')}
    </p>
  );
}

export function EarlierSlot({
  entryId,
  request,
  timeOf,
  dateTimeOf,
  serverNow,
}: {
  entryId: string;
  request: WaitlistRequest | undefined;
  timeOf: (iso: string) => string;
  dateTimeOf: (iso: string) => string;
  /** The server's instant now (ms): the clinic clock's answer moved on by the time since it came. */
  serverNow: () => number;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const actions = useWaitlistActions();
  const ask = useSingleFlight(actions.request);
  const withdraw = useSingleFlight(actions.withdraw);
  const accept = useSingleFlight(actions.accept);
  if (!request)
    return (
      <Button
        size="sm"
        variant="secondary"
        busy={ask.isPending}
        onClick={() =>
          ask.mutate(entryId, {
            onSuccess: (r) => toast.ok(t('visits.waitlist.asked', { position: r.position })),
            onError: (e) => toast.error(e),
          })
        }
      >
        {t('visits.waitlist.ask')}
      </Button>
    );
  if (request.status === 'offered' && request.offeredSlotStart && request.offerExpiresAt)
    return (
      <div
        role="region"
        aria-label={t('visits.waitlist.offerTitle')}
        className="flex w-full flex-col gap-2 rounded-lg border border-brand-300 bg-brand-50 p-3"
      >
        <p className="font-semibold">
          {t('visits.waitlist.offer', {
            time: dateTimeOf(request.offeredSlotStart),
            until: timeOf(request.offerExpiresAt),
          })}
        </p>
        <OfferCountdown expiresAt={request.offerExpiresAt} serverNow={serverNow} />
        <div className="flex flex-wrap gap-2">
          <Button
            size="sm"
            busy={accept.isPending}
            onClick={() =>
              accept.mutate(request.requestId, {
                onSuccess: (r) =>
                  toast.ok(
                    t('visits.waitlist.accepted', { time: dateTimeOf(r.slotStart), ticket: r.ticket }),
                  ),
                onError: (e) => toast.error(e),
              })
            }
          >
            {t('visits.waitlist.accept')}
          </Button>
          <Button
            size="sm"
            variant="secondary"
            busy={withdraw.isPending}
            onClick={() =>
              withdraw.mutate(request.requestId, {
                onSuccess: () => toast.ok(t('visits.waitlist.declined')),
                onError: (e) => toast.error(e),
              })
            }
          >
            {t('visits.waitlist.decline')}
          </Button>
        </div>
      </div>
    );
  return (
    <div className="flex w-full flex-wrap items-center gap-2 text-sm">
      <span data-testid="waitlist-status">
        {t('visits.waitlist.waiting', { position: request.position ?? 1 })}
      </span>
      <Button
        size="sm"
        variant="secondary"
        busy={withdraw.isPending}
        onClick={() =>
          withdraw.mutate(request.requestId, {
            onSuccess: () => toast.ok(t('visits.waitlist.left')),
            onError: (e) => toast.error(e),
          })
        }
      >
        {t('visits.waitlist.leave')}
      </Button>
    </div>
  );
}
