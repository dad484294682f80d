/** Clinic admin — the templates tab. */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button, Field, Select, TextArea } from '../../components/ui';
import { useNotificationService, useTemplates } from '../../hooks/useNotificationService';
import {
  TEMPLATE_KINDS,
  defaultTemplateText,
  messageCost,
  renderPreview,
  templateVariables,
  type TemplateKind,
} from '../../services/notification/api';
import { Section, LanguageOptions, useSaveToasts } from './shared';
import { useSingleFlight } from '../../hooks/useSingleFlight';

export function TemplatesTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const saved = useSaveToasts();
  const templates = useTemplates(clinicId);
  const save = useSingleFlight(useNotificationService(clinicId).saveTemplate);
  const [kind, setKind] = useState<TemplateKind>('your_turn');
  const [lang, setLang] = useState<'ar' | 'fr' | 'en'>('fr');
  const stored = templates.data?.find((x) => x.kind === kind && x.language === lang)?.body;
  const [body, setBody] = useState('');
  useEffect(() => setBody(stored ?? defaultTemplateText(kind, lang)), [stored, kind, lang]);
  const cost = messageCost(renderPreview(body, lang));
  return (
    <Section title={t('admin.tabs.templates')}>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t('admin.templateKind')}>
          {(id) => (
            <Select id={id} value={kind} onChange={(e) => setKind(e.target.value as TemplateKind)}>
              {TEMPLATE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`admin.kinds.${k}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t('admin.templateLang')}>
          {(id) => (
            <Select id={id} value={lang} onChange={(e) => setLang(e.target.value as 'ar' | 'fr' | 'en')}>
              <LanguageOptions />
            </Select>
          )}
        </Field>
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Field label={t('admin.templateBody')}>
          {(id) => (
            <TextArea
              id={id}
              dir={lang === 'ar' ? 'rtl' : 'ltr'}
              value={body}
              readOnly={!canEdit}
              onChange={(e) => setBody(e.target.value)}
            />
          )}
        </Field>
        <div>
          <p className="mb-1.5 text-sm font-semibold">{t('admin.templatePreview')}</p>
          <div
            className="rounded-2xl rounded-ss-sm bg-emerald-50 p-3 text-sm"
            dir={lang === 'ar' ? 'rtl' : 'ltr'}
            data-testid="template-preview"
          >
            {renderPreview(body, lang)}
          </div>
          <p className="tabular mt-2 text-sm text-muted" data-testid="template-segments">
            {t('admin.segments', { chars: cost.chars, segments: cost.segments, encoding: cost.encoding })} ·{' '}
            {t('admin.cost', { cost: cost.cost })}
          </p>
        </div>
      </div>
      <p className="mt-3 text-xs text-muted">
        {t('admin.variables')}:{' '}
        {templateVariables(kind).map((v) => (
          <code key={v} className="me-1 rounded bg-slate-100 px-1" dir="ltr">{`{${v}}`}</code>
        ))}
      </p>
      {canEdit && (
        <Button
          className="mt-4"
          busy={save.isPending}
          onClick={() => save.mutate({ kind, language: lang, body }, saved)}
        >
          {t('common.save')}
        </Button>
      )}
    </Section>
  );
}
