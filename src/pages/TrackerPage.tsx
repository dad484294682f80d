// The patient's live tracker, by the private link (no sign-in): ticket, place in line, "about 25 min (20–35)",
// status, "I'm running late", check in. Mobile-first and light.
import { Suspense, lazy, useState } from 'react';
import { useT } from '../i18n/TranslatorContext';
import { useToast } from '../components/Toasts';
import { checkInTooEarlyParams } from '../components/errorParams';
import { formatCalendarDay, formatCountdown } from '../components/format';
import { Button, Input, LoadingBlock, cx } from '../components/ui';
import {
  screenTime,
  useSignedIn,
  useTrackedVisit,
  useVisitActions,
  type TrackedVisit,
} from '../hooks/usePublicScreens';
import { useHydrated } from '../hooks/useHydrated';
import { useNow } from '../hooks/useNow';
import { TrackerHeader } from './tracker/TrackerHeader';
import { PushButton, useShownVisit } from './tracker/firstView';
// what main.tsx needs to start a page the server rendered (lcp23): loaded with this screen, not by every screen's entry
export { mount, readSeed } from '../seededBoot';

// its own small chunk, fetched only when needed: what a link that answers no visit shows (links17: expired, unknown)
const TrackerUnavailable = lazy(() => import('./tracker/TrackerUnavailable'));

export default function TrackerPage({ params }: { params: Record<string, string> }) {
  const { t } = useT();
  const token = params.token ?? '';
  const q = useTrackedVisit(token);
  const v = useShownVisit(q, token); // the server's read in the page's HTML (lcp23) until the first read
  return (
    <div className="min-h-dvh bg-gradient-to-b from-brand-50 to-canvas">
      <TrackerHeader />
      <main id="main" className="mx-auto max-w-md px-4 pb-10 pt-4">
        {v ? (
          <Visit v={v} token={token} refetch={q.refetch} />
        ) : q.isPending ? (
          <LoadingBlock label={t('common.loading')} rows={4} />
        ) : (
          <Suspense fallback={null}>
            <TrackerUnavailable error={q.error} retry={q.refetch} />
          </Suspense>
        )}
      </main>
    </div>
  );
}

function Visit({ v, token, refetch }: { v: TrackedVisit; token: string; refetch: () => void }) {
  const { t, lng } = useT();
  const toast = useToast();
  // from the server's clock of the answer (the same first render on the server and when hydrating), then ours
  const now = useNow(1000, Date.parse(v.clock.now));
  const { late, undoLate, checkIn } = useVisitActions(token, refetch);
  const [otherMinutes, setOtherMinutes] = useState('');
  const user = useSignedIn();
  const live = useHydrated(); // the server's first view draws the buttons: they wait for the page's script
  // clinic times with the server's offsets (a browser's own zone rules may be stale — issue 13)
  const clinic = screenTime(v.clock, lng);
  const slotTime = v.slot_start ? clinic.time(v.slot_start) : '';
  const isToday = v.day === clinic.dayOf(new Date(now).toISOString());
  const turn = v.status === 'called';
  // the estimate the clinic's dashboard computed (stored per queue version), never a second formula
  const eta = v.status === 'waiting' ? (v.estimate?.display ?? null) : null;
  // Checked in early (before the slot, or before the clinic opens): nobody is called for this visit before
  // its slot, so "about 30 min" would be a false promise (issue 15.6) — say from when instead; but "not known"
  // stays (mend22: nobody serves it today, e.g. a solo owner on leave; "from 10:30" is a time nobody keeps).
  const beforeSlot =
    eta !== null &&
    eta.kind !== 'unknown' &&
    v.slot_start !== null &&
    Date.parse(v.slot_start) - now > (eta.kind === 'minutes' ? eta.minutes : 0) * 60_000;
  const graceLeft =
    v.status === 'absent' && v.grace_ends_at ? (Date.parse(v.grace_ends_at) - now) / 1000 : null;
  // "running late" (issue 15.16): the note in force as the server decides it (null once called, past the
  // amount or at the day's end); `undefined` only from a server without the note, then the bare flag
  const note = v.late_note;
  const lateShown = note === undefined ? v.late : note !== null;
  const canLate = !lateShown && (v.status === 'scheduled' || v.status === 'waiting');
  // another amount (5–180 minutes), checked as it is typed
  const other = Number(otherMinutes);
  const otherOk = Number.isInteger(other) && other >= 5 && other <= 180;
  const sendLate = (minutes: number) =>
    late.mutate(minutes, {
      onSuccess: () => {
        setOtherMinutes('');
        toast.ok(t('tracker.lateDone'));
      },
      onError: (e) => toast.error(e),
    });

  return (
    <div className="flex flex-col gap-4" data-testid="tracker">
      <h1 className="sr-only">{t('tracker.title')}</h1>
      <section
        aria-live="polite"
        className={cx(
          'rounded-3xl p-6 text-center shadow-[var(--shadow-card)]',
          turn ? 'bg-brand-700 text-white' : 'bg-white',
        )}
      >
        <p className={cx('text-sm font-semibold', turn ? 'text-white/80' : 'text-muted')}>{v.clinic.name}</p>
        <p className={cx('mt-1 text-sm', turn ? 'text-white/80' : 'text-muted')}>{t('tracker.ticket')}</p>
        <p
          className="tabular font-mono text-5xl font-extrabold tracking-wider"
          dir="ltr"
          data-testid="tracker-ticket"
        >
          {v.ticket}
        </p>
        <p className="mt-3 text-lg font-bold" data-testid="tracker-status">
          {turn ? t('tracker.calledTitle') : t(`status.${v.status}`)}
        </p>
        {turn && (
          <p className="mt-1 text-xl">
            {v.room ? t('tracker.calledBody', { room: v.room }) : t('tracker.calledBodyNoRoom')}
          </p>
        )}
        {/* which doctor (feat21a): the name only, isolated (a Latin name in Arabic text); null = any doctor */}
        {v.doctor_name !== undefined && !['completed', 'cancelled', 'no_show'].includes(v.status) && (
          <p className="mt-1 text-sm font-semibold" data-testid="tracker-doctor">
            {v.doctor_name === null
              ? t('day.tracker.anyDoctor')
              : t('day.tracker.doctor', { name: `\u2068${v.doctor_name}\u2069` })}
          </p>
        )}
      </section>

      {v.status === 'waiting' && v.position !== null && (
        <section className="grid grid-cols-2 gap-3">
          <div className="rounded-2xl bg-white p-4 shadow-[var(--shadow-card)]">
            <p className="text-sm text-muted">{t('tracker.position')}</p>
            <p className="tabular text-4xl font-extrabold text-brand-800" data-testid="tracker-position">
              {v.position}
            </p>
          </div>
          <div className="rounded-2xl bg-white p-4 shadow-[var(--shadow-card)]">
            <p className="text-sm text-muted">{t('tracker.etaLabel')}</p>
            {eta && (
              <p className="tabular text-lg font-bold leading-tight" data-testid="tracker-eta">
                {beforeSlot
                  ? t('tracker.etaAtSlot', { time: slotTime })
                  : eta.kind === 'minutes'
                    ? t('tracker.eta', { m: eta.minutes, low: eta.low, high: eta.high })
                    : t(eta.kind === 'soon' ? 'tracker.etaSoon' : 'tracker.etaUnknown')}
              </p>
            )}
          </div>
          <p className="col-span-2 text-center text-sm text-muted">
            {t('tracker.positionOf', { n: v.position })}
          </p>
          {v.room && (
            <p className="col-span-2 text-center text-sm font-semibold" data-testid="tracker-room">
              {t('day.tracker.room', { room: v.room })}
            </p>
          )}
          {v.desk_paused && (
            <p
              role="status"
              className="col-span-2 rounded-xl bg-warn-50 p-3 text-center text-sm font-semibold text-warn-700"
              data-testid="tracker-paused"
            >
              {t('day.tracker.deskPaused')}
            </p>
          )}
          {eta && v.accuracy_minutes != null && (
            <p className="col-span-2 text-center text-xs text-muted" data-testid="tracker-accuracy">
              {t('tracker.accuracy', { n: v.accuracy_minutes })}
            </p>
          )}
        </section>
      )}

      <section className="rounded-2xl bg-white p-4 text-center shadow-[var(--shadow-card)]">
        {v.status === 'scheduled' && (
          <p data-testid="tracker-scheduled">
            {v.slot_start === null
              ? t('tracker.scheduledFluid', { day: formatCalendarDay(v.day, lng) })
              : t('tracker.scheduled', { time: slotTime })}
          </p>
        )}
        {v.status === 'in_service' && <p className="font-semibold">{t('tracker.inService')}</p>}
        {v.status === 'completed' && <p className="font-semibold">{t('tracker.completed')}</p>}
        {v.status === 'cancelled' && <p className="font-semibold">{t('tracker.cancelled')}</p>}
        {v.status === 'no_show' && <p className="font-semibold text-danger-700">{t('tracker.noShow')}</p>}
        {graceLeft !== null && (
          <p className="font-semibold text-warn-700" data-testid="tracker-grace">
            {t('tracker.absent', { time: formatCountdown(graceLeft) })}
          </p>
        )}
        {lateShown && (
          <div className="mt-2 flex flex-col items-center gap-2" data-testid="tracker-late">
            <p className="text-sm font-semibold text-warn-700">{t('tracker.lateDone')}</p>
            {note?.minutes != null && note.until && (
              <p className="text-sm" data-testid="tracker-late-until">
                {t('tracker.lateUntil', { minutes: note.minutes, time: clinic.time(note.until) })}
              </p>
            )}
            {note && (v.status === 'scheduled' || v.status === 'waiting') && (
              <Button
                variant="secondary"
                size="sm"
                busy={undoLate.isPending}
                disabled={!live}
                onClick={() =>
                  undoLate.mutate(undefined, {
                    onSuccess: () => toast.ok(t('tracker.lateUndone')),
                    onError: (e) => toast.error(e),
                  })
                }
              >
                {t('tracker.lateUndo')}
              </Button>
            )}
          </div>
        )}
        {v.arrive_by && v.status === 'waiting' && (
          <p className="mt-2 text-sm font-semibold" data-testid="tracker-arrive-by">
            {t('day.tracker.arriveBy', { time: clinic.time(v.arrive_by) })}
          </p>
        )}
        {v.intake_closed && (v.status === 'scheduled' || v.status === 'waiting') && (
          <p className="mt-2 text-sm text-muted" data-testid="tracker-intake-closed">
            {t('day.tracker.intakeClosed')}
          </p>
        )}
        <div className="mt-3 flex flex-col gap-2">
          {v.status === 'scheduled' && isToday && user && (
            <Button
              size="lg"
              busy={checkIn.isPending}
              disabled={!live}
              onClick={() =>
                checkIn.mutate(v.entry_id, {
                  onError: (e) =>
                    toast.error(
                      e,
                      checkInTooEarlyParams(e, {
                        slotStart: v.slot_start,
                        timeOf: clinic.time,
                      }),
                    ),
                })
              }
            >
              {t('tracker.checkIn')}
            </Button>
          )}
          {v.status === 'scheduled' && isToday && !user && (
            <p className="text-sm text-muted">{t('tracker.checkInSignIn')}</p>
          )}
          {canLate && (
            <fieldset
              className="flex flex-col gap-2 rounded-xl border border-line p-3"
              data-testid="tracker-late-by"
              disabled={!live}
            >
              <legend className="px-1 text-sm font-semibold">{t('tracker.lateBy')}</legend>
              <div className="grid grid-cols-3 gap-2">
                {[10, 20, 30].map((m) => (
                  <Button key={m} variant="warn" busy={late.isPending} onClick={() => sendLate(m)}>
                    {t('tracker.lateMinutes', { minutes: m })}
                  </Button>
                ))}
              </div>
              <form
                className="flex items-end gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (otherOk) sendLate(other);
                }}
              >
                <label className="flex flex-1 flex-col gap-1 text-start text-sm">
                  {t('tracker.lateOther')}
                  <Input
                    type="number"
                    value={otherMinutes}
                    aria-invalid={(otherMinutes !== '' && !otherOk) || undefined}
                    onChange={(e) => setOtherMinutes(e.target.value)}
                  />
                </label>
                <Button type="submit" variant="secondary" busy={late.isPending}>
                  {t('tracker.lateSend')}
                </Button>
              </form>
            </fieldset>
          )}
        </div>
      </section>
      {(v.status === 'scheduled' ||
        v.status === 'waiting' ||
        v.status === 'called' ||
        v.status === 'absent') && <PushButton token={token} />}
      <p className="flex items-center justify-center gap-2 text-xs text-muted">
        <span aria-hidden className="qm-live-dot size-2 rounded-full bg-brand-500" />
        {t('tracker.live')}
      </p>
    </div>
  );
}
