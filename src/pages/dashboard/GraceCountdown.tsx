/** An absent patient's grace countdown; it owns its one-second timer, so only this text re-renders. */
import { useTranslation } from '../../i18n/TranslatorContext';
import { formatCountdown } from '../../components/format';
import { useNow } from '../../hooks/useNow';

export function GraceCountdown({ ticket, graceEndsAt }: { ticket: string; graceEndsAt: string }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const left = (Date.parse(graceEndsAt) - now) / 1000;
  return (
    <span className="tabular text-xs font-semibold text-warn-700" data-testid={`grace-${ticket}`}>
      {t('dash.grace', { time: formatCountdown(left) })}
    </span>
  );
}
