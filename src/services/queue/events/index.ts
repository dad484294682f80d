// Typed queue domain events, one file each. `QueueDomainEvent` is the union the aggregate records.
import type { DayEndedEvent } from './DayEndedEvent';
import type { EmergencyInsertedEvent } from './EmergencyInsertedEvent';
import type { EntryCancelledEvent } from './EntryCancelledEvent';
import type { EntryMovedEvent } from './EntryMovedEvent';
import type { EntryScheduledEvent } from './EntryScheduledEvent';
import type { GraceExpiredEvent } from './GraceExpiredEvent';
import type { LatePatientHeldEvent } from './LatePatientHeldEvent';
import type { NoShowReactivatedEvent } from './NoShowReactivatedEvent';
import type { PatientCalledEvent } from './PatientCalledEvent';
import type { PatientCheckedInEvent } from './PatientCheckedInEvent';
import type { PatientMarkedAbsentEvent } from './PatientMarkedAbsentEvent';
import type { PatientOvertakenEvent } from './PatientOvertakenEvent';
import type { PatientPassedOverEvent } from './PatientPassedOverEvent';
import type { PatientReturnedEvent } from './PatientReturnedEvent';
import type { PatientRunningLateEvent } from './PatientRunningLateEvent';
import type { PriorityChangedEvent } from './PriorityChangedEvent';
import type { ServiceFinishedEvent } from './ServiceFinishedEvent';
import type { ServiceStartedEvent } from './ServiceStartedEvent';
import type { StepUndoneEvent } from './StepUndoneEvent';
import type { WalkInAddedEvent } from './WalkInAddedEvent';

export type { QueueEventBase } from './QueueEventBase';
export type { DayEndedEvent, DayEndedPayload } from './DayEndedEvent';
export type { EmergencyInsertedEvent, EmergencyInsertedPayload } from './EmergencyInsertedEvent';
export type { EntryCancelledEvent, EntryCancelledPayload } from './EntryCancelledEvent';
export type { EntryMovedEvent, EntryMovedPayload } from './EntryMovedEvent';
export type { EntryScheduledEvent, EntryScheduledPayload } from './EntryScheduledEvent';
export type { GraceExpiredEvent, GraceExpiredPayload } from './GraceExpiredEvent';
export type { LatePatientHeldEvent, LatePatientHeldPayload } from './LatePatientHeldEvent';
export type { NoShowReactivatedEvent, NoShowReactivatedPayload } from './NoShowReactivatedEvent';
export type { PatientCalledEvent, PatientCalledPayload } from './PatientCalledEvent';
export type { PatientCheckedInEvent, PatientCheckedInPayload } from './PatientCheckedInEvent';
export type { PatientMarkedAbsentEvent, PatientMarkedAbsentPayload } from './PatientMarkedAbsentEvent';
export type { PatientOvertakenEvent, PatientOvertakenPayload } from './PatientOvertakenEvent';
export type { PatientPassedOverEvent, PatientPassedOverPayload } from './PatientPassedOverEvent';
export type { PatientReturnedEvent, PatientReturnedPayload } from './PatientReturnedEvent';
export type { PatientRunningLateEvent, PatientRunningLatePayload } from './PatientRunningLateEvent';
export type { PriorityChangedEvent, PriorityChangedPayload } from './PriorityChangedEvent';
export type { ServiceFinishedEvent, ServiceFinishedPayload } from './ServiceFinishedEvent';
export type { ServiceStartedEvent, ServiceStartedPayload } from './ServiceStartedEvent';
export type { StepUndoneEvent, StepUndonePayload } from './StepUndoneEvent';
export type { WalkInAddedEvent, WalkInAddedPayload } from './WalkInAddedEvent';
export { RUNNING_LATE_SOURCES, type RunningLateSource } from './PatientRunningLateEvent';

export type QueueDomainEvent =
  | DayEndedEvent
  | EmergencyInsertedEvent
  | EntryCancelledEvent
  | EntryMovedEvent
  | EntryScheduledEvent
  | GraceExpiredEvent
  | LatePatientHeldEvent
  | NoShowReactivatedEvent
  | PatientCalledEvent
  | PatientCheckedInEvent
  | PatientMarkedAbsentEvent
  | PatientOvertakenEvent
  | PatientPassedOverEvent
  | PatientReturnedEvent
  | PatientRunningLateEvent
  | PriorityChangedEvent
  | ServiceFinishedEvent
  | ServiceStartedEvent
  | StepUndoneEvent
  | WalkInAddedEvent;

export type QueueEventType = QueueDomainEvent['type'];

/** Every event type, for exhaustive checks (event log schema, notification routing). */
export const QUEUE_EVENT_TYPES = [
  'DayEnded',
  'EmergencyInserted',
  'EntryCancelled',
  'EntryMoved',
  'EntryScheduled',
  'GraceExpired',
  'LatePatientHeld',
  'NoShowReactivated',
  'PatientCalled',
  'PatientCheckedIn',
  'PatientMarkedAbsent',
  'PatientOvertaken',
  'PatientPassedOver',
  'PatientReturned',
  'PatientRunningLate',
  'PriorityChanged',
  'ServiceFinished',
  'ServiceStarted',
  'StepUndone',
  'WalkInAdded',
] as const satisfies readonly QueueEventType[];

/**
 * Control events: the queue's desks and intake (set_desk_paused, set_queue_intake), written only by the
 * database's pause RPCs — never by a step, so not in QUEUE_EVENT_TYPES (what verify_step accepts from a
 * browser). Their payloads are in the same SQL schema (private.queue_event_payload_schema); the database
 * lists them in private.queue_control_event_types() (supabase/tests/dbEvents.test.ts keeps both equal).
 */
export const QUEUE_CONTROL_EVENT_TYPES = [
  'DeskPaused',
  'DeskResumed',
  'IntakeClosed',
  'IntakeReopened',
  // the patient took back "I'm running late" (withdraw_running_late) — the database's own, never a step
  'PatientRunningLateWithdrawn',
] as const;
export type QueueControlEventType = (typeof QUEUE_CONTROL_EVENT_TYPES)[number];

/** The event of a given type (narrowing helper for listeners). */
export type QueueEventOf<T extends QueueEventType> = Extract<QueueDomainEvent, { type: T }>;

/** Compile-time proof that QUEUE_EVENT_TYPES lists every event type. */
type MissingEventType = Exclude<QueueEventType, (typeof QUEUE_EVENT_TYPES)[number]>;
export const QUEUE_EVENT_TYPES_ARE_EXHAUSTIVE: [MissingEventType] extends [never] ? true : never = true;
