import type { QueueEventBase } from './QueueEventBase';

/** A patient was called to a room: waiting → called. The board and the "your turn" SMS follow it. */
export interface PatientCalledPayload {
  readonly ticket: string;
  readonly room: string | null;
  /** The practitioner who called (null: a room desk calling the "any" pool). */
  readonly practitionerId: string | null;
  /** True for "call a specific patient"; then `reason` says why. */
  readonly outOfOrder: boolean;
  readonly reason: string | null;
}

export type PatientCalledEvent = QueueEventBase<'PatientCalled', PatientCalledPayload>;
