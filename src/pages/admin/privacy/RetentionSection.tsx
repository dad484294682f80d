/** The Privacy tab's retention period (issue 19): shown to staff, changed by the owner (30..3650 days or none). */
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Field, Input, LoadingBlock } from '../../../components/ui';
import { useRetention, useSetRetention } from '../../../hooks/usePrivacy';
import { useErrorText } from '../../../i18n/pageStrings';
import { fill } from '../reports/strings';
import type { PrivacyStrings } from './strings';

export function RetentionSection({
  clinicId,
  canEdit,
  s,
}: {
  clinicId: string;
  canEdit: boolean;
  s: PrivacyStrings;
}) {
  const errorText = useErrorText();
  const current = useRetention(clinicId);
  const save = useSetRetention(clinicId);
  const [text, setText] = useState('');
  // no min/max on the field: an out-of-range period gets the service's coded, translated refusal (one path)
  // the field starts from the period in force (and follows it after a save)
  useEffect(() => {
    if (current.data !== undefined) setText(current.data === null ? '' : String(current.data));
  }, [current.data]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = text.trim();
    save.mutate(t === '' ? null : Number(t));
  };
  const r = s.retention;
  return (
    <section aria-labelledby="privacy-retention" className="flex flex-col gap-3">
      <h2 id="privacy-retention" className="text-lg font-bold">
        {r.title}
      </h2>
      <p className="text-muted">{r.explain}</p>
      {current.error ? (
        <p role="alert" className="rounded-xl bg-warn-50 p-3 text-warn-700">
          {errorText(current.error.code)}
        </p>
      ) : current.data === undefined ? (
        <LoadingBlock label={s.loading} rows={1} />
      ) : (
        <p className="font-semibold" data-testid="retention-now">
          {fill(r.now, { what: current.data === null ? r.keepAll : fill(r.days, { n: current.data }) })}
        </p>
      )}
      {canEdit && (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <div className="w-56">
            <Field label={r.label} hint={r.hint}>
              {(id, describedBy) => (
                <Input
                  id={id}
                  aria-describedby={describedBy}
                  type="number"
                  inputMode="numeric"
                  value={text}
                  onChange={(e) => {
                    setText(e.target.value);
                    save.reset();
                  }}
                />
              )}
            </Field>
          </div>
          <Button type="submit" busy={save.isPending} className="mb-6">
            {r.save}
          </Button>
        </form>
      )}
      {save.error && (
        <p role="alert" className="rounded-xl bg-warn-50 p-3 text-warn-700">
          {errorText(save.error.code)}
        </p>
      )}
      {save.isSuccess && (
        <p role="status" className="rounded-xl bg-brand-50 p-3 text-brand-800">
          {r.saved}
        </p>
      )}
    </section>
  );
}
