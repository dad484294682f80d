/**
 * Staff-only notes on a visit (issue 17), loaded on demand from the row menu. Read and written through
 * list_visit_notes / add_visit_note: the clinic's staff only (RLS); the patient, their tracker and the board
 * never see them. A note is 1..1000 characters and is never edited (each records its author and time).
 */
import { useId, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Dialog } from '../../components/Dialog';
import { LoadingBlock, TextArea } from '../../components/ui';
import { useAddVisitNote, useVisitNotes } from '../../hooks/usePatientRecords';
import { VISIT_NOTE_MAX } from '../../services/reports/api';
import { useErrorText, usePageStrings } from '../../i18n/pageStrings';
import { useSingleFlight } from '../../hooks/useSingleFlight';

export default function VisitNotesDialog({
  entry,
  onClose,
  timeOf,
}: {
  entry: { id: string; ticket: string };
  onClose: () => void;
  timeOf: (instant: string) => string;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const ready = usePageStrings('records');
  const notes = useVisitNotes(entry.id);
  const add = useSingleFlight(useAddVisitNote(entry.id));
  const [text, setText] = useState('');
  const id = useId();
  const body = text.trim();
  return (
    <Dialog
      open
      title={ready ? t('records.notesTitle', { ticket: entry.ticket }) : t('common.loading')}
      description={ready ? t('records.notesHint') : undefined}
      confirmLabel={ready ? t('records.noteAdd') : t('common.loading')}
      busy={add.isPending}
      dismissLabel={t('common.close')}
      onClose={onClose}
      onConfirm={() => {
        if (body.length === 0 || body.length > VISIT_NOTE_MAX || add.isPending) return;
        add.mutate(body, { onSuccess: () => setText('') });
      }}
    >
      {!ready || notes.isPending ? (
        <LoadingBlock rows={2} label={t('common.loading')} />
      ) : notes.isError ? (
        <p role="alert" className="text-danger-700">
          {errorText(notes.error.code)}
        </p>
      ) : notes.data.length === 0 ? (
        <p className="text-muted">{t('records.notesEmpty')}</p>
      ) : (
        <ul className="flex max-h-64 flex-col gap-2 overflow-y-auto" data-testid="visit-notes">
          {notes.data.map((n) => (
            <li key={n.id} className="rounded-lg bg-slate-50 p-2">
              <p className="whitespace-pre-wrap">{n.body}</p>
              <p className="text-xs text-muted">
                {t('records.noteBy', { name: n.authorName ?? '—', time: timeOf(n.createdAt) })}
              </p>
            </li>
          ))}
        </ul>
      )}
      {ready && (
        <div className="flex flex-col gap-1.5">
          <label htmlFor={id} className="text-sm font-semibold text-ink">
            {t('records.noteLabel')}
          </label>
          <TextArea
            id={id}
            value={text}
            maxLength={VISIT_NOTE_MAX}
            aria-describedby={`${id}-count`}
            onChange={(e) => setText(e.target.value)}
          />
          <p id={`${id}-count`} className="text-xs text-muted">
            {t('records.noteCount', { n: text.length, max: VISIT_NOTE_MAX })}
          </p>
          {add.isError && (
            <p role="alert" className="text-danger-700">
              {errorText(add.error.code)}
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
