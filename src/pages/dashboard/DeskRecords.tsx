/**
 * The desk's patient records UI (issue 17) as ONE chunk loaded on demand: the patient search panel and a
 * visit's staff-only notes. One lazy import point keeps what the dashboard's first render carries to a
 * single loader (the dashboard is at its size budget: `npm run size`).
 */
import PatientSearchPanel from './PatientSearchPanel';
import VisitNotesDialog from './VisitNotesDialog';

export type DeskRecordsProps =
  | { readonly show: 'search'; readonly clinicId: string }
  | {
      readonly show: 'notes';
      readonly entry: { readonly id: string; readonly ticket: string };
      readonly timeOf: (instant: string) => string;
      readonly onClose: () => void;
    };

export default function DeskRecords(p: DeskRecordsProps) {
  return p.show === 'search' ? (
    <PatientSearchPanel clinicId={p.clinicId} />
  ) : (
    <VisitNotesDialog entry={p.entry} timeOf={p.timeOf} onClose={p.onClose} />
  );
}
