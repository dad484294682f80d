/**
 * One visit type's edit form on the types tab (issue 17): its default name, its name in Arabic, French and
 * English (left empty: that language reads the default), and its colour from the palette. Saved as one change
 * (ClinicService.changeVisitType → set_appointment_types); a refusal is said under the form, what was typed kept.
 */
import { useId, useState, type FormEvent } from 'react';
import { useToast } from '../../components/Toasts';
import { Button, Input, cx } from '../../components/ui';
import type { VisitType } from '../../hooks/useClinicService';
import { useMembers } from '../../hooks/useStaffService';
import { useVisitTypeEditing } from '../../hooks/useVisitTypeEditing';
import { VISIT_TYPE_COLORS, VISIT_TYPE_LANGUAGES } from '../../services/clinic/api';
import { problemOf, type Texts } from './typesTabTexts';

export function TypeEditForm({
  clinicId,
  type,
  tx,
  onDone,
}: {
  clinicId: string;
  type: VisitType;
  tx: Texts;
  onDone: (saved: boolean) => void;
}) {
  const toast = useToast();
  const { changeType } = useVisitTypeEditing(clinicId);
  const [name, setName] = useState(type.name);
  const [names, setNames] = useState<Record<string, string>>({ ...type.names });
  const [color, setColor] = useState<string | null>(type.color);
  const [doctors, setDoctors] = useState<readonly string[]>(type.practitionerIds ?? []);
  const practitioners = (useMembers(clinicId).data ?? []).filter(
    // DR1: a doctor is a practitioner or an owner (private.is_bookable_doctor)
    (m) => (m.role === 'practitioner' || m.role === 'owner') && (m.active || doctors.includes(m.id)),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (changeType.isPending) return;
    setProblem(null);
    changeType.mutate(
      // none ticked: every doctor (null)
      { typeId: type.id, change: { name, names, color, practitionerIds: doctors.length ? doctors : null } },
      {
        onSuccess: () => onDone(true),
        onError: (err) => {
          const p = problemOf(err);
          if (p) setProblem(tx.problems[p]);
          else toast.error(err);
        },
      },
    );
  };

  return (
    <form
      onSubmit={submit}
      aria-label={tx.editTitle(type.name)}
      className="flex w-full flex-col gap-3"
      data-testid={`type-edit-${type.id}`}
    >
      <label className="flex flex-col gap-1.5 text-sm font-semibold">
        {tx.defaultName}
        <Input value={name} maxLength={120} autoFocus onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="grid gap-3 sm:grid-cols-3">
        {VISIT_TYPE_LANGUAGES.map((l) => (
          <label key={l} className="flex flex-col gap-1.5 text-sm font-semibold">
            {tx.nameIn[l]}
            <Input
              // each language's name is written in its own direction
              dir={l === 'ar' ? 'rtl' : 'ltr'}
              lang={l}
              value={names[l] ?? ''}
              maxLength={120}
              placeholder={name}
              aria-describedby={`${id}-hint`}
              onChange={(e) => setNames({ ...names, [l]: e.target.value })}
            />
          </label>
        ))}
      </div>
      <p id={`${id}-hint`} className="text-xs text-muted">
        {tx.nameInHint}
      </p>
      <fieldset className="flex flex-wrap items-center gap-2">
        <legend className="mb-1.5 text-sm font-semibold">{tx.colour}</legend>
        {[null, ...VISIT_TYPE_COLORS].map((c, i) => (
          <label
            key={c ?? 'none'}
            className={cx(
              'flex size-9 cursor-pointer items-center justify-center rounded-full border-2 focus-within:ring-2 focus-within:ring-brand-500',
              color === c ? 'border-ink' : 'border-transparent',
            )}
          >
            <input
              type="radio"
              name={`${id}-colour`}
              className="sr-only"
              checked={color === c}
              aria-label={c === null ? tx.noColour : tx.colours[i - 1]}
              onChange={() => setColor(c)}
            />
            <span
              aria-hidden
              className={cx('size-6 rounded-full', c === null && 'border border-dashed border-line')}
              style={c === null ? undefined : { backgroundColor: c }}
            />
          </label>
        ))}
      </fieldset>
      {practitioners.length > 0 && (
        <fieldset className="flex flex-col gap-1.5" aria-describedby={`${id}-doctors`}>
          <legend className="mb-1.5 text-sm font-semibold">{tx.doctors}</legend>
          {practitioners.map((m) => (
            <label key={m.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={doctors.includes(m.id)}
                onChange={(e) =>
                  setDoctors(e.target.checked ? [...doctors, m.id] : doctors.filter((d) => d !== m.id))
                }
              />
              <bdi>{m.displayName}</bdi>
            </label>
          ))}
          <p id={`${id}-doctors`} className="text-xs text-muted">
            {tx.doctorsHint}
          </p>
        </fieldset>
      )}
      {problem && (
        <p role="alert" className="text-sm text-danger-700">
          {problem}
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" size="sm" busy={changeType.isPending}>
          {tx.save}
        </Button>
        <Button size="sm" variant="secondary" onClick={() => onDone(false)}>
          {tx.cancel}
        </Button>
      </div>
    </form>
  );
}
