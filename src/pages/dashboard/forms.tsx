/** The dashboard's form dialogs: a reason (call out of order, cancel), move / priority, walk-in / emergency. */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Dialog } from '../../components/Dialog';
import { Field, Select, TextField } from '../../components/ui';
import { preloadPhoneField, readPhoneField } from '../../services/shared/phoneField';
import type { DialogState } from './types';

export function ReasonDialog({
  open,
  title,
  description,
  confirmLabel,
  busy,
  onClose,
  onSubmit,
  optional,
  danger,
}: {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  busy: boolean;
  onClose: () => void;
  onSubmit: (reason: string) => void;
  optional?: boolean;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (open) setReason('');
  }, [open]);
  return (
    <Dialog
      dismissLabel={danger ? t('common.close') : undefined}

      open={open}
      title={title}
      description={description}
      confirmLabel={confirmLabel}
      confirmVariant={danger ? 'danger' : 'primary'}
      busy={busy}
      onClose={onClose}
      onConfirm={() => onSubmit(reason.trim())}
    >
      <TextField
        label={t('records.desk.reason')}
        required={!optional}
        autoFocus
        value={reason}
        onValue={setReason}
      />
    </Dialog>
  );
}

export function MoveDialog({
  state,
  busy,
  onClose,
  onMove,
  onPriority,
}: {
  state: DialogState;
  busy: boolean;
  onClose: () => void;
  onMove: (entryId: string, to: number, reason: string) => void;
  onPriority: (entryId: string, p: 'normal' | 'urgent' | 'emergency', reason: string) => void;
}) {
  const { t } = useTranslation();
  const [pos, setPos] = useState('1');
  const [prio, setPrio] = useState<'normal' | 'urgent' | 'emergency'>('normal');
  const [reason, setReason] = useState('');
  const entry = state.kind === 'move' || state.kind === 'priority' ? state.entry : null;
  useEffect(() => {
    if (entry) {
      setPos(String(entry.position ?? 1));
      setPrio(entry.priority);
      setReason('');
    }
  }, [entry]);
  const isMove = state.kind === 'move';
  return (
    <Dialog
      open={!!entry}
      title={
        entry
          ? t(isMove ? 'records.desk.moveTitle' : 'records.desk.priorityTitle', { ticket: entry.ticket })
          : ''
      }
      confirmLabel={t('common.save')}
      busy={busy}
      onClose={onClose}
      onConfirm={() =>
        entry &&
        (isMove
          ? onMove(entry.id, Math.max(1, Number(pos) || 1), reason.trim())
          : onPriority(entry.id, prio, reason.trim()))
      }
    >
      {isMove ? (
        <TextField
          label={t('records.desk.newPosition')}
          type="number"
          min={1}
          required
          value={pos}
          onValue={setPos}
        />
      ) : (
        <Field label={t('dash.actions.priority')}>
          {(id) => (
            <Select id={id} value={prio} onChange={(e) => setPrio(e.target.value as typeof prio)}>
              {(['normal', 'urgent', 'emergency'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}
      <TextField label={t('records.desk.reason')} required value={reason} onValue={setReason} />
    </Dialog>
  );
}

export function PatientFormDialog({
  open,
  emergency,
  practitioners,
  types,
  busy,
  onClose,
  onSubmit,
}: {
  open: boolean;
  emergency: boolean;
  practitioners: readonly { id: string; displayName: string }[];
  types: readonly { id: string; name: string; durationMinutes: number }[];
  busy: boolean;
  onClose: () => void;
  onSubmit: (v: {
    name: string;
    phone: string;
    practitionerId: string | null;
    typeId: string | null;
    reason: string;
    urgent: boolean;
  }) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [phoneInvalid, setPhoneInvalid] = useState(false);
  const [pr, setPr] = useState('any');
  const [type, setType] = useState('any');
  const [reason, setReason] = useState('');
  const [urgent, setUrgent] = useState(false);
  // the phone parser loads on demand (issue 14): fetched when the dialog opens, awaited on submit
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    if (open) preloadPhoneField();
  }, [open]);
  // Every opening starts fresh (issue 15.7): the previous patient's doctor and visit type must not carry
  // over — an emergency goes to a doctor only when someone picked one in this dialog.
  useEffect(() => {
    if (open) {
      setName('');
      setPhone('');
      setPr('any');
      setType('any');
      setPhoneInvalid(false);
      setReason('');
      setUrgent(false);
    }
  }, [open, emergency]);
  return (
    <Dialog
      open={open}
      title={t(emergency ? 'records.desk.emergencyTitle' : 'records.desk.walkInTitle')}
      {...(emergency ? { description: t('records.desk.emergencyBody') } : {})}
      confirmLabel={t('records.desk.add')}
      confirmVariant={emergency ? 'danger' : 'primary'}
      busy={busy || checking}
      onClose={onClose}
      onConfirm={() => {
        if (checking) return;
        setChecking(true);
        // The one phone rule of every form: blank, or a number the domain parser accepts, sent in E.164.
        readPhoneField(phone)
          .then((read) => {
            setPhoneInvalid(!read.ok);
            if (!read.ok) return;
            onSubmit({
              name: name.trim(),
              phone: read.value ?? '',
              practitionerId: pr === 'any' ? null : pr,
              typeId: type === 'any' ? null : type,
              reason: reason.trim(),
              urgent,
            });
          })
          .catch(() => setPhoneInvalid(true))
          .finally(() => setChecking(false));
      }}
    >
      <TextField
        label={t('records.desk.name')}
        required
        autoFocus
        autoComplete="off"
        value={name}
        onValue={setName}
      />
      <TextField
        label={t('records.desk.phone')}
        type="tel"
        dir="ltr"
        inputMode="tel"
        value={phone}
        onValue={setPhone}
        aria-invalid={phoneInvalid || undefined}
      />
      {phoneInvalid && (
        <p role="alert" className="text-sm text-danger-700" data-testid="phone-error">
          {t('errors.PHONE.INVALID')}
        </p>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t('records.desk.practitioner')}>
          {(id) => (
            <Select id={id} value={pr} onChange={(e) => setPr(e.target.value)}>
              <option value="any">{t('dash.anyPractitioner')}</option>
              {practitioners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {!emergency && (
          <Field label={t('records.desk.type')}>
            {(id) => (
              <Select id={id} value={type} onChange={(e) => setType(e.target.value)}>
                <option value="any">{t('records.desk.anyType')}</option>
                {types.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name} · {t('dash.minutes', { m: x.durationMinutes })}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
      </div>
      {emergency ? (
        <TextField label={t('records.desk.reason')} required value={reason} onValue={setReason} />
      ) : (
        <label className="flex items-center gap-2 text-sm font-semibold">
          <input
            type="checkbox"
            className="size-5 accent-amber-600"
            checked={urgent}
            onChange={(e) => setUrgent(e.target.checked)}
          />
          {t('priority.urgent')}
        </label>
      )}
    </Dialog>
  );
}
