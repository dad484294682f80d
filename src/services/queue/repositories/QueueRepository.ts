/**
 * The queue module's persistence port (ARCHITECTURE.md §1: load → domain → save with the loaded version).
 * Implemented by `InMemoryQueueRepository` (tests, the fake) and `SupabaseQueueRepository` (get_queue /
 * save_queue_step RPCs). Both pass `test/contracts/queueRepositoryContract.ts`.
 */
import type { AppError } from '../../shared/AppError';
import type { Result } from '../../shared/Result';
import type { QueueDomainEvent, QueueEntry, QueueSnapshot, QueueState } from '../api';

export type Language = 'ar' | 'fr' | 'en';

/** What staff screens show beside the queue (no phone numbers here: those stay in the notification module). */
export interface QueueDirectory {
  readonly clinic: {
    readonly id: string;
    readonly name: string;
    readonly slug: string;
    readonly defaultLanguage: Language;
    readonly ticketPrefix: string;
  };
  readonly members: readonly {
    readonly id: string;
    readonly userId: string;
    readonly role: 'owner' | 'admin' | 'practitioner' | 'receptionist';
    readonly displayName: string;
    readonly room: string | null;
    readonly active: boolean;
  }[];
  readonly appointmentTypes: readonly {
    readonly id: string;
    readonly name: string;
    readonly durationMinutes: number;
    readonly active: boolean;
  }[];
}

export interface LoadedQueue {
  readonly snapshot: QueueSnapshot;
  readonly directory: QueueDirectory;
}

/** One saved step: what `QueueAggregate` recorded since it was loaded at `expectedVersion`. */
export interface QueueStep {
  readonly queueId: string;
  readonly expectedVersion: number;
  /** Full state of every changed or new entry (`pendingChanges()`). */
  readonly entries: readonly QueueEntry[];
  /** `pendingEvents()`, stored in the queue's event log in the same transaction. */
  readonly events: readonly QueueDomainEvent[];
  /** Ids among `entries` that were not in the loaded snapshot (inserted rather than updated). */
  readonly newEntryIds: readonly string[];
  /** `pendingQueueState()`: set when the day was ended. */
  readonly queue: QueueState | null;
}

export interface StoredQueueEvent {
  readonly id: number;
  readonly queueId: string;
  readonly entryId: string | null;
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly actorId: string | null;
  readonly correlationId: string | null;
  readonly occurredAt: string;
}

export interface NewWalkInPatient {
  readonly fullName: string;
  /** E.164, already validated by the caller (shared/models/PhoneNumber). */
  readonly phone: string | null;
  readonly language: Language | null;
}

export interface QueueRepository {
  /**
   * The clinic's queue of `day` (YYYY-MM-DD, default: the clinic's today in its time zone), created on
   * first use. Errors: NOT_FOUND (clinic), AUTH.REQUIRED / AUTH.FORBIDDEN (not staff of the clinic).
   */
  load(clinicId: string, day?: string | null): Promise<Result<LoadedQueue, AppError>>;
  /**
   * Saves one step atomically and returns the new version (expectedVersion + 1). A stale
   * `expectedVersion` → QUEUE.VERSION_CONFLICT and nothing is stored; a closed day → QUEUE.CLOSED;
   * a move the status diagram forbids → QUEUE.ILLEGAL_TRANSITION.
   */
  save(step: QueueStep): Promise<Result<{ readonly version: number }, AppError>>;
  /** A clinic patient record for a walk-in (no account needed). */
  createWalkInPatient(
    clinicId: string,
    patient: NewWalkInPatient,
  ): Promise<Result<{ readonly patientId: string }, AppError>>;
  /** The queue's event log (audit trail / outbox), oldest first. */
  events(queueId: string): Promise<Result<readonly StoredQueueEvent[], AppError>>;
}
