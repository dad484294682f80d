/**
 * Clinic admin — the waitlist (issue 17), in the queue rules tab: every staff member sees the open requests
 * for an earlier time (first come first, with the offer running and until when); owners/admins set how long
 * an offer is held (5-240 minutes). The database judges who may (clinic_waitlist, set_waitlist_offer_minutes).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Field, Input, LoadingBlock } from '../../components/ui';
import { useClinicTime } from '../../hooks/useClinicService';
import { useClinicWaitlist, useSaveOfferMinutes } from '../../hooks/useWaitlist';
import { Section, SaveRow, useSaveToasts } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

export function WaitlistSection({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const saved = useSaveToasts();
  const list = useClinicWaitlist(clinicId);
  const save = useSingleFlight(useSaveOfferMinutes(clinicId));
  const clock = useClinicTime(clinicId, i18n.language);
  const [minutes, setMinutes] = useState('15');
  useEffect(() => {
    if (list.data) setMinutes(String(list.data.offerMinutes));
  }, [list.data]);
  if (!list.data || !clock) return <LoadingBlock label={t('common.loading')} rows={2} />;
  const requests = list.data.requests;
  return (
    <Section title={t('admin.waitlist.title')}>
      <p className="mb-3 text-sm text-muted">{t('admin.waitlist.intro')}</p>
      {requests.length === 0 ? (
        <p className="mb-4 text-sm" data-testid="waitlist-empty">
          {t('admin.waitlist.none')}
        </p>
      ) : (
        <table className="mb-4 w-full text-sm" aria-label={t('admin.waitlist.title')}>
          <thead>
            <tr className="text-start text-muted">
              <th className="text-start">{t('admin.waitlist.ticket')}</th>
              <th className="text-start">{t('admin.waitlist.patient')}</th>
              <th className="text-start">{t('admin.waitlist.visit')}</th>
              <th className="text-start">{t('admin.waitlist.state')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.requestId} className="border-t border-line">
                <td className="tabular font-mono" dir="ltr">
                  {r.ticket}
                </td>
                <td>{r.patientName ?? '—'}</td>
                <td>{r.visitSlotStart ? clock.dateTime(r.visitSlotStart) : '—'}</td>
                <td>
                  {r.status === 'offered' && r.offeredSlotStart && r.offerExpiresAt
                    ? t('admin.waitlist.offered', {
                        time: clock.time(r.offeredSlotStart),
                        until: clock.time(r.offerExpiresAt),
                      })
                    : t('admin.waitlist.waiting', { position: r.position ?? 1 })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        aria-label={t('admin.waitlist.settings')}
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(Number(minutes), saved);
        }}
      >
        <Field label={t('admin.waitlist.minutes')}>
          {(id) => (
            <Input
              id={id}
              type="number"
              min={5}
              max={240}
              required
              readOnly={!canEdit}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
          )}
        </Field>
        {canEdit && <SaveRow busy={save.isPending} className="sm:col-span-2" />}
      </form>
    </Section>
  );
}
