/** Shared types of the dashboard's parts. */
import type { QueueEntryView } from '../../hooks/useQueue';

/** Which dialog the desk has open (one at a time). */
export type DialogState =
  | { kind: 'none' }
  | { kind: 'walkIn' }
  | { kind: 'emergency' }
  | { kind: 'endDay' }
  | { kind: 'callSpecific'; entry: QueueEntryView }
  | { kind: 'absent'; entry: QueueEntryView }
  | { kind: 'cancel'; entry: QueueEntryView }
  | { kind: 'move'; entry: QueueEntryView }
  | { kind: 'transfer'; entry: QueueEntryView }
  | { kind: 'priority'; entry: QueueEntryView }
  | { kind: 'record'; entry: QueueEntryView }
  | { kind: 'notes'; entry: QueueEntryView }
  | { kind: 'help' };
