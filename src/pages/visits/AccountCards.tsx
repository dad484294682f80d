/**
 * My visits' cards about the patient's own record, below the visits: "Your name at {clinic}" per clinic
 * (issue 12, MyNameCard) and "Who accessed my record" (issue 19). One lazy chunk (MyVisitsPage loads it after its
 * first render): the page is at its size budget, and one chunk's preload list is paid once.
 */
import MyNameCards from './MyNameCard';
import { RecordAccessCard } from './RecordAccessCard';

export default function AccountCards({ clinicIds }: { clinicIds: readonly string[] }) {
  return (
    <>
      {clinicIds.length > 0 && <MyNameCards clinicIds={clinicIds} />}
      <RecordAccessCard />
    </>
  );
}
