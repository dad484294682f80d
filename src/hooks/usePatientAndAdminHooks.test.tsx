// @vitest-environment jsdom
// The public clinic page, kiosk, free-slot, budget, message-log and accept-invitation hooks on the in-memory
// composition root (its public clinic directory reads the same clinic world the admin services edit).
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryServices } from '../services/composition/inMemory';
import type { LoggedMessage } from '../services/notification/repositories/NotificationAdminRepository';
import { ManualClock } from '../services/shared/Clock';
import { CASABLANCA_AT_PLUS_ONE } from '../../test/fixtures/zoneRules';
import { ServicesProvider } from './ServicesContext';
import { useFreeSlots, useMyPatientName, usePublicClinic } from './useBooking';
import { useKioskCheckIn } from './useKiosk';
import { useBudget, useMessageLog } from './useNotificationService';
import { useAcceptInvitation, useMembership } from './useStaffService';

afterEach(() => cleanup());

function wrapper(actorId: string | null, clock = new ManualClock('2026-11-24T08:00:00Z')) {
  const made = createInMemoryServices({ actorId, clock, zones: CASABLANCA_AT_PLUS_ONE });
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>
      <ServicesProvider services={made.services}>{children}</ServicesProvider>
    </QueryClientProvider>
  );
  return { ...made, Wrapper, qc };
}

describe('usePublicClinic', () => {
  it("shows the clinic's public page by slug or id — what its admin set up — and NOT_FOUND for an unknown one", async () => {
    const w = wrapper('owner-1');
    w.clinicWorld.addUser('owner-1');
    const made = await w.services.clinic.createClinic({ name: 'Cabinet Atlas', slug: 'atlas' });
    if (!made.ok) throw new Error(made.error.code);
    const { clinicId } = made.value;
    const hours = await w.services.clinic.setWorkingHours(clinicId, {
      wednesday: [
        { start: '14:00', end: '18:00' },
        { start: '09:00', end: '12:00' },
      ],
    });
    if (!hours.ok) throw new Error(hours.error.code);
    const types = await w.services.clinic.saveVisitTypes(clinicId, [
      { name: 'Consultation', durationMinutes: 20 },
    ]);
    if (!types.ok) throw new Error(types.error.code);

    const { result } = renderHook(
      () => ({
        bySlug: usePublicClinic('atlas'),
        byId: usePublicClinic(clinicId),
        unknown: usePublicClinic('nowhere'),
        none: usePublicClinic(null),
      }),
      { wrapper: w.Wrapper },
    );
    await waitFor(() => expect(result.current.bySlug.isSuccess).toBe(true));
    expect(result.current.bySlug.data).toMatchObject({
      id: clinicId,
      slug: 'atlas',
      name: 'Cabinet Atlas',
      timeZone: 'Africa/Casablanca',
      appointmentTypes: [{ name: 'Consultation', durationMinutes: 20 }],
      workingHours: [
        { weekday: 3, start: '09:00', end: '12:00' },
        { weekday: 3, start: '14:00', end: '18:00' },
      ],
      // DR1: the clinic's owner is its one bookable doctor
      practitioners: [{ displayName: 'Owner' }],
      booking: { horizonDays: 30, minBookingNoticeMinutes: 60, minCancelNoticeMinutes: 120 },
    });
    await waitFor(() => expect(result.current.byId.data).toEqual(result.current.bySlug.data));
    await waitFor(() => expect(result.current.unknown.error?.code).toBe('NOT_FOUND'));
    // no slug yet (My visits before its list loads): nothing is asked
    expect(result.current.none.fetchStatus).toBe('idle');
    expect(result.current.none.data).toBeUndefined();

    // the admin closes Wednesday afternoon: a refetch of the page shows it
    const closed = await w.services.clinic.setWorkingHours(clinicId, {
      wednesday: [{ start: '09:00', end: '12:00' }],
    });
    if (!closed.ok) throw new Error(closed.error.code);
    await act(() => result.current.bySlug.refetch());
    await waitFor(() =>
      expect(result.current.bySlug.data?.workingHours).toEqual([
        { weekday: 3, start: '09:00', end: '12:00' },
      ]),
    );
  });
});

describe('useMyPatientName', () => {
  it("fills the booking form with the patient's name here, else their latest elsewhere; asks nothing when disabled", async () => {
    const w = wrapper('patient-1');
    w.bookingWorld.addClinic({ id: 'c1', hours: {} });
    w.bookingWorld.addClinic({ id: 'c2', hours: {} });
    w.bookingWorld.addClinic({ id: 'c3', hours: {} });
    w.bookingWorld.addPatient('c1', 'p1', 'Amina Alaoui', 'patient-1');
    w.bookingWorld.addPatient('c2', 'p2', 'Amina A.', 'patient-1');
    w.bookingWorld.addPatient('c3', 'p3', 'Someone Else', 'patient-2');
    const { result } = renderHook(
      () => ({
        here: useMyPatientName('c1', true),
        elsewhere: useMyPatientName('c3', true),
        off: useMyPatientName('c1', false),
      }),
      { wrapper: w.Wrapper },
    );
    await waitFor(() => expect(result.current.here.data).toEqual({ fullName: 'Amina Alaoui', known: true }));
    await waitFor(() =>
      expect(result.current.elsewhere.data).toEqual({ fullName: 'Amina A.', known: false }),
    );
    expect(result.current.off.fetchStatus).toBe('idle');
  });
});

describe('useFreeSlots', () => {
  it("returns the clinic's free slots for the chosen visit type, in the clinic's zone, minus a taken slot", async () => {
    // Wednesday 25 Nov 2026, 09:00-10:00 in Casablanca (UTC+1 by the fixture's zone rules), 5 minutes' buffer by default
    const w = wrapper('patient-1');
    w.bookingWorld.addClinic({
      id: 'c1',
      hours: { 3: [{ start: '09:00', end: '10:00' }] },
      appointmentTypes: [
        { id: 't20', durationMinutes: 20 },
        { id: 't30', durationMinutes: 30 },
      ],
    });
    const { result } = renderHook(
      () => ({
        short: useFreeSlots({ clinicId: 'c1', from: '2026-11-25', appointmentTypeId: 't20' }),
        long: useFreeSlots({ clinicId: 'c1', from: '2026-11-25', appointmentTypeId: 't30' }),
      }),
      { wrapper: w.Wrapper },
    );
    await waitFor(() => expect(result.current.short.isSuccess).toBe(true));
    expect(result.current.short.data).toEqual([
      { start: '2026-11-25T08:00:00.000Z', end: '2026-11-25T08:20:00.000Z', remaining: 1 },
      { start: '2026-11-25T08:25:00.000Z', end: '2026-11-25T08:45:00.000Z', remaining: 1 },
    ]);
    await waitFor(() => expect(result.current.long.isSuccess).toBe(true));
    expect(result.current.long.data?.map((s) => s.start)).toEqual(['2026-11-25T08:00:00.000Z']);

    const booked = await w.services.booking.book({
      clinicId: 'c1',
      slotStart: '2026-11-25T08:00:00Z',
      fullName: 'Amina',
      appointmentTypeId: 't20',
    });
    if (!booked.ok) throw new Error(booked.error.code);
    await act(() => result.current.short.refetch());
    await waitFor(() =>
      expect(result.current.short.data?.map((s) => s.start)).toEqual(['2026-11-25T08:25:00.000Z']),
    );
  });

  it('refuses an unknown visit type with a code', async () => {
    const w = wrapper('patient-1');
    w.bookingWorld.addClinic({ id: 'c1', hours: { 3: [{ start: '09:00', end: '10:00' }] } });
    const { result } = renderHook(
      () => useFreeSlots({ clinicId: 'c1', from: '2026-11-25', appointmentTypeId: 'nope' }),
      { wrapper: w.Wrapper },
    );
    await waitFor(() => expect(result.current.error?.code).toBe('NOT_FOUND'));
  });
});

describe('useKioskCheckIn', () => {
  it("kioskNeedsTicketAndPhoneDigits: checks in today's booked visit by its ticket and the phone's last 4 digits (Arabic-Indic too); a phone alone or wrong digits find nothing", async () => {
    // Tuesday 24 Nov 2026, 09:00 at the clinic; a staff member paired the tablet, which then runs on its token
    const w = wrapper('desk');
    w.bookingWorld.addClinic({
      id: 'c1',
      hours: { 2: [{ start: '10:00', end: '12:00' }] },
      staffUserIds: ['desk'],
    });
    w.bookingWorld.addPatient('c1', 'p1', 'Amina', null, '+212612345678');
    w.bookingWorld.addPatient('c1', 'p2', 'Youssef', null, '+212698765432');
    const first = await w.services.booking.staffBook({
      clinicId: 'c1',
      patientId: 'p1',
      slotStart: '2026-11-24T09:00:00Z',
    });
    const second = await w.services.booking.staffBook({
      clinicId: 'c1',
      patientId: 'p2',
      slotStart: '2026-11-24T09:20:00Z',
    });
    const pairing = await w.services.booking.pairKiosk('c1', 'Entrance');
    if (!first.ok || !second.ok || !pairing.ok) throw new Error('setup failed');

    const { result } = renderHook(() => useKioskCheckIn(pairing.value.token), { wrapper: w.Wrapper });
    const wrong = await act(() => result.current.mutateAsync({ ticket: 'A-001', phoneLast4: '5432' }));
    expect(wrong).toEqual({ found: false });
    const right = await act(() => result.current.mutateAsync({ ticket: 'A-001', phoneLast4: '5678' }));
    expect(right).toEqual({
      found: true,
      entryId: first.value.entryId,
      ticket: 'A-001',
      status: 'waiting',
      position: 1,
      // kiosk17f: what its printed ticket shows besides (the clinic's local time by the server's clock)
      issuedAt: '2026-11-24 09:00',
      clinicName: 'Clinic',
      trackingToken: null,
    });
    const arabic = await act(() => result.current.mutateAsync({ ticket: 'a-2', phoneLast4: '٥٤٣٢' }));
    expect(arabic).toMatchObject({ found: true, entryId: second.value.entryId, position: 2 });
    expect(w.bookingWorld.visits.map((v) => v.status)).toEqual(['waiting', 'waiting']);

    // the old kiosk's phone-only check-in is refused as input
    await act(async () => {
      await result.current
        .mutateAsync({ ticket: '+212612345678', phoneLast4: '5678' })
        .catch(() => undefined);
    });
    await waitFor(() => expect(result.current.error?.code).toBe('VALIDATION.FAILED'));
    await act(async () => {
      await result.current.mutateAsync({ ticket: 'A-001', phoneLast4: '' }).catch(() => undefined);
    });
    await waitFor(() => expect(result.current.error?.code).toBe('VALIDATION.FAILED'));
  });
});

async function adminWorld() {
  const made = wrapper('owner');
  made.clinicWorld.addUser('owner', { email: 'owner@example.test' });
  const c = await made.services.clinic.createClinic({
    name: 'Cabinet',
    slug: 'cabinet',
    displayName: 'Dr O',
  });
  if (!c.ok) throw new Error(c.error.code);
  return { ...made, clinicId: c.value.clinicId };
}

const message = (id: string, status: string, createdAt: string): LoggedMessage => ({
  id,
  kind: 'your_turn',
  status,
  language: 'fr',
  body: `Ticket ${id}`,
  segments: 1,
  channel: 'sms',
  skipReason: null,
  createdAt,
});

describe('useBudget / useMessageLog', () => {
  it("reports the month's spend against the limit and lists the logged messages, newest first", async () => {
    const w = await adminWorld();
    w.notificationAdminRepo.limits.set(w.clinicId, { count: 10, amount: null });
    w.notificationAdminRepo.messages.set(w.clinicId, [
      ...Array.from({ length: 8 }, (_, i) => message(`s${i}`, 'sent', `2026-11-2${i % 4}T08:00:00Z`)),
      message('late', 'failed', '2026-11-24T07:00:00Z'),
    ]);
    const { result } = renderHook(() => ({ budget: useBudget(w.clinicId), log: useMessageLog(w.clinicId) }), {
      wrapper: w.Wrapper,
    });
    await waitFor(() => expect(result.current.budget.isSuccess).toBe(true));
    expect(result.current.budget.data).toMatchObject({
      limitCount: 10,
      spentCount: 8,
      usedRatio: 0.8,
      alert: true,
      byStatus: { sent: 8, failed: 1 },
    });
    await waitFor(() => expect(result.current.log.data).toHaveLength(9));
    expect(result.current.log.data?.[0]).toMatchObject({ id: 'late', status: 'failed' });
  });

  it('refuses the budget to someone who is not an admin of the clinic, with a code', async () => {
    const w = await adminWorld();
    const other = wrapper('stranger');
    const { result } = renderHook(() => useBudget(w.clinicId), { wrapper: other.Wrapper });
    await waitFor(() => expect(result.current.error?.code).toBe('AUTH.FORBIDDEN'));
  });
});

describe('useAcceptInvitation', () => {
  it('makes the invited user a member with the invited role; a bad token is refused with a code', async () => {
    const w = wrapper('doc');
    w.clinicWorld.addUser('owner', { email: 'owner@example.test' });
    w.clinicWorld.addUser('doc', { email: 'doc@example.test' });
    const asOwner = w.clinicWorld.as('owner');
    const c = await asOwner.createClinic({ name: 'Cabinet', slug: 'cabinet' });
    if (!c.ok) throw new Error(c.error.code);
    const inv = await asOwner.invite(c.value.clinicId, {
      role: 'practitioner',
      displayName: 'Dr B',
      email: 'doc@example.test',
      phone: null,
      room: '2',
    });
    if (!inv.ok) throw new Error(inv.error.code);

    const { result } = renderHook(() => ({ accept: useAcceptInvitation(), me: useMembership('doc') }), {
      wrapper: w.Wrapper,
    });
    await waitFor(() => expect(result.current.me.isSuccess).toBe(true));
    expect(result.current.me.data).toBeNull();

    await act(async () => {
      await result.current.accept.mutateAsync('not-a-token').catch(() => undefined);
    });
    await waitFor(() => expect(result.current.accept.error?.code).toBe('NOT_FOUND'));

    const accepted = await act(() => result.current.accept.mutateAsync(inv.value.token));
    expect(accepted).toMatchObject({ clinicId: c.value.clinicId, role: 'practitioner' });
    await waitFor(() =>
      expect(result.current.me.data).toMatchObject({
        clinicId: c.value.clinicId,
        role: 'practitioner',
        room: '2',
      }),
    );
  });
});
