/**
 * Clinic admin — privacy (issue 19; Moroccan law 09-08, GDPR), loaded on demand: how long patient data is
 * kept (set_retention; the server's nightly apply_retention does the rest) and erasing a patient on request
 * (erase_patient: a destructive step behind a dialog that names the patient and asks for the name typed).
 * Owners only; the database refuses everyone else.
 */
import { useTranslation } from '../../i18n/TranslatorContext';
import { EraseSection } from './privacy/EraseSection';
import { RetentionSection } from './privacy/RetentionSection';
import { privacyStringsFor } from './privacy/strings';

export default function PrivacyTab({ clinicId, isOwner }: { clinicId: string; isOwner: boolean }) {
  const { i18n } = useTranslation();
  const s = privacyStringsFor(i18n.language);
  return (
    <div className="flex flex-col gap-8">
      {!isOwner && <p className="rounded-xl bg-warn-50 p-3 text-warn-700">{s.ownerOnly}</p>}
      <RetentionSection clinicId={clinicId} canEdit={isOwner} s={s} />
      {isOwner && <EraseSection clinicId={clinicId} s={s} />}
    </div>
  );
}
