/**
 * A patient's visits: upcoming and past, cancel within notice, reschedule (issue 17: the booking page's slot
 * picker, one operation on the server), check in on the day, follow live.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from '../i18n/TranslatorContext';
import { AppShell } from '../components/AppShell';
import { Dialog } from '../components/Dialog';
import { checkInTooEarlyParams } from '../components/errorParams';
import { formatCalendarDay } from '../components/format';
import { SignOutButton } from '../components/SignOutButton';
import { useToast } from '../components/Toasts';
import { Link, navigate } from '../components/router';
import { Badge, Button, Card, EmptyState, LoadingBlock, PageTitle } from '../components/ui';
import { useSession } from '../hooks/useAuth';
import { useBooking, useMyVisits, usePublicClinic, type MyVisit } from '../hooks/useBooking';
import { useClinicClock, useClinicTime } from '../hooks/useClinicTime';
import { usePageStrings } from '../i18n/pageStrings';
import { TRACKING_STORAGE_KEY } from './clinic/trackingLinks';
import { ContactPreferencesCard } from './visits/ContactPreferencesCard';
import { FluidRescheduleDialog, RescheduleDialog } from './visits/RescheduleDialog';
import { EarlierSlot } from './visits/EarlierSlot';
import { serverNowMs } from './visits/offerCountdown';
import { useMyWaitlist } from '../hooks/useWaitlist';
import { useSingleFlight } from '../hooks/useSingleFlight';

const FINAL = ['completed', 'cancelled', 'no_show'];
// "Your name at {clinic}" (issue 12) and "Who accessed my record": one lazy chunk — the page is at its size budget
const AccountCards = lazy(() => import('./visits/AccountCards'));

export default function MyVisitsPage() {
  const { t } = useTranslation();
  const ready = usePageStrings('visits', true);
  const deskStrings = usePageStrings('dash'); // "Cancel the visit" is the desk's own words
  if (!ready || !deskStrings) return <LoadingBlock label={t('common.loading')} />;
  return <MyVisits />;
}

function MyVisits() {
  const { t, i18n } = useTranslation();
  const user = useSession();
  const visits = useMyVisits(!!user);
  const waitlist = useMyWaitlist(!!user);
  const { cancel, checkIn: checkInOnce } = useBooking();
  const checkIn = useSingleFlight(checkInOnce);
  const toast = useToast();
  const [confirm, setConfirm] = useState<MyVisit | null>(null);
  const [moving, setMoving] = useState<MyVisit | null>(null);
  const [movingDay, setMovingDay] = useState<MyVisit | null>(null);
  useEffect(() => {
    if (user === null) navigate('/sign-in?as=patient&next=/me', { replace: true });
  }, [user]);
  let tokens: Record<string, string> = {};
  try {
    tokens = JSON.parse(localStorage.getItem(TRACKING_STORAGE_KEY) ?? '{}') as Record<string, string>;
  } catch {
    tokens = {};
  }
  const list = visits.data ?? [];
  // the clinic's clock (zone, today, offsets) from the server; a patient's visits are at one clinic
  const clinicTime = useClinicTime(list[0]?.clinicId ?? null, i18n.language);
  const today = clinicTime?.today;
  // the same query (one request): the server's instant with it, for the waitlist offer's minutes left
  const clinicClock = useClinicClock(list[0]?.clinicId ?? null);
  const serverNow = () =>
    clinicClock.data ? serverNowMs(clinicClock.data.now, clinicClock.dataUpdatedAt, Date.now()) : Date.now();
  // the clinic's own cancellation notice (its booking rules), not a fixed figure (issue 15)
  const clinic = usePublicClinic(list[0]?.clinicId ?? null);
  const cancelNotice = clinic.data?.booking.minCancelNoticeMinutes;
  const upcoming = list
    .filter((v) => !FINAL.includes(v.status))
    .sort((a, b) => (a.slotStart ?? '').localeCompare(b.slotStart ?? ''));
  const past = list.filter((v) => FINAL.includes(v.status));
  const doctorName = (id: string) => clinic.data?.practitioners.find((p) => p.id === id)?.displayName;
  const item = (v: MyVisit) => (
    <li
      key={v.entryId}
      className="flex flex-wrap items-center gap-3 rounded-xl border border-line bg-white p-4"
    >
      <span className="tabular font-mono text-lg font-bold" dir="ltr">
        {v.ticket}
      </span>
      <span className="flex-1">
        {v.slotStart
          ? (clinicTime?.dateTime(v.slotStart) ?? '')
          : v.kind === 'booked' // a fluid visit (issue 17): its day, no time
            ? t('visits.fluidDay', { day: formatCalendarDay(v.day, i18n.language) })
            : '—'}
      </span>
      {/* the visit's doctor (issue 17, doctor20), as the clinic names them publicly; none = any doctor */}
      {v.practitionerId && doctorName(v.practitionerId) && (
        <span className="basis-full text-sm text-muted" data-testid="visit-doctor">
          {t('visits.doctor')} <bdi>{doctorName(v.practitionerId)}</bdi>
        </span>
      )}
      <Badge tone={v.status === 'waiting' ? 'info' : v.status === 'called' ? 'brand' : 'neutral'}>
        {t(`status.${v.status}` as 'status.waiting')}
      </Badge>
      {/* a finished visit has nothing live to follow (issue 15.16); the link comes from the server (15.4),
          this browser's own copy only for a visit booked before the server could render links */}
      {(v.trackingToken ?? tokens[v.entryId]) && !FINAL.includes(v.status) && (
        <Link
          to={`/t/${v.trackingToken ?? tokens[v.entryId]}`}
          className="text-sm font-semibold text-brand-800 underline"
        >
          {t('visits.track')}
        </Link>
      )}
      {v.status === 'scheduled' &&
        clinicTime &&
        (v.slotStart ? clinicTime.dayOf(v.slotStart) : v.day) === today && (
          <Button
            size="sm"
            busy={checkIn.isPending}
            onClick={() =>
              checkIn.mutate(
                { entryId: v.entryId },
                {
                  onSuccess: () => toast.ok(t('visits.checkedIn')),
                  onError: (e) =>
                    toast.error(
                      e,
                      checkInTooEarlyParams(e, {
                        slotStart: v.slotStart,
                        timeOf: clinicTime?.time,
                      }),
                    ),
                },
              )
            }
          >
            {t('visits.checkIn')}
          </Button>
        )}
      {v.status === 'scheduled' && v.kind === 'booked' && v.slotStart && (
        <Button size="sm" variant="secondary" onClick={() => setMoving(v)}>
          {t('visits.reschedule')}
        </Button>
      )}
      {v.status === 'scheduled' && v.kind === 'booked' && !v.slotStart && today && v.day > today && (
        <Button size="sm" variant="secondary" onClick={() => setMovingDay(v)}>
          {t('visits.moveDay')}
        </Button>
      )}
      {v.status === 'scheduled' && (
        <Button size="sm" variant="secondary" onClick={() => setConfirm(v)}>
          {t('visits.cancel')}
        </Button>
      )}
      {/* waitlist (issue 17): a booked visit still ahead can ask for an earlier time of its day */}
      {v.status === 'scheduled' && v.kind === 'booked' && v.slotStart && clinicTime && waitlist.data && (
        <EarlierSlot
          entryId={v.entryId}
          request={waitlist.data.find((r) => r.entryId === v.entryId)}
          timeOf={clinicTime.time}
          dateTimeOf={clinicTime.dateTime}
          serverNow={serverNow}
        />
      )}
    </li>
  );
  return (
    <AppShell
      narrow
      right={user ? <SignOutButton name={user.fullName || user.phone || user.email || ''} /> : undefined}
    >
      <PageTitle
        actions={
          <Link
            to={`/c/${clinic.data?.slug ?? 'cabinet-anfa'}`}
            className="inline-flex min-h-11 items-center rounded-xl bg-brand-700 px-4 font-semibold text-white"
          >
            {t('visits.book')}
          </Link>
        }
      >
        {t('visits.title')}
      </PageTitle>
      {visits.isPending || !user ? (
        <LoadingBlock label={t('common.loading')} />
      ) : list.length === 0 ? (
        <EmptyState icon="📅" title={t('visits.none')} />
      ) : (
        <div className="flex flex-col gap-6">
          <Card aria-labelledby="up-title">
            <h2 id="up-title" className="mb-3 text-lg font-bold">
              {t('visits.upcoming')}
            </h2>
            {upcoming.length ? (
              <ul className="flex flex-col gap-2">{upcoming.map(item)}</ul>
            ) : (
              <p className="text-muted">{t('common.empty')}</p>
            )}
          </Card>
          <Card aria-labelledby="past-title">
            <h2 id="past-title" className="mb-3 text-lg font-bold">
              {t('visits.past')}
            </h2>
            {past.length ? (
              <ul className="flex flex-col gap-2">{past.map(item)}</ul>
            ) : (
              <p className="text-muted">{t('common.empty')}</p>
            )}
          </Card>
        </div>
      )}
      {user && list[0] && clinic.data && (
        <ContactPreferencesCard clinicId={list[0].clinicId} clinicName={clinic.data.name} />
      )}
      {user && (
        <Suspense fallback={null}>
          <AccountCards clinicIds={list.map((v) => v.clinicId)} />
        </Suspense>
      )}
      {moving && clinic.data && clinicTime && (
        <RescheduleDialog
          visit={moving}
          clinic={clinic.data}
          today={clinicTime.today}
          timeOf={clinicTime.time}
          dateTimeOf={clinicTime.dateTime}
          onClose={() => setMoving(null)}
        />
      )}
      {movingDay && clinic.data && clinicTime && (
        <FluidRescheduleDialog
          visit={movingDay}
          clinic={clinic.data}
          today={clinicTime.today}
          onClose={() => setMovingDay(null)}
        />
      )}
      <Dialog
        open={!!confirm}
        title={t('visits.cancelTitle')}
        description={
          cancelNotice === undefined ? undefined : t('visits.cancelBody', { minutes: cancelNotice })
        }
        confirmLabel={t('dash.actions.cancel')}
        dismissLabel={t('common.close')}
        confirmVariant="danger"
        busy={cancel.isPending}
        onClose={() => setConfirm(null)}
        onConfirm={() =>
          // the promise keeps the dialog from sending a second cancel while this one is in flight
          confirm
            ? cancel.mutateAsync({ entryId: confirm.entryId }).then(
                () => {
                  toast.ok(t('visits.cancelled'));
                  setConfirm(null);
                },
                (e: unknown) => {
                  toast.error(e);
                  setConfirm(null);
                },
              )
            : undefined
        }
      />
    </AppShell>
  );
}
