// @vitest-environment jsdom
// The desk's records hooks (patient search, a patient's record, staff-only visit notes) and the owners' and
// patients' trail hooks (audit log, my record access) on the in-memory composition root: what each asks the
// service, when it asks nothing, and what it shows.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import type { AuditEntry } from '../services/reports/api';
import { ServicesProvider } from './ServicesContext';
import { useAddVisitNote, usePatientSearch, useVisitNotes } from './usePatientRecords';
import { useAuditLog, useMyRecordAccess, usePatientRecord } from './useReports';

afterEach(() => cleanup());

const CLINIC = '00000000-0000-4000-8000-0000000000c1';
const ENTRY = '00000000-0000-4000-8000-0000000000e1';
const AMINA = '00000000-0000-4000-8000-0000000000a1';

function wrapper() {
  const made = createInMemoryServices({ actorId: 'desk' });
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>
      <ServicesProvider services={made.services}>{children}</ServicesProvider>
    </QueryClientProvider>
  );
  return { ...made, Wrapper };
}

describe('usePatientSearch', () => {
  it('asks nothing under 2 characters, then finds by name or phone; another clinic is refused with a code', async () => {
    const w = wrapper();
    w.reportsRepo.patients.set(CLINIC, [
      {
        id: AMINA,
        fullName: 'Amina Alaoui',
        phone: '+212612345678',
        lastDay: '2026-11-20',
        lastTicket: 'A-004',
      },
      { id: 'p2', fullName: 'Youssef Idrissi', phone: null, lastDay: null, lastTicket: null },
    ]);
    const { result, rerender } = renderHook(({ q, c }) => usePatientSearch(c, q), {
      wrapper: w.Wrapper,
      initialProps: { q: 'a', c: CLINIC as string | null },
    });
    expect(result.current.fetchStatus).toBe('idle');
    expect(result.current.data).toBeUndefined();

    rerender({ q: ' amina ', c: CLINIC });
    await waitFor(() => expect(result.current.data?.map((p) => p.id)).toEqual([AMINA]));
    rerender({ q: '0612 3456', c: CLINIC });
    await waitFor(() => expect(result.current.isPlaceholderData).toBe(false));
    expect(result.current.data?.map((p) => p.fullName)).toEqual(['Amina Alaoui']);

    rerender({ q: 'amina', c: '00000000-0000-4000-8000-0000000000c2' });
    await waitFor(() => expect(result.current.error?.code).toBe('AUTH.FORBIDDEN'));
  });
});

describe('useVisitNotes + useAddVisitNote', () => {
  it('reads the notes of the visit, adds one and reads them again; a blank note is refused with a code', async () => {
    const w = wrapper();
    w.reportsRepo.notes.set(ENTRY, []);
    w.reportsRepo.author = { name: 'Desk', role: 'receptionist' };
    const { result } = renderHook(
      () => ({ notes: useVisitNotes(ENTRY), none: useVisitNotes(null), add: useAddVisitNote(ENTRY) }),
      { wrapper: w.Wrapper },
    );
    await waitFor(() => expect(result.current.notes.data).toEqual([]));
    expect(result.current.none.fetchStatus).toBe('idle');

    await act(() => result.current.add.mutateAsync('  Allergic to penicillin  '));
    await waitFor(() =>
      expect(result.current.notes.data?.map((n) => [n.body, n.authorName])).toEqual([
        ['Allergic to penicillin', 'Desk'],
      ]),
    );
    await act(async () => {
      await result.current.add.mutateAsync('   ').catch(() => undefined);
    });
    await waitFor(() => expect(result.current.add.error?.code).toBe('VALIDATION.FAILED'));
    expect(w.reportsRepo.notes.get(ENTRY)).toHaveLength(1);
  });
});

describe('usePatientRecord', () => {
  it('reads a record once per opening (each read is logged) and nothing while no patient is open', async () => {
    const w = wrapper();
    w.reportsRepo.records.set(AMINA, {
      patient: {
        id: AMINA,
        fullName: 'Amina Alaoui',
        phone: null,
        preferredLanguage: 'fr',
        smsOptOut: false,
        email: null,
        emailBouncedAt: null,
      },
      visits: [],
    });
    const { result, rerender } = renderHook(({ id }) => usePatientRecord(id), {
      wrapper: w.Wrapper,
      initialProps: { id: null as string | null },
    });
    expect(result.current.fetchStatus).toBe('idle');
    expect(w.reportsRepo.reads).toEqual([]);
    rerender({ id: AMINA });
    await waitFor(() => expect(result.current.data?.patient.fullName).toBe('Amina Alaoui'));
    rerender({ id: AMINA });
    expect(w.reportsRepo.reads).toEqual([AMINA]);
  });
});

describe('useAuditLog and useMyRecordAccess', () => {
  it("shows the clinic's trail filtered by kind, and the patient's own access list only when asked", async () => {
    const w = wrapper();
    const entry = (id: number, kind: AuditEntry['kind']): AuditEntry => ({
      id,
      kind,
      occurredAt: '2026-11-24T09:00:00Z',
      patientId: AMINA,
      patientName: 'Amina Alaoui',
      actorId: null,
      actorName: 'Dr Alami',
      actorRole: 'practitioner',
      reason: null,
      clientIp: null,
      userAgent: null,
    });
    w.reportsRepo.clinics.set(CLINIC, { audit: [entry(1, 'record_read'), entry(2, 'priority_change')] });
    w.reportsRepo.access = [
      {
        occurredAt: '2026-11-24T09:00:00Z',
        clinicName: 'Atlas',
        actorName: 'Dr Alami',
        actorRole: 'practitioner',
      },
    ];
    const { result, rerender } = renderHook(
      ({ mine }) => ({
        audit: useAuditLog({ clinicId: CLINIC, from: '2026-11-01', to: '2026-11-30', kind: 'record_read' }),
        access: useMyRecordAccess(mine),
      }),
      { wrapper: w.Wrapper, initialProps: { mine: false } },
    );
    await waitFor(() => expect(result.current.audit.data?.map((a) => a.id)).toEqual([1]));
    expect(result.current.access.fetchStatus).toBe('idle');
    rerender({ mine: true });
    await waitFor(() => expect(result.current.access.data?.map((a) => a.clinicName)).toEqual(['Atlas']));
  });
});
