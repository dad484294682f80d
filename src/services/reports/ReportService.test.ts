import { describe, expect, it } from 'vitest';
import { ReportService } from './ReportService';
import { InMemoryReportsRepository } from './repositories/InMemoryReportsRepository';

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
      patient: { id, fullName: 'Amina', phone: null, preferredLanguage: 'fr', smsOptOut: false },
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
});
