/**
 * Clinic admin — WhatsApp (issue 20): the clinic's own WhatsApp number (empty: the platform's) and its approved
 * templates. Outside the 24-hour window after a patient's last WhatsApp message, WhatsApp only delivers an
 * approved template: the server sends the one set here for the message's kind and language (Twilio Content SID,
 * {{1}} {{2}} … filled with the listed variables in order), and sends by SMS when there is none.
 * Stored by set_whatsapp_settings (checked there too).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button, Field, Input, LoadingBlock, Select } from '../../components/ui';
import {
  useNotificationService,
  useWhatsAppSettings,
  type WhatsAppTemplate,
} from '../../hooks/useNotificationService';
import {
  TEMPLATE_KINDS,
  templateVariables,
  whatsAppSettingsProblem,
  type TemplateKind,
} from '../../services/notification/api';
import { LanguageOptions, Section, SaveRow, useSaveToasts } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

type Lang = 'ar' | 'fr' | 'en';

export function WhatsAppSection({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const current = useWhatsAppSettings(clinicId);
  const save = useSingleFlight(useNotificationService(clinicId).setWhatsAppSettings);
  const [sender, setSender] = useState('');
  const [templates, setTemplates] = useState<readonly WhatsAppTemplate[]>([]);
  const [kind, setKind] = useState<TemplateKind>(TEMPLATE_KINDS[0]);
  const [language, setLanguage] = useState<Lang>('fr');
  const [sid, setSid] = useState('');
  const [variables, setVariables] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (current.data === undefined) return;
    setSender(current.data.sender ?? '');
    setTemplates(current.data.templates);
  }, [current.data]);
  if (current.data === undefined) return <LoadingBlock label={t('common.loading')} rows={2} />;

  const settings = (list: readonly WhatsAppTemplate[]) => ({
    sender: sender.trim() === '' ? null : sender.trim(),
    templates: list,
  });
  const add = () => {
    const row: WhatsAppTemplate = {
      kind,
      language,
      sid: sid.trim(),
      variables: variables
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    };
    const next = [...templates.filter((x) => !(x.kind === kind && x.language === language)), row];
    const p = whatsAppSettingsProblem(settings(next));
    setProblem(p);
    if (p) return;
    setTemplates(next);
    setSid('');
    setVariables('');
  };

  return (
    <Section title={t('admin.whatsApp.title')}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const p = whatsAppSettingsProblem(settings(templates));
          setProblem(p);
          if (!p) save.mutate(settings(templates), saved);
        }}
      >
        <Field label={t('admin.whatsApp.sender')}>
          {(id) => (
            <Input
              id={id}
              dir="ltr"
              inputMode="tel"
              placeholder="+212…"
              disabled={!canEdit}
              value={sender}
              onChange={(e) => setSender(e.target.value)}
            />
          )}
        </Field>
        <p className="text-xs text-muted">{t('admin.whatsApp.help')}</p>
        {templates.length === 0 ? (
          <p className="text-sm text-muted">{t('admin.whatsApp.none')}</p>
        ) : (
          <ul className="flex flex-col gap-1" aria-label={t('admin.whatsApp.templates')}>
            {templates.map((x) => (
              <li key={`${x.kind}/${x.language}`} className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-semibold">{t(`admin.kinds.${x.kind}` as 'admin.kinds.your_turn')}</span>
                <span>{x.language}</span>
                <code dir="ltr">{x.sid}</code>
                <span dir="ltr" className="text-muted">
                  {x.variables.map((v, i) => `{{${i + 1}}}=${v}`).join(' ')}
                </span>
                {canEdit && (
                  <Button
                    type="button"
                    size="sm"
                    variant="ghost"
                    onClick={() => setTemplates(templates.filter((y) => y !== x))}
                  >
                    {t('admin.whatsApp.remove')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {canEdit && (
          <fieldset className="flex flex-col gap-2 rounded-xl border border-line p-3">
            <legend className="px-1 text-sm font-semibold">{t('admin.whatsApp.add')}</legend>
            <div className="flex flex-wrap gap-2">
              <Field label={t('admin.whatsApp.kind')}>
                {(id) => (
                  <Select id={id} value={kind} onChange={(e) => setKind(e.target.value as TemplateKind)}>
                    {TEMPLATE_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`admin.kinds.${k}` as 'admin.kinds.your_turn')}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label={t('admin.whatsApp.language')}>
                {(id) => (
                  <Select id={id} value={language} onChange={(e) => setLanguage(e.target.value as Lang)}>
                    <LanguageOptions />
                  </Select>
                )}
              </Field>
            </div>
            <Field label={t('admin.whatsApp.sid')}>
              {(id) => (
                <Input
                  id={id}
                  dir="ltr"
                  placeholder="HX…"
                  value={sid}
                  onChange={(e) => setSid(e.target.value)}
                />
              )}
            </Field>
            <Field label={t('admin.whatsApp.variables')}>
              {(id) => (
                <Input
                  id={id}
                  dir="ltr"
                  placeholder={templateVariables(kind).slice(0, 2).join(', ')}
                  value={variables}
                  onChange={(e) => setVariables(e.target.value)}
                />
              )}
            </Field>
            <p className="text-xs text-muted" dir="ltr">
              {templateVariables(kind).join(', ')}
            </p>
            <div>
              <Button type="button" size="sm" onClick={add}>
                {t('admin.whatsApp.add')}
              </Button>
            </div>
          </fieldset>
        )}
        {problem && (
          <p role="alert" data-testid="whatsapp-problem" className="text-sm font-medium text-danger-700">
            {t(`admin.whatsApp.problems.${problem}` as 'admin.whatsApp.problems.sid')}
          </p>
        )}
        {canEdit && <SaveRow busy={save.isPending} />}
      </form>
    </Section>
  );
}
