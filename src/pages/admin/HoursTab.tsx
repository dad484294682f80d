/** Clinic admin — the hours tab. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useToast } from '../../components/Toasts';
import { Badge, Button, Card, LoadingBlock, TextField } from '../../components/ui';
import { useClosedDates, useClosedDateActions, useSaveHours, type HoursRange } from '../../hooks/ui/admin';
import { usePublicClinic } from '../../hooks/ui/patient';
import { Section, useSaveToasts } from './shared';

export function HoursTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const toast = useToast();
  const pub = usePublicClinic(clinicId);
  const closed = useClosedDates(clinicId);
  const saveHours = useSaveHours(clinicId);
  const closedActions = useClosedDateActions(clinicId);
  const saved = useSaveToasts();
  const [ranges, setRanges] = useState<HoursRange[]>([]);
  const [newDay, setNewDay] = useState('');
  const [newReason, setNewReason] = useState('');
  useEffect(() => {
    if (pub.data) setRanges(pub.data.working_hours.map((w) => ({ ...w })));
  }, [pub.data]);
  if (!pub.data) return <LoadingBlock label={t('common.loading')} />;
  const setRange = (i: number, patch: Partial<HoursRange>) =>
    setRanges(ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="flex flex-col gap-4">
      <Section title={t('admin.tabs.hours')}>
        <ul className="flex flex-col gap-2">
          {[1, 2, 3, 4, 5, 6, 0].map((d) => {
            const dayName = t(`booking.weekday.${d}` as 'booking.weekday.0');
            const items = ranges.map((r, i) => ({ r, i })).filter(({ r }) => r.weekday === d);
            return (
              <li
                key={d}
                className="flex flex-wrap items-center gap-3 rounded-xl border border-line p-3"
                data-testid={`hours-${d}`}
              >
                <span className="w-28 font-semibold">{dayName}</span>
                {items.length === 0 && <Badge>{t('booking.closedDay')}</Badge>}
                {items.map(({ r, i }) => (
                  <span
                    key={i}
                    className="flex items-center gap-1 rounded-lg bg-brand-50 px-2 py-1"
                    dir="ltr"
                  >
                    <input
                      type="time"
                      aria-label={`${dayName} ${t('admin.from')}`}
                      readOnly={!canEdit}
                      value={r.starts_at}
                      onChange={(e) => setRange(i, { starts_at: e.target.value })}
                      className="rounded bg-white px-1 font-mono text-sm"
                    />
                    –
                    <input
                      type="time"
                      aria-label={`${dayName} ${t('admin.to')}`}
                      readOnly={!canEdit}
                      value={r.ends_at}
                      onChange={(e) => setRange(i, { ends_at: e.target.value })}
                      className="rounded bg-white px-1 font-mono text-sm"
                    />
                    {canEdit && (
                      <button
                        type="button"
                        className="rounded px-1.5 text-danger-700 hover:bg-red-100"
                        aria-label={t('admin.removeRange', {
                          range: `${dayName} ${r.starts_at}–${r.ends_at}`,
                        })}
                        onClick={() => setRanges(ranges.filter((_, j) => j !== i))}
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
                    aria-label={`${t('admin.addRange')} — ${dayName}`}
                    onClick={() =>
                      setRanges([
                        ...ranges,
                        {
                          weekday: d,
                          starts_at: items.length ? '15:00' : '09:00',
                          ends_at: items.length ? '19:00' : '13:00',
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
        {canEdit && (
          <Button className="mt-4" busy={saveHours.isPending} onClick={() => saveHours.mutate(ranges, saved)}>
            {t('common.save')}
          </Button>
        )}
      </Section>
      <Card>
        <h2 className="mb-3 text-lg font-bold">{t('admin.closedDates')}</h2>
        {closed.data && closed.data.length > 0 ? (
          <ul className="flex flex-col gap-2">
            {[...closed.data]
              .sort((a, b) => a.day.localeCompare(b.day))
              .map((c) => (
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
                      onClick={() => closedActions.remove.mutate(c.day, { onError: (e) => toast.error(e) })}
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
              closedActions.add.mutate(
                { day: newDay, reason: newReason.trim() },
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
            <Button type="submit" variant="secondary" busy={closedActions.add.isPending}>
              {t('admin.addClosed')}
            </Button>
          </form>
        )}
      </Card>
    </div>
  );
}
