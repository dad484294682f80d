/** The desk bar: who the desk calls for, Call next (N), walk-in (W), emergency (E), end day, shortcuts. */
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button, Card, Field, Select } from '../../components/ui';

export interface DeskOption {
  readonly id: string;
  readonly displayName: string;
  readonly room: string | null;
}

export function DeskBar({
  desks,
  desk,
  onDesk,
  closed,
  calling,
  onCallNext,
  onWalkIn,
  onEmergency,
  onEndDay,
  onHelp,
}: {
  desks: readonly DeskOption[];
  desk: DeskOption | null;
  onDesk: (id: string) => void;
  closed: boolean;
  calling: boolean;
  onCallNext: () => void;
  onWalkIn: () => void;
  onEmergency: () => void;
  onEndDay: () => void;
  onHelp: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Card className="mb-5 flex flex-wrap items-end gap-3">
      <div className="min-w-56 flex-1">
        <Field label={t('dash.desk')}>
          {(id) => (
            <Select id={id} value={desk?.id ?? ''} disabled={!desk} onChange={(e) => onDesk(e.target.value)}>
              {!desk && <option value="">{t('dash.noDesk')}</option>}
              {desks.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                  {p.room ? ` — ${t('dash.room', { room: p.room })}` : ''}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <Button size="lg" onClick={onCallNext} busy={calling} disabled={closed || !desk} aria-keyshortcuts="N">
        {t('dash.callNext')}
        <kbd className="rounded bg-white/20 px-1.5 text-xs">N</kbd>
      </Button>
      <Button variant="secondary" onClick={onWalkIn} disabled={closed} aria-keyshortcuts="W">
        {t('dash.walkIn')}
      </Button>
      <Button variant="danger" onClick={onEmergency} disabled={closed} aria-keyshortcuts="E">
        {t('dash.emergency')}
      </Button>
      <Button variant="ghost" onClick={onEndDay} disabled={closed}>
        {t('dash.endDay')}
      </Button>
      <Button variant="ghost" size="sm" onClick={onHelp} aria-label={t('dash.shortcuts')}>
        ?
      </Button>
    </Card>
  );
}
