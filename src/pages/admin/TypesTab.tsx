/**
 * Clinic admin — the types tab (issue 17): add a visit type, rename it, set its length and booking mode,
 * archive it (after a confirmation) and restore it. Every change is the clinic's whole list saved as one
 * call (set_appointment_types, which checks the caller is an owner/admin and validates every entry).
 * Loaded lazily with its tab; its texts travel with it, not in the admin section every admin tab loads.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Dialog } from '../../components/Dialog';
import { useToast } from '../../components/Toasts';
import { Badge, Button, EmptyState, Input, LoadingBlock, Select } from '../../components/ui';
import {
  useClinicProfile,
  useClinicService,
  useVisitTypes,
  type VisitType,
} from '../../hooks/useClinicService';
import { useVisitTypeEditing } from '../../hooks/useVisitTypeEditing';
import { Section, useSaveToasts } from './shared';
import { problemOf, TYPES_TEXTS as TEXTS } from './typesTabTexts';
import { TypeEditForm } from './TypeEditForm';

export default function TypesTab({ clinicId, canEdit }: { clinicId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const tx = TEXTS[i18n.language as 'ar' | 'fr' | 'en'] ?? TEXTS.en;
  const saved = useSaveToasts();
  const toast = useToast();
  const types = useVisitTypes(clinicId);
  const service = useClinicService(clinicId);
  const { addType, changeType } = useVisitTypeEditing(clinicId);
  // a type without its own mode takes the clinic's (F4): the editor says which that is
  const clinicMode = useClinicProfile(clinicId).data?.settings.booking_mode ?? 'slotted';
  const [name, setName] = useState('');
  const [minutes, setMinutes] = useState('15');
  const [addProblem, setAddProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [archiving, setArchiving] = useState<VisitType | null>(null);

  if (types.isError)
    return (
      <Section title={t('admin.tabs.types')}>
        <p role="alert" className="mb-3 text-danger-700">
          {tx.loadFailed}
        </p>
        <Button variant="secondary" onClick={() => void types.refetch()}>
          {tx.retry}
        </Button>
      </Section>
    );
  if (!types.data) return <LoadingBlock label={t('common.loading')} />;
  const active = types.data.filter((ty) => ty.active);
  const archived = types.data.filter((ty) => !ty.active);

  const submitAdd = (e: FormEvent) => {
    e.preventDefault();
    if (addType.isPending) return;
    setAddProblem(null);
    addType.mutate(
      { name, durationMinutes: Number(minutes) },
      {
        onSuccess: () => {
          setName('');
          saved.onSuccess();
        },
        onError: (err) => {
          const p = problemOf(err);
          if (p) setAddProblem(tx.problems[p]);
          else toast.error(err);
        },
      },
    );
  };
  return (
    <Section title={t('admin.tabs.types')}>
      {canEdit && (
        <form onSubmit={submitAdd} className="mb-4 flex flex-wrap items-end gap-3" data-testid="type-add">
          <label className="flex min-w-48 flex-1 flex-col gap-1.5 text-sm font-semibold">
            {tx.newName}
            <Input
              value={name}
              maxLength={120}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={addProblem !== null || undefined}
              aria-describedby={addProblem ? 'type-add-problem' : undefined}
            />
          </label>
          <label className="flex w-28 flex-col gap-1.5 text-sm font-semibold">
            {tx.minutes}
            <Input
              type="number"
              min={5}
              max={480}
              step={5}
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
          </label>
          <Button type="submit" busy={addType.isPending}>
            {tx.add}
          </Button>
          {addProblem && (
            <p id="type-add-problem" role="alert" className="w-full text-sm text-danger-700">
              {addProblem}
            </p>
          )}
        </form>
      )}
      {active.length === 0 ? (
        <EmptyState title={tx.empty} hint={canEdit ? tx.emptyHint : undefined} />
      ) : (
        <ul className="flex flex-col gap-2">
          {active.map((ty) => (
            <li
              key={ty.id}
              data-testid={`type-${ty.id}`}
              className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-line p-3"
            >
              {editing === ty.id ? (
                <TypeEditForm
                  clinicId={clinicId}
                  type={ty}
                  tx={tx}
                  onDone={(ok) => {
                    setEditing(null);
                    if (ok) saved.onSuccess();
                  }}
                />
              ) : (
                <span className="flex items-center gap-2 font-semibold">
                  <span
                    aria-hidden
                    className="size-3 shrink-0 rounded-full border border-line"
                    style={ty.color ? { backgroundColor: ty.color, borderColor: ty.color } : undefined}
                  />
                  {ty.name}
                </span>
              )}
              <Select
                aria-label={`${ty.name} — ${t('admin.typeMode')}`}
                data-testid={`type-mode-${ty.id}`}
                disabled={!canEdit}
                value={ty.bookingMode ?? ''}
                className="w-auto"
                onChange={(e) =>
                  service.setVisitTypeMode.mutate(
                    {
                      typeId: ty.id,
                      bookingMode: e.target.value === '' ? null : (e.target.value as 'slotted' | 'fluid'),
                    },
                    saved,
                  )
                }
              >
                <option value="">
                  {t('admin.bookingModes.clinic', { mode: t(`admin.bookingModes.${clinicMode}`) })}
                </option>
                <option value="slotted">{t('admin.bookingModes.slotted')}</option>
                <option value="fluid">{t('admin.bookingModes.fluid')}</option>
              </Select>
              {canEdit ? (
                <>
                  <label className="flex items-center gap-2 text-sm">
                    <input
                      // a refused length comes back (rolled back): the field shows the stored one again
                      key={ty.durationMinutes}
                      type="number"
                      min={5}
                      max={480}
                      step={5}
                      aria-label={`${ty.name} — ${tx.minutes}`}
                      defaultValue={ty.durationMinutes}
                      className="w-20 rounded-lg border border-line px-2 py-1"
                      onBlur={(e) => {
                        const m = Number(e.target.value);
                        if (m !== ty.durationMinutes)
                          service.setVisitTypeDuration.mutate({ typeId: ty.id, durationMinutes: m }, saved);
                      }}
                    />
                    {t('admin.typeDuration', { m: '' }).trim()}
                  </label>
                  <div className="flex gap-2">
                    {editing !== ty.id && (
                      <Button
                        size="sm"
                        variant="secondary"
                        aria-label={`${tx.edit} ${ty.name}`}
                        onClick={() => setEditing(ty.id)}
                      >
                        {tx.edit}
                      </Button>
                    )}
                    <Button
                      size="sm"
                      variant="secondary"
                      aria-label={`${tx.archive} ${ty.name}`}
                      onClick={() => setArchiving(ty)}
                    >
                      {tx.archive}
                    </Button>
                  </div>
                </>
              ) : (
                <Badge tone="brand">{t('admin.typeDuration', { m: ty.durationMinutes })}</Badge>
              )}
            </li>
          ))}
        </ul>
      )}
      {archived.length > 0 && (
        <div className="mt-5">
          <h3 className="mb-2 text-sm font-bold text-muted">{tx.archived}</h3>
          <ul className="flex flex-col gap-2" data-testid="types-archived">
            {archived.map((ty) => (
              <li
                key={ty.id}
                className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-dashed border-line p-3 text-muted"
              >
                <span>{ty.name}</span>
                {canEdit && (
                  <Button
                    size="sm"
                    variant="secondary"
                    aria-label={`${tx.restore} ${ty.name}`}
                    busy={changeType.isPending && changeType.variables?.typeId === ty.id}
                    onClick={() =>
                      changeType.mutate(
                        { typeId: ty.id, change: { active: true } },
                        { onSuccess: saved.onSuccess, onError: (err) => toast.error(err) },
                      )
                    }
                  >
                    {tx.restore}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <Dialog
        open={archiving !== null}
        onClose={() => setArchiving(null)}
        title={archiving ? tx.archiveTitle(archiving.name) : ''}
        description={tx.archiveBody}
        confirmLabel={tx.archive}
        confirmVariant="danger"
        busy={changeType.isPending}
        onConfirm={() =>
          // the promise keeps the dialog from sending a second archive while this one is in flight
          archiving
            ? changeType.mutateAsync({ typeId: archiving.id, change: { active: false } }).then(
                () => {
                  setArchiving(null);
                  saved.onSuccess();
                },
                (err: unknown) => toast.error(err),
              )
            : undefined
        }
      />
    </Section>
  );
}
