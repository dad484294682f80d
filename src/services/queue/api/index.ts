// The queue module's public surface for other modules (and its own service / repositories).
export * from './schemas';
export type { QueueDomainEvent, QueueEventType, QueueEventOf, RunningLateSource } from '../events';
export { QUEUE_EVENT_TYPES, RUNNING_LATE_SOURCES } from '../events';
export type * from '../events';
export {
  QueueAggregate,
  countsAsWalkIn,
  type QueueDayCounts,
  type CommandContext,
  type CommandOutcome,
  type CommandResult,
  type QueueSnapshot,
  type QueueState,
  type AddBookedInput,
  type AddWalkInInput,
  type InsertEmergencyInput,
  type EntryInput,
  type CallNextInput,
  type CallSpecificInput,
  type RunningLateInput,
  type CancelInput,
  type MoveInput,
  type TransferInput,
  type SetPriorityInput,
  type EndDayInput,
} from '../models/QueueAggregate';
export {
  ENTRY_STATUSES,
  ENTRY_KINDS,
  PRIORITIES,
  FINAL_STATUSES,
  type QueueEntry,
  type EntryStatus,
  type EntryKind,
  type Priority,
} from '../models/QueueEntry';
export { positions, compareEntries, sortInOrder, poolOf } from '../models/QueueOrder';
export { DEFAULT_TICKET_PREFIX, TicketNumber, renderTicket } from '../models/TicketNumber';
export { GracePeriod } from '../models/GracePeriod';
export { formatWaitForPatient, type WaitDisplay, type WaitEstimate } from '../models/WaitTime';
// The one wait estimator (issue 16): pure, for the API, the CLI and any presentation that needs it.
export {
  estimateClinicDay,
  learnPastProfile,
  accuracyOverview,
  type ClinicDay,
  type EntryWaitEstimate,
  type HistoryVisit,
  type PastProfile,
  type AccuracySummary,
} from '../models/WaitEstimator';
export { QueuePosition } from '../models/QueuePosition';
export type { DaySummary, PractitionerServiceSummary } from '../models/DaySummary';
export { allowedActions, nextToCall, type AllowedActions, type RowAction } from '../models/DeskActions';
export {
  UNDO_WINDOW_SECONDS,
  UNDO_REASON,
  UNDOABLE_ACTIONS,
  undoableStep,
  type UndoableStep,
  type UndoAction,
} from '../models/UndoStep';
