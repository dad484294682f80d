// @vitest-environment jsdom
// The staff, messaging, visit-type, closed-date and membership hooks on the in-memory composition root:
// optimistic updates roll back on a refusal, refusals carry their code and details, memberships resolve.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import { ManualClock } from '../services/shared/Clock';
import { CASABLANCA_AT_PLUS_ONE } from '../../test/fixtures/zoneRules';
import { ServicesProvider } from './ServicesContext';
import {
  useClinicService,
  useClinicTime,
  useClosedDates,
  useVisitTypes,
  useWorkingHours,
} from './useClinicService';
import { useNotificationService, useTemplates } from './useNotificationService';
import { useMembers, useMembership, useStaffService } from './useStaffService';

afterEach(() => cleanup());

async function world() {
  const made = createInMemoryServices({
    actorId: 'owner',
    clock: new ManualClock('2026-11-24T08:00:00Z'),
    zones: CASABLANCA_AT_PLUS_ONE,
  });
  made.clinicWorld.addUser('owner', { email: 'owner@example.test' });
  const c = await made.services.clinic.createClinic({
    name: 'Cabinet',
    slug: 'cabinet',
    displayName: 'Dr O',
  });
  if (!c.ok) throw new Error(c.error.code);
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>
      <ServicesProvider services={made.services}>{children}</ServicesProvider>
    </QueryClientProvider>
  );
  return { ...made, clinicId: c.value.clinicId, ownerMemberId: c.value.memberId, Wrapper, qc };
}

describe('useMembership / useStaffService', () => {
  it("finds the signed-in user's membership; a team change is saved; a refused one rolls the list back", async () => {
    const w = await world();
    const { result } = renderHook(
      () => ({
        me: useMembership('owner'),
        members: useMembers(w.clinicId),
        staff: useStaffService(w.clinicId),
      }),
      { wrapper: w.Wrapper },
    );
    await waitFor(() => expect(result.current.me.data?.role).toBe('owner'));
    await waitFor(() => expect(result.current.members.data).toHaveLength(1));
    await act(() => result.current.staff.updateTeam.mutateAsync([{ memberId: w.ownerMemberId, room: '3' }]));
    await waitFor(() => expect(result.current.members.data?.[0]?.room).toBe('3'));
    // the last owner cannot stop being one: refused, and the optimistic 'admin' is rolled back
    await act(async () => {
      await result.current.staff.updateTeam
        .mutateAsync([{ memberId: w.ownerMemberId, role: 'admin', room: '9' }])
        .catch(() => undefined);
    });
    await waitFor(() => expect(result.current.staff.updateTeam.error?.code).toBe('MEMBER.LAST_OWNER'));
    await waitFor(() => expect(result.current.members.data?.[0]).toMatchObject({ role: 'owner', room: '3' }));
  });
});

describe('useClinicService: visit types and closed dates', () => {
  it('changes a type length optimistically and rolls back a refused one (with its details)', async () => {
    const w = await world();
    const saved = await w.services.clinic.saveVisitTypes(w.clinicId, [
      { name: 'Consultation', durationMinutes: 15 },
    ]);
    if (!saved.ok) throw new Error(saved.error.code);
    const typeId = saved.value[0] as string;
    const { result } = renderHook(
      () => ({ types: useVisitTypes(w.clinicId), clinic: useClinicService(w.clinicId) }),
      { wrapper: w.Wrapper },
    );
    await waitFor(() => expect(result.current.types.data?.[0]?.durationMinutes).toBe(15));
    await act(() => result.current.clinic.setVisitTypeDuration.mutateAsync({ typeId, durationMinutes: 20 }));
    await waitFor(() => expect(result.current.types.data?.[0]?.durationMinutes).toBe(20));
    await act(async () => {
      await result.current.clinic.setVisitTypeDuration
        .mutateAsync({ typeId, durationMinutes: 2 })
        .catch(() => undefined);
    });
    await waitFor(() =>
      expect(result.current.clinic.setVisitTypeDuration.error?.code).toBe('VALIDATION.FAILED'),
    );
    await waitFor(() => expect(result.current.types.data?.[0]?.durationMinutes).toBe(20));
  });

  it('adds and removes closed dates through one replace each; an impossible day is refused, list unchanged', async () => {
    const w = await world();
    const { result } = renderHook(
      () => ({ closed: useClosedDates(w.clinicId), clinic: useClinicService(w.clinicId) }),
      { wrapper: w.Wrapper },
    );
    await act(() => result.current.clinic.addClosedDate.mutateAsync({ day: '2026-12-25', reason: 'Noël' }));
    await act(() => result.current.clinic.addClosedDate.mutateAsync({ day: '2027-01-01' }));
    await waitFor(() =>
      expect(result.current.closed.data?.map((d) => d.day)).toEqual(['2026-12-25', '2027-01-01']),
    );
    await act(() => result.current.clinic.removeClosedDate.mutateAsync('2026-12-25'));
    await waitFor(() => expect(result.current.closed.data?.map((d) => d.day)).toEqual(['2027-01-01']));
    await act(async () => {
      await result.current.clinic.setClosedDates
        .mutateAsync([{ day: '2027-01-01' }, { day: '2027-02-30' }])
        .catch(() => undefined);
    });
    await waitFor(() =>
      expect(result.current.clinic.setClosedDates.error?.details).toMatchObject({
        index: 1,
        problem: 'format',
      }),
    );
    expect(w.clinicWorld.closed.get(w.clinicId)?.map((d) => d.day)).toEqual(['2027-01-01']);
  });
});

describe('useNotificationService', () => {
  it('saves a template (shown at once); an unknown variable is refused and the shown list rolls back', async () => {
    const w = await world();
    const { result } = renderHook(
      () => ({ templates: useTemplates(w.clinicId), n: useNotificationService(w.clinicId) }),
      { wrapper: w.Wrapper },
    );
    await waitFor(() => expect(result.current.templates.data).toEqual([]));
    await act(() =>
      result.current.n.saveTemplate.mutateAsync({
        kind: 'your_turn',
        language: 'fr',
        body: 'Ticket {ticket}',
      }),
    );
    await waitFor(() =>
      expect(result.current.templates.data?.map((t) => t.body)).toEqual(['Ticket {ticket}']),
    );
    await act(async () => {
      await result.current.n.saveTemplate
        .mutateAsync({ kind: 'your_turn', language: 'fr', body: 'Ticket {nope}' })
        .catch(() => undefined);
    });
    await waitFor(() => expect(result.current.n.saveTemplate.error?.code).toBe('TEMPLATE.UNKNOWN_VARIABLE'));
    await waitFor(() =>
      expect(result.current.templates.data?.map((t) => t.body)).toEqual(['Ticket {ticket}']),
    );
  });
});

describe('useClinicTime / useWorkingHours', () => {
  it("formats clinic times with the clinic clock's offsets and knows the clinic's today; hours saved in one replace are read back", async () => {
    const w = await world();
    const { result } = renderHook(
      () => ({
        time: useClinicTime(w.clinicId, 'en'),
        hours: useWorkingHours(w.clinicId),
        clinic: useClinicService(w.clinicId),
      }),
      { wrapper: w.Wrapper },
    );
    // Casablanca is UTC+1 by the fixture's zone rules (not Node's tz release): 08:30 UTC is 09:30 at the clinic, 23:30 UTC is already the 25th
    await waitFor(() => expect(result.current.time).not.toBeNull());
    expect(result.current.time?.today).toBe('2026-11-24');
    expect(result.current.time?.time('2026-11-24T08:30:00Z')).toBe('09:30');
    expect(result.current.time?.dayOf('2026-11-24T23:30:00Z')).toBe('2026-11-25');

    await waitFor(() => expect(result.current.hours.isSuccess).toBe(true));
    const week = { monday: [{ start: '09:00', end: '13:00' }] };
    await act(() => result.current.clinic.setWorkingHours.mutateAsync(week));
    await waitFor(() => expect(result.current.hours.data?.monday).toEqual(week.monday));
  });
});
