/**
 * My visits — "an earlier time" (issue 17, waitlist and gap filling), under a booked visit still ahead: ask
 * to be offered an earlier slot of that day, see the place in line, leave it; when a slot frees the database
 * offers it (SMS with a link here) and holds it until a time: take it (the visit moves in one step) or
 * decline (it passes to the next patient at once). The database judges every rule.
 */
import { useTranslation } from 'react-i18next';
import { useToast } from '../../components/Toasts';
import { Button } from '../../components/ui';
import { useWaitlistActions, type WaitlistRequest } from '../../hooks/useWaitlist';

export function EarlierSlot({
  entryId,
  request,
  timeOf,
  dateTimeOf,
}: {
  entryId: string;
  request: WaitlistRequest | undefined;
  timeOf: (iso: string) => string;
  dateTimeOf: (iso: string) => string;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const { request: ask, withdraw, accept } = useWaitlistActions();
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
