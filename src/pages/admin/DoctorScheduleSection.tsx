/**
 * The hours tab's lazy section (issue 17, hours19; docs/domain-rules.md H1–H5): per doctor, own weekly hours (none =
 * the clinic's; each range inside one of the clinic's, else the day is named) and leave (add; remove after a
 * confirmation). The database judges every rule; this screen names its refusals.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { usePageStrings } from '../../i18n/pageStrings';
import { useToast } from '../../components/Toasts';
import { Badge, Button, LoadingBlock } from '../../components/ui';
import { useMembers } from '../../hooks/useStaffService';
import { useWorkingHours } from '../../hooks/useClinicService';
import { useDoctorHours, useDoctorLeave, useDoctorScheduleService } from '../../hooks/useDoctorSchedule';
import { WEEKDAYS, type Weekday, type WeeklyHours } from '../../services/appointment/api';
import { Section } from './shared';
import { DoctorLeaveList } from './DoctorLeaveList';

type Ranges = Partial<Record<Weekday, { start: string; end: string }[]>>;
interface Doctor {
  readonly id: string;
  readonly displayName: string;
}
type T = ReturnType<typeof useTranslation>['t'];
/** `booking.weekday.<n>` is numbered like the database (0 = Sunday). */
const dayName = (t: T, w: Weekday) =>
  t(`booking.weekday.${(WEEKDAYS.indexOf(w) + 1) % 7}` as 'booking.weekday.0');

/** A refusal that names a day (HOURS.INVALID `{ weekday, problem }`) as a sentence, else null. */
function refusalText(t: T, e: unknown): string | null {
  const { code, details } = (e ?? {}) as { code?: unknown; details?: Record<string, unknown> };
  const w = details?.['weekday'];
  const problem = details?.['problem'];
  if (code !== 'HOURS.INVALID' || !(WEEKDAYS as readonly unknown[]).includes(w)) return null;
  const day = dayName(t, w as Weekday);
  if (problem === 'outside') return t('doctors.outside', { day });
  const p = problem === 'order' || problem === 'overlap' ? problem : 'format';
  return t(`admin.hoursRefused.${p}`, { day });
}

function DoctorHours({
  clinicId,
  doctor,
  own,
  clinicWeek,
  canEdit,
}: {
  clinicId: string;
  doctor: Doctor;
  own: WeeklyHours | undefined;
  clinicWeek: WeeklyHours;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const { setDoctorHours } = useDoctorScheduleService(clinicId);
  // null = the clinic's hours; the form starts from what is stored and keeps what the admin types
  const [week, setWeek] = useState<Ranges | null>(() => (own ? (structuredClone(own) as Ranges) : null));
  const [refusal, setRefusal] = useState<string | null>(null);
  const edit = (next: Ranges | null) => {
    setWeek(next);
    setRefusal(null);
  };
  const setRange = (w: Weekday, i: number, patch: Partial<{ start: string; end: string }>) =>
    week && edit({ ...week, [w]: (week[w] ?? []).map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const save = () =>
    setDoctorHours.mutate(
      { practitionerId: doctor.id, weekly: week ?? {} },
      {
        onSuccess: () => toast.ok(t('admin.saved')),
        onError: (e) => {
          const text = refusalText(t, e);
          if (text) setRefusal(text);
          else toast.error(e);
        },
      },
    );
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <Badge>{week ? t('doctors.ownHours') : t('doctors.clinicHours')}</Badge>
        {canEdit && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => edit(week ? null : (structuredClone(clinicWeek) as Ranges))}
          >
            {week ? t('doctors.useClinic') : t('doctors.useOwn')}
          </Button>
        )}
      </div>
      {week && (
        <ul className="flex flex-col gap-1" data-testid={`doctor-hours-${doctor.id}`}>
          {WEEKDAYS.map((w) => {
            const name = dayName(t, w);
            const items = week[w] ?? [];
            return (
              <li key={w} className="flex flex-wrap items-center gap-2">
                <span className="w-24 text-sm font-semibold">{name}</span>
                {items.length === 0 && <span className="text-sm text-muted">{t('doctors.off')}</span>}
                {items.map((r, i) => (
                  <span
                    key={i}
                    className="flex items-center gap-1 rounded-lg bg-brand-50 px-2 py-1"
                    dir="ltr"
                  >
                    {(['start', 'end'] as const).map((k) => (
                      <input
                        key={k}
                        type="time"
                        aria-label={`${doctor.displayName} ${name} ${t(k === 'start' ? 'admin.from' : 'admin.to')}`}
                        readOnly={!canEdit}
                        value={r[k]}
                        onChange={(e) => setRange(w, i, { [k]: e.target.value })}
                        className="rounded bg-white px-1 font-mono text-sm"
                      />
                    ))}
                    {canEdit && (
                      <button
                        type="button"
                        className="rounded px-1.5 text-danger-700 hover:bg-red-100"
                        aria-label={t('admin.removeRange', { range: `${name} ${r.start}–${r.end}` })}
                        onClick={() => edit({ ...week, [w]: items.filter((_, j) => j !== i) })}
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
                    aria-label={`${t('admin.addRange')} — ${doctor.displayName} ${name}`}
                    onClick={() => edit({ ...week, [w]: [...items, { start: '09:00', end: '12:00' }] })}
                  >
                    +
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {refusal && (
        <p role="alert" className="rounded-xl bg-red-50 p-3 font-semibold text-danger-700">
          {refusal}
        </p>
      )}
      {canEdit && (week !== null || own) && (
        <Button className="self-start" size="sm" busy={setDoctorHours.isPending} onClick={save}>
          {t('doctors.saveHours', { name: doctor.displayName })}
        </Button>
      )}
    </div>
  );
}

export default function DoctorScheduleSection({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const ready = usePageStrings('doctors'); // its strings travel with this section, not with the admin page
  const members = useMembers(clinicId);
  const hours = useDoctorHours(clinicId);
  const leave = useDoctorLeave(clinicId);
  const clinicWeek = useWorkingHours(clinicId);
  if (!ready || !members.data || !hours.data || !leave.data || !clinicWeek.data)
    return <LoadingBlock label={t('common.loading')} />;
  // a doctor: an active practitioner or practising owner (the members a visit can be assigned to)
  const doctors = members.data.filter((m) => m.active && (m.role === 'practitioner' || m.role === 'owner'));
  return (
    <Section title={t('doctors.title')}>
      <p className="mb-3 text-sm text-muted">{t('doctors.lead')}</p>
      {doctors.length === 0 ? (
        <p className="text-muted">{t('doctors.none')}</p>
      ) : (
        <ul className="flex flex-col gap-4">
          {doctors.map((d) => (
            <li
              key={d.id}
              className="flex flex-col gap-3 rounded-xl border border-line p-3"
              data-testid={`doctor-${d.id}`}
            >
              <h3 className="font-bold">{d.displayName}</h3>
              <DoctorHours
                clinicId={clinicId}
                doctor={d}
                own={hours.data[d.id]}
                clinicWeek={clinicWeek.data}
                canEdit={canEdit}
              />
              <DoctorLeaveList
                clinicId={clinicId}
                doctor={d}
                leave={leave.data.filter((l) => l.practitionerId === d.id)}
                canEdit={canEdit}
              />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
