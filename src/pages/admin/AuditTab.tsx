/**
 * Clinic admin — the audit trail (issue 19), loaded on demand: every override (out-of-order call with its
 * reason, priority change, move or transfer, re-activated no-show) and every read of a patient's record,
 * with who, when and from where; filtered by day range, action, staff and patient; exported as CSV.
 * Owners and admins only (the database refuses everyone else).
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/TranslatorContext';
import { Button, EmptyState, Input, LoadingBlock, Select } from '../../components/ui';
import { useClinicTime } from '../../hooks/useClinicService';
import { useAuditLog, type AuditEntry, type AuditKind } from '../../hooks/useReports';
import { useErrorText } from '../../i18n/pageStrings';
import { AUDIT_KINDS, rangeOf, toCsv } from '../../services/reports/api';
import { stringsFor } from './reports/strings';

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const distinct = (
  rows: readonly AuditEntry[],
  id: (r: AuditEntry) => string | null,
  name: (r: AuditEntry) => string | null,
) =>
  [...new Map(rows.flatMap((r) => (id(r) ? [[id(r)!, name(r) ?? id(r)!] as const] : []))).entries()].sort(
    (a, b) => a[1].localeCompare(b[1]),
  );

export default function AuditTab({ clinicId }: { clinicId: string }) {
  const { i18n } = useTranslation();
  const clinicTime = useClinicTime(clinicId, i18n.language);
  const today = clinicTime?.today;
  if (!today) return <LoadingBlock label={stringsFor(i18n.language).loading} rows={3} />;
  return <Audit clinicId={clinicId} today={today} />;
}

function Audit({ clinicId, today }: { clinicId: string; today: string }) {
  const { i18n } = useTranslation();
  const errorText = useErrorText();
  const s = stringsFor(i18n.language);
  const a = s.audit;
  const clinicTime = useClinicTime(clinicId, i18n.language);
  const month = rangeOf('month', today);
  const [from, setFrom] = useState(month.from);
  const [to, setTo] = useState(today);
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [actorId, setActorId] = useState('');
  const [patientId, setPatientId] = useState('');
  const log = useAuditLog({
    clinicId,
    from,
    to,
    kind: kind || null,
    actorId: actorId || null,
    patientId: patientId || null,
  });
  const rows = log.data ?? [];
  const when = (r: AuditEntry) => clinicTime?.dateTime(r.occurredAt) ?? r.occurredAt;
  const header = [a.when, a.kind, a.staff, a.patient, a.reason, a.origin];
  const cells = (r: AuditEntry) => [
    when(r),
    a.kinds[r.kind],
    r.actorName ?? '',
    r.patientName ?? '',
    r.reason ?? '',
    [r.clientIp, r.userAgent].filter(Boolean).join(' · '),
  ];
  return (
    <div className="flex flex-col gap-4">
      <h2 className="text-lg font-bold">{a.title}</h2>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {a.from}
          <Input
            type="date"
            value={from}
            max={to}
            onChange={(e) => e.target.value && setFrom(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {a.to}
          <Input
            type="date"
            value={to}
            min={from}
            onChange={(e) => e.target.value && setTo(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {a.kind}
          <Select
            value={kind}
            onChange={(e) => setKind(e.target.value as AuditKind | '')}
            data-testid="audit-kind"
          >
            <option value="">{a.anyKind}</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {a.kinds[k]}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {a.staff}
          <Select value={actorId} onChange={(e) => setActorId(e.target.value)} data-testid="audit-staff">
            <option value="">{a.anyStaff}</option>
            {distinct(
              rows,
              (r) => r.actorId,
              (r) => r.actorName,
            ).map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {a.patient}
          <Select
            value={patientId}
            onChange={(e) => setPatientId(e.target.value)}
            data-testid="audit-patient"
          >
            <option value="">{a.anyPatient}</option>
            {distinct(
              rows,
              (r) => r.patientId,
              (r) => r.patientName,
            ).map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </Select>
        </label>
        <Button
          size="sm"
          variant="secondary"
          disabled={rows.length === 0}
          onClick={() => download(`queuemed-audit-${from}_${to}.csv`, toCsv(header, rows.map(cells)))}
          data-testid="audit-csv"
        >
          {s.download}
        </Button>
      </div>
      {log.error ? (
        <p role="alert" className="rounded-xl bg-warn-50 p-3 text-warn-700">
          {errorText(log.error.code)}
        </p>
      ) : !log.data ? (
        <LoadingBlock label={s.loading} rows={4} />
      ) : rows.length === 0 ? (
        <EmptyState icon="🔎" title={a.none} />
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm" data-testid="audit-table">
            <caption className="sr-only">{a.title}</caption>
            <thead>
              <tr>
                {header.map((h) => (
                  <th
                    key={h}
                    scope="col"
                    className="border-b border-line px-2 py-1.5 text-start font-semibold"
                  >
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="odd:bg-slate-50">
                  {cells(r).map((c, i) => (
                    <td key={i} className="px-2 py-1.5" dir="auto">
                      {c}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
