/**
 * The desk's patient records UI (issue 17) as ONE chunk loaded on demand: the patient search panel, a
 * visit's staff-only notes and a patient's record (its reads are audited, opened from a row's menu). One lazy import point keeps what the dashboard's first render carries to a
 * single loader (the dashboard is at its size budget: `npm run size`).
 */
import { PatientRecordDialog } from './PatientRecordDialog';
import PatientSearchPanel from './PatientSearchPanel';
import VisitNotesDialog from './VisitNotesDialog';

export type DeskRecordsProps =
  | { readonly show: 'search'; readonly clinicId: string }
  | {
      readonly show: 'notes';
      readonly entry: { readonly id: string; readonly ticket: string };
      readonly timeOf: (instant: string) => string;
      readonly onClose: () => void;
    }
  | { readonly show: 'record'; readonly patientId: string; readonly onClose: () => void };

export default function DeskRecords(p: DeskRecordsProps) {
  if (p.show === 'search') return <PatientSearchPanel clinicId={p.clinicId} />;
  if (p.show === 'record') return <PatientRecordDialog patientId={p.patientId} onClose={p.onClose} />;
  return <VisitNotesDialog entry={p.entry} timeOf={p.timeOf} onClose={p.onClose} />;
}
