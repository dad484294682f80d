/**
 * The desk's less frequent UI as ONE chunk loaded on demand: the patient search panel, a visit's staff-only
 * notes, a patient's record (its reads are audited) and the transfer to another doctor (both opened from a
 * row's menu). One lazy import point keeps what the dashboard's first render carries to a single loader (the
 * dashboard is at its size budget: `npm run size`). It also carries the rows' ⋯ menu (RowMenu, Radix), which
 * RowActions loads right after the first render, and the desk's dialogs (DeskDialogs), which the dashboard does.
 */
import type { QueueEntryView } from '../../hooks/useQueue';
import { usePageStrings } from '../../i18n/pageStrings';
import { PatientRecordDialog } from './PatientRecordDialog';
import PatientSearchPanel from './PatientSearchPanel';
import { TransferDialog } from './TransferDialog';
import VisitNotesDialog from './VisitNotesDialog';

// a queue row's ⋯ menu (Radix), imported by RowActions through this same chunk
export { RowMenu } from './RowMenu';
// the desk's dialogs (walk-in, emergency, reasons, move, priority, end day, help), which the dashboard renders from
// its first render on and so loads right after it (size22, issue 14: ≈ 2 KiB off the desk's first load)
export { DeskDialogs } from './DeskDialogs';

export type DeskRecordsProps =
  | { readonly show: 'search'; readonly clinicId: string }
  | {
      readonly show: 'notes';
      readonly entry: { readonly id: string; readonly ticket: string };
      readonly timeOf: (instant: string) => string;
      readonly onClose: () => void;
    }
  | { readonly show: 'record'; readonly patientId: string; readonly onClose: () => void }
  | ({ readonly show: 'transfer'; readonly entry: QueueEntryView } & Omit<
      Parameters<typeof TransferDialog>[0],
      'entry'
    >);

export default function DeskRecords(p: DeskRecordsProps) {
  // a record's and the transfer's strings are the `records` section's (`records.desk.*`), like the search's and
  // the notes' (which wait for them themselves); the dashboard starts loading them at its first render
  // the record and the transfer wait for them: when they cannot be loaded, the error boundary (with Reload) says so
  // instead of an empty screen for ever (fix24b)
  const waits = p.show === 'record' || p.show === 'transfer';
  const ready = usePageStrings('records', waits);
  if (!ready && waits) return null;
  if (p.show === 'search') return <PatientSearchPanel clinicId={p.clinicId} />;
  if (p.show === 'record') return <PatientRecordDialog patientId={p.patientId} onClose={p.onClose} />;
  if (p.show === 'transfer') {
    const { show: _show, ...transfer } = p;
    return <TransferDialog {...transfer} />;
  }
  return <VisitNotesDialog entry={p.entry} timeOf={p.timeOf} onClose={p.onClose} />;
}
