/** Clinic admin — the budget tab. */
import { useTranslation } from '../../i18n/TranslatorContext';
import { Badge, EmptyState, LoadingBlock, cx } from '../../components/ui';
import { useClinicTime } from '../../hooks/useClinicService';
import { useBudget, useMessageLog } from '../../hooks/useNotificationService';
import { Section } from './shared';

export function BudgetTab({ clinicId }: { clinicId: string }) {
  const { t, i18n } = useTranslation();
  const budget = useBudget(clinicId);
  const log = useMessageLog(clinicId);
  const clinicTime = useClinicTime(clinicId, i18n.language);
  const b = budget.data;
  return (
    <div className="flex flex-col gap-4">
      <Section title={t('admin.tabs.budget')}>
        {!b ? (
          <LoadingBlock label={t('common.loading')} rows={2} />
        ) : (
          <div>
            {b.smsHeld && (
              <p
                role="status"
                data-testid="sms-held"
                className="mb-3 rounded-xl bg-warn-50 p-3 text-sm font-medium"
              >
                {t('admin.smsHeld')}
              </p>
            )}
            <p className="tabular text-lg font-semibold">
              {t('admin.budgetUsed', {
                count: b.spentCount + b.reservedCount,
                limit: b.limitCount ?? '∞',
              })}
            </p>
            <p className="tabular text-muted">
              {t('admin.budgetAmount', { amount: b.spentAmount, limit: b.limitAmount ?? '∞' })}
            </p>
            <div
              className="mt-3 h-3 overflow-hidden rounded-full bg-slate-100"
              role="progressbar"
              aria-label={t('admin.tabs.budget')}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(b.usedRatio * 100)}
            >
              <div
                className={cx('h-full rounded-full', b.alert ? 'bg-warn-600' : 'bg-brand-500')}
                style={{ inlineSize: `${Math.min(100, b.usedRatio * 100)}%` }}
              />
            </div>
          </div>
        )}
      </Section>
      <Section title={t('admin.messageLog')}>
        {!log.data ? (
          <LoadingBlock label={t('common.loading')} rows={3} />
        ) : log.data.length === 0 ? (
          <EmptyState icon="✉️" title={t('admin.noMessages')} />
        ) : (
          <ul className="flex flex-col gap-2">
            {log.data.map((m) => (
              <li key={m.id} id={`message-${m.id}`} className="rounded-xl border border-line p-3 text-sm">
                <div className="mb-1 flex flex-wrap gap-2">
                  <Badge tone="brand">{t(`admin.kinds.${m.kind}` as 'admin.kinds.your_turn')}</Badge>
                  <Badge>{t(`admin.channels.${m.channel}`)}</Badge>
                  <Badge>{m.status}</Badge>
                  {m.skipReason && (
                    <span data-testid="skip-reason">
                      <Badge tone="warn">{t(`admin.skipReasons.${m.skipReason}`)}</Badge>
                    </span>
                  )}
                  {m.hardBounce && (
                    <span data-testid="hard-bounce">
                      <Badge tone="warn">{t('admin.hardBounce')}</Badge>
                    </span>
                  )}
                  {m.fallbackOf && (
                    // the refused email it replaces, when it is on this page of the log
                    <a data-testid="fallback-of" href={`#message-${m.fallbackOf}`} className="underline">
                      <Badge>{t('admin.fallbackOf')}</Badge>
                    </a>
                  )}
                  <span className="tabular text-muted" data-testid="message-time">
                    {/* the clinic's own clock, 24-hour (issue 15.16) */}
                    {clinicTime?.dateTime(m.createdAt) ?? ''}
                  </span>
                </div>
                {/* laid out in the message's own language (issue 15.8): an Arabic text that starts with a Latin
                    clinic name is still right to left, whatever the admin's language */}
                <p
                  data-testid="message-body"
                  lang={m.language ?? undefined}
                  dir={m.language === 'ar' ? 'rtl' : m.language ? 'ltr' : 'auto'}
                >
                  {m.body}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
