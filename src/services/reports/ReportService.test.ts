import { describe, expect, it } from 'vitest';
import { ReportService } from './ReportService';
import { InMemoryReportsRepository } from './repositories/InMemoryReportsRepository';

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

const make = () => {
  const repo = new InMemoryReportsRepository();
  repo.clinics.set('c1', {});
  return { repo, service: new ReportService(repo) };
};

describe('ReportService', () => {
  it('asks the repository for a valid range with its period and breakdown', async () => {
    const { repo, service } = make();
    const r = await service.visits({ clinicId: 'c1', from: '2026-11-01', to: '2026-11-30', period: 'week', by: 'type' });
    expect(r.ok).toBe(true);
    expect(repo.asked).toEqual([
      { report: 'visits', query: { clinicId: 'c1', from: '2026-11-01', to: '2026-11-30', period: 'week', by: 'type' } },
    ]);
  });

  it.each([
    ['reversed', { from: '2026-11-30', to: '2026-11-01' }],
    ['longer than a year', { from: '2025-01-01', to: '2026-01-03' }],
    ['not a calendar day', { from: '2026-02-30', to: '2026-03-01' }],
  ])('refuses a %s range with VALIDATION.FAILED and asks nothing', async (_what, range) => {
    const { repo, service } = make();
    for (const r of [
      await service.visits({ clinicId: 'c1', ...range }),
      await service.busyHours({ clinicId: 'c1', ...range }),
      await service.accuracy({ clinicId: 'c1', ...range }),
      await service.sms({ clinicId: 'c1', ...range }),
    ])
      expect(!r.ok && r.error.code).toBe('VALIDATION.FAILED');
    expect(repo.asked).toEqual([]);
  });

  it('passes on the refusal of a clinic the caller does not own', async () => {
    const { service } = make();
    const r = await service.sms({ clinicId: 'other', from: '2026-11-01', to: '2026-11-30', period: 'day' });
    expect(!r.ok && r.error.code).toBe('AUTH.FORBIDDEN');
  });

  it('reads a patient record by id (the repository logs the read) and refuses a malformed id unasked', async () => {
    const { repo, service } = make();
    const id = 'a3000000-0000-4000-8000-000000000001';
    repo.records.set(id, {
      patient: { id, fullName: 'Amina', phone: null, preferredLanguage: 'fr', smsOptOut: false, email: null, emailBouncedAt: null },
      visits: [],
    });
    const bad = await service.patientRecord('not-an-id');
    expect(bad.ok ? 'ok' : bad.error.code).toBe('VALIDATION.FAILED');
    expect(repo.reads).toEqual([]);
    const r = await service.patientRecord(id);
    expect(r.ok && r.value.patient.fullName).toBe('Amina');
    expect(repo.reads).toEqual([id]);
    repo.access = [{ occurredAt: '2026-11-30T10:00:00.000Z', clinicName: 'Anfa', actorName: 'Nadia', actorRole: 'receptionist' }];
    const mine = await service.myRecordAccess();
    expect(mine.ok && mine.value.map((a) => a.actorName)).toEqual(['Nadia']);
  });

  it('patient search (issue 17): trims the query, refuses under 2 / over 100 characters or a bad limit before asking', async () => {
    const { repo, service } = make();
    repo.patients.set('c1', [
      { id: 'p1', fullName: 'فاطمة الزهراء', phone: '+212611223344', lastDay: '2026-11-30', lastTicket: 'A-004' },
      { id: 'p2', fullName: 'Bruno', phone: null, lastDay: null, lastTicket: null },
    ]);
    const searched: string[] = [];
    const real = repo.searchPatients.bind(repo);
    repo.searchPatients = async (q) => {
      searched.push(`${q.query}|${q.limit}`);
      return real(q);
    };
    for (const input of [
      { clinicId: 'c1', query: ' a ' },
      { clinicId: 'c1', query: 'x'.repeat(101) },
      { clinicId: 'c1', query: 'Bruno', limit: 51 },
      { clinicId: '', query: 'Bruno' },
    ]) {
      const r = await service.searchPatients(input);
      expect(r.ok ? 'ok' : r.error.code).toBe('VALIDATION.FAILED');
    }
    expect(searched).toEqual([]);
    const r = await service.searchPatients({ clinicId: 'c1', query: '  الزهراء ' });
    expect(r.ok && r.value.map((m) => m.id)).toEqual(['p1']);
    expect(searched).toEqual(['الزهراء|20']);
    const other = await service.searchPatients({ clinicId: 'c2', query: 'Bruno' });
    expect(other.ok ? 'ok' : other.error.code).toBe('AUTH.FORBIDDEN');
  });

  it('visit notes (issue 17): 1..1000 characters once trimmed, on a visit id; the repository stamps the author', async () => {
    const { repo, service } = make();
    const entry = '4d1a2b3c-0000-4000-8000-000000000001';
    repo.notes.set(entry, []);
    for (const [id, body] of [
      ['not-an-id', 'note'],
      [entry, '   '],
      [entry, 'x'.repeat(1001)],
    ] as const) {
      const r = await service.addVisitNote(id, body);
      expect(r.ok ? 'ok' : r.error.code).toBe('VALIDATION.FAILED');
    }
    expect(repo.notes.get(entry)).toEqual([]);
    const added = await service.addVisitNote(entry, '  Allergique — حساسية ');
    expect(added.ok && added.value).toMatchObject({ body: 'Allergique — حساسية', authorRole: 'receptionist' });
    expect(await service.addVisitNote(entry, 'x'.repeat(1000))).toMatchObject({ ok: true });
    const list = await service.visitNotes(entry);
    expect(list.ok && list.value.map((n) => n.body.length)).toEqual([19, 1000]);
    const unknown = await service.visitNotes('4d1a2b3c-0000-4000-8000-0000000000ff');
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('NOT_FOUND');
  });

  it('retention: a period outside 30..3650 days (or not whole) is VALIDATION.FAILED and nothing is set', async () => {
    const { repo, service } = make();
    repo.owned.add('c1');
    for (const days of [0, 29, 3651, 90.5])
      expect(code(await service.setRetention('c1', days))).toBe('VALIDATION.FAILED');
    expect(repo.retentionDays.size).toBe(0);
    expect(await service.setRetention('c1', 30)).toEqual({ ok: true, value: 30 });
    expect(await service.retention('c1')).toEqual({ ok: true, value: 30 });
  });

  it('erasure: a bad patient id or an over-long reason is VALIDATION.FAILED and nothing is erased; a blank reason is none', async () => {
    const { repo, service } = make();
    const id = globalThis.crypto.randomUUID();
    repo.owned.add('c1');
    repo.patients.set('c1', [{ id, fullName: 'Amina Benali', phone: null, lastDay: null, lastTicket: null }]);
    expect(code(await service.erasePatient('not-a-uuid'))).toBe('VALIDATION.FAILED');
    expect(code(await service.erasePatient(id, 'x'.repeat(501)))).toBe('VALIDATION.FAILED');
    expect(repo.erased).toEqual([]);
    expect((await service.erasePatient(id, '   ')).ok).toBe(true);
    expect(repo.erased).toEqual([{ patientId: id, reason: null }]);
  });
});
