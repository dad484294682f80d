/**
 * Well-formed client events for tests that call save_queue_step directly: each type with the payload its
 * schema asks for (private.queue_event_payload_schema — the fields of src/services/queue/events/*Event.ts).
 * `payload` overrides or adds fields. The values are placeholders: verify_step checks keys and JSON types,
 * the row changes and the clock, not the ticket text.
 */
export const EVENT_PAYLOADS: Record<string, Record<string, unknown>> = {
  DayEnded: { summary: {}, automatic: false, completedEntryIds: [], noShowEntryIds: [] },
  EmergencyInserted: { ticket: 'A-001', practitionerId: null, reason: 'emergency' },
  EntryCancelled: { ticket: 'A-001', fromStatus: 'waiting', reason: null },
  EntryMoved: {
    ticket: 'A-001',
    fromPosition: 1,
    toPosition: 2,
    fromPractitionerId: null,
    toPractitionerId: null,
    reason: 'moved',
  },
  EntryScheduled: { ticket: 'A-001', appointmentId: null, slotAt: null, practitionerId: null },
  GraceExpired: { ticket: 'A-001', graceEndsAt: '2026-01-01T00:00:00.000Z' },
  LatePatientHeld: {
    ticket: 'A-001',
    turnCameAt: '2026-01-01T00:00:00.000Z',
    holdUntil: '2026-01-01T00:10:00.000Z',
    calledEntryId: '00000000-0000-4000-8000-000000000000',
  },
  NoShowReactivated: { ticket: 'A-001', freshArrival: true, previousNoShowAt: null, position: 1 },
  PatientCalled: { ticket: 'A-001', room: null, practitionerId: null, outOfOrder: false, reason: null },
  PatientCheckedIn: { ticket: 'A-001', onTime: true, orderKey: 0, position: 1 },
  PatientMarkedAbsent: {
    ticket: 'A-001',
    fromStatus: 'waiting',
    graceMinutes: 10,
    graceEndsAt: '2026-01-01T00:10:00.000Z',
    room: null,
  },
  PatientOvertaken: {
    ticket: 'A-001',
    skipCount: 1,
    overtakenByEntryId: '00000000-0000-4000-8000-000000000000',
    position: 1,
    reason: 'no_starvation',
  },
  PatientPassedOver: {
    ticket: 'A-001',
    skipCount: 1,
    calledEntryId: '00000000-0000-4000-8000-000000000000',
    lateHoldOver: false,
  },
  PatientReturned: { ticket: 'A-001', policy: 'after_next', offset: 1, position: 1 },
  PatientRunningLate: { ticket: 'A-001', source: 'staff' },
  PriorityChanged: { ticket: 'A-001', from: 'normal', to: 'priority', reason: 'pregnant' },
  ServiceFinished: {
    ticket: 'A-001',
    practitionerId: null,
    fromStatus: 'in_service',
    serviceMinutes: null,
    automatic: null,
  },
  ServiceStarted: { ticket: 'A-001', practitionerId: null, room: null },
  StepUndone: {
    ticket: 'A-001',
    undoes: '00000000-0000-4000-8000-000000000000',
    undoneTypes: ['PatientCalled'],
    fromStatus: 'called',
    toStatus: 'waiting',
    reason: 'undo',
  },
  WalkInAdded: { ticket: 'A-001', priority: 'normal', practitionerId: null, position: 1 },
};

export const queueEvent = (type: string, entryId: string | null, payload: Record<string, unknown> = {}) => ({
  type,
  entry_id: entryId,
  payload: { ...(EVENT_PAYLOADS[type] ?? {}), ...payload },
});
