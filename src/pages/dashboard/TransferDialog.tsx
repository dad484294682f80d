/**
 * Transfer a waiting (or booked) patient to another doctor — and so that doctor's room — or to "any doctor"
 * (issue 17). The patient keeps their place by their order key; the reason is recorded with the staff
 * member's name. The dialog is the confirmation: nothing happens before "Transfer".
 */
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Dialog } from '../../components/Dialog';
import { Field, Select, TextField } from '../../components/ui';
import type { QueueEntryView } from '../../hooks/useQueue';

const ANY = 'any';

export function TransferDialog({
  entry,
  practitioners,
  busy,
  onClose,
  onTransfer,
}: {
  /** The entry to transfer; null = closed. */
  entry: QueueEntryView | null;
  practitioners: readonly { id: string; displayName: string; room: string | null }[];
  busy: boolean;
  onClose: () => void;
  onTransfer: (entryId: string, practitionerId: string | null, reason: string) => void;
}) {
  const { t } = useTranslation();
  const targets = practitioners.filter((p) => p.id !== entry?.practitionerId);
  const firstTarget = entry?.practitionerId === null ? (targets[0]?.id ?? ANY) : ANY;
  const [to, setTo] = useState(firstTarget);
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (entry) {
      setTo(firstTarget);
      setReason('');
    }
    // a new entry opens the dialog fresh
  }, [entry, firstTarget]);
  return (
    <Dialog
      open={entry !== null}
      title={entry ? t('records.desk.transfer.title', { ticket: entry.ticket }) : ''}
      description={t('records.desk.transfer.body')}
      confirmLabel={t('records.desk.transfer.confirm')}
      busy={busy}
      onClose={onClose}
      onConfirm={() => entry && onTransfer(entry.id, to === ANY ? null : to, reason.trim())}
    >
      <Field label={t('records.desk.transfer.to')}>
        {(id) => (
          <Select id={id} value={to} onChange={(e) => setTo(e.target.value)} data-testid="transfer-to">
            {entry?.practitionerId !== null && <option value={ANY}>{t('dash.anyPractitioner')}</option>}
            {targets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.room
                  ? t('records.desk.transfer.doctorRoom', { name: p.displayName, room: p.room })
                  : p.displayName}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <TextField label={t('records.desk.reason')} required value={reason} onValue={setReason} />
    </Dialog>
  );
}
