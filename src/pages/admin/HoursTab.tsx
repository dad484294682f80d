/**
 * Clinic admin — opening hours (one or more ranges a day: split days are normal) and closed dates.
 * Saving replaces the week in one transaction; a refused range is named (day + problem) next to the
 * form, the typed values stay, and nothing stored changes.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { usePageStrings } from '../../i18n/pageStrings';
import { useToast } from '../../components/Toasts';
import { Badge, Button, Card, LoadingBlock, TextField } from '../../components/ui';
import {
  useClinicClock,
  useClinicService,
  useClosedDates,
  useWorkingHours,
} from '../../hooks/useClinicService';
import { WEEKDAYS, type Weekday, type WeeklyHours } from '../../services/appointment/api';
import { Section, useSaveToasts } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

// per-doctor hours and leave (hours19): its own chunk and strings, loaded after the clinic's hours
const DoctorScheduleSection = lazy(() => import('./DoctorScheduleSection'));

interface Range {
  readonly weekday: Weekday;
  readonly start: string;
  readonly end: string;
}

/** `booking.weekday.<n>` is numbered like the database (0 = Sunday). */
const dayNumber = (w: Weekday) => (WEEKDAYS.indexOf(w) + 1) % 7;

const toRanges = (weekly: WeeklyHours): Range[] =>
  WEEKDAYS.flatMap((w) => (weekly[w] ?? []).map((iv) => ({ weekday: w, start: iv.start, end: iv.end })));

const toWeekly = (ranges: readonly Range[]): WeeklyHours => {
  const out: Partial<Record<Weekday, { start: string; end: string }[]>> = {};
  for (const r of ranges) (out[r.weekday] ??= []).push({ start: r.start, end: r.end });
  return out;
};

const PROBLEMS = ['format', 'order', 'overlap'] as const;
type Problem = (typeof PROBLEMS)[number];

/** A refusal that names a day (HOURS.INVALID with `{ weekday, problem }`), else null. */
function refusedDay(e: unknown): { weekday: Weekday; problem: Problem } | null {
  if (typeof e !== 'object' || e === null) return null;
  const { code, details } = e as { code?: unknown; details?: Record<string, unknown> };
  const weekday = details?.['weekday'];
  const problem = details?.['problem'];
  if (code !== 'HOURS.INVALID') return null;
  if (!(WEEKDAYS as readonly unknown[]).includes(weekday)) return null;
  return {
    weekday: weekday as Weekday,
    problem: (PROBLEMS as readonly unknown[]).includes(problem) ? (problem as Problem) : 'format',
  };
}

export function HoursTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const hours = useWorkingHours(clinicId);
  const closed = useClosedDates(clinicId);
  // the clinic's today from the server's clock, not the browser's zone rules
  const today = useClinicClock(clinicId).data?.today;
  const clinicService = useClinicService(clinicId);
  const setWorkingHours = useSingleFlight(clinicService.setWorkingHours);
  const addClosedDate = useSingleFlight(clinicService.addClosedDate);
  const removeClosedDate = useSingleFlight(clinicService.removeClosedDate);
  const saved = useSaveToasts();
  const [ranges, setRanges] = useState<Range[] | null>(null);
  const [refusal, setRefusal] = useState<{ weekday: Weekday; problem: Problem } | null>(null);
  const [newDay, setNewDay] = useState('');
  const [pastDay, setPastDay] = useState(false);
  const [newReason, setNewReason] = useState('');
  const strings = usePageStrings('booking'); // the weekdays' names
  // the form starts from what is stored; later refetches never overwrite what the admin is typing
  useEffect(() => {
    if (hours.data && ranges === null) setRanges(toRanges(hours.data));
  }, [hours.data, ranges]);
  if (!hours.data || ranges === null || !strings) return <LoadingBlock label={t('common.loading')} />;
  const dayName = (w: Weekday) => t(`booking.weekday.${dayNumber(w)}` as 'booking.weekday.0');
  const edit = (next: Range[]) => {
    setRanges(next);
    setRefusal(null);
  };
  const setRange = (i: number, patch: Partial<Range>) =>
    edit(ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const save = () =>
    setWorkingHours.mutate(toWeekly(ranges), {
      onSuccess: () => {
        setRefusal(null);
        saved.onSuccess();
      },
      onError: (e) => {
        const day = refusedDay(e);
        if (day) setRefusal(day);
        else toast.error(e);
      },
    });
  return (
    <div className="flex flex-col gap-4">
      <Section title={t('admin.tabs.hours')}>
        <ul className="flex flex-col gap-2">
          {WEEKDAYS.map((w) => {
            const name = dayName(w);
            const items = ranges.map((r, i) => ({ r, i })).filter(({ r }) => r.weekday === w);
            const bad = refusal?.weekday === w;
            return (
              <li
                key={w}
                className={
                  bad
                    ? 'flex flex-wrap items-center gap-3 rounded-xl border-2 border-danger-700 p-3'
                    : 'flex flex-wrap items-center gap-3 rounded-xl border border-line p-3'
                }
                data-testid={`hours-${dayNumber(w)}`}
              >
                <span className="w-28 font-semibold">{name}</span>
                {items.length === 0 && <Badge>{t('booking.closedDay')}</Badge>}
                {items.map(({ r, i }) => (
                  <span
                    key={i}
                    className="flex items-center gap-1 rounded-lg bg-brand-50 px-2 py-1"
                    dir="ltr"
                  >
                    <input
                      type="time"
                      aria-label={`${name} ${t('admin.from')}`}
                      aria-invalid={bad || undefined}
                      readOnly={!canEdit}
                      value={r.start}
                      onChange={(e) => setRange(i, { start: e.target.value })}
                      className="rounded bg-white px-1 font-mono text-sm"
                    />
                    –
                    <input
                      type="time"
                      aria-label={`${name} ${t('admin.to')}`}
                      aria-invalid={bad || undefined}
                      readOnly={!canEdit}
                      value={r.end}
                      onChange={(e) => setRange(i, { end: e.target.value })}
                      className="rounded bg-white px-1 font-mono text-sm"
                    />
                    {canEdit && (
                      <button
                        type="button"
                        className="rounded px-1.5 text-danger-700 hover:bg-red-100"
                        aria-label={t('admin.removeRange', { range: `${name} ${r.start}–${r.end}` })}
                        onClick={() => edit(ranges.filter((_, j) => j !== i))}
                      >
                        ×
                      </button>
                    )}
                  </span>
                ))}
                {canEdit && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`${t('admin.addRange')} — ${name}`}
                    onClick={() =>
                      edit([
                        ...ranges,
                        {
                          weekday: w,
                          start: items.length ? '15:00' : '09:00',
                          end: items.length ? '19:00' : '13:00',
                        },
                      ])
                    }
                  >
                    + {t('admin.addRange')}
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
        {refusal && (
          <p
            role="alert"
            data-testid="hours-error"
            className="mt-4 rounded-xl bg-red-50 p-3 font-semibold text-danger-700"
          >
            {t(`admin.hoursRefused.${refusal.problem}`, { day: dayName(refusal.weekday) })}
          </p>
        )}
        {canEdit && (
          <Button className="mt-4" busy={setWorkingHours.isPending} onClick={save}>
            {t('common.save')}
          </Button>
        )}
      </Section>
      <Card>
        <h2 className="mb-3 text-lg font-bold">{t('admin.closedDates')}</h2>
        {closed.data && closed.data.length > 0 ? (
          <ul className="flex flex-col gap-2">
            {closed.data.map((c) => (
              <li key={c.day} className="flex items-center gap-3 rounded-xl bg-slate-50 p-3">
                <span className="tabular font-mono" dir="ltr">
                  {c.day}
                </span>
                <span className="flex-1 text-muted">{c.reason}</span>
                {canEdit && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`${t('admin.remove')} ${c.day}`}
                    onClick={() => removeClosedDate.mutate(c.day, { onError: (e) => toast.error(e) })}
                  >
                    {t('admin.remove')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-muted">{t('admin.noClosedDates')}</p>
        )}
        {canEdit && (
          <form
            className="mt-4 flex flex-wrap items-end gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              // a closed date in the past closes nothing: refuse it with a message (issue 15.16)
              if (newDay && today && newDay < today) {
                setPastDay(true);
                return;
              }
              setPastDay(false);
              addClosedDate.mutate(
                { day: newDay, reason: newReason.trim() || null },
                {
                  onSuccess: () => {
                    setNewDay('');
                    setNewReason('');
                  },
                  onError: (err) => toast.error(err),
                },
              );
            }}
          >
            <TextField
              label={t('admin.day')}
              type="date"
              required
              dir="ltr"
              value={newDay}
              onValue={setNewDay}
            />
            <TextField label={t('admin.reason')} value={newReason} onValue={setNewReason} />
            {pastDay && (
              <p
                role="alert"
                className="basis-full text-sm font-semibold text-danger-700"
                data-testid="closed-date-error"
              >
                {t('admin.closedDatePast')}
              </p>
            )}
            <Button type="submit" variant="secondary" busy={addClosedDate.isPending}>
              {t('admin.addClosed')}
            </Button>
          </form>
        )}
      </Card>
      <Suspense fallback={<LoadingBlock label={t('common.loading')} />}>
        <DoctorScheduleSection clinicId={clinicId} canEdit={canEdit} />
      </Suspense>
    </div>
  );
}
