import type { QueueEventBase } from './QueueEventBase';

/**
 * A desk undid its last step within the undo window (issue 17): the entry is back as it was before that
 * step. One event per entry the undo restores; audited (actorId + reason `undo`).
 */
export interface StepUndonePayload {
  readonly ticket: string;
  /** The correlation id (command id) of the step undone. */
  readonly undoes: string;
  /** The event types the undone step recorded for this entry. */
  readonly undoneTypes: readonly string[];
  readonly fromStatus: string;
  readonly toStatus: string;
  /** Always `undo` (the audit log's reason). */
  readonly reason: string;
}

export type StepUndoneEvent = QueueEventBase<'StepUndone', StepUndonePayload>;
