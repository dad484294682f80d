/**
 * Shared by the notification outbox tests (bookingConfirmation, reminders, …): the row shape both outboxes
 * (public.notification_outbox, public.reminder_outbox) return, and one pinned-clock world whose cases are
 * each run in a transaction that is always rolled back.
 */
import type { DbTx } from '../../local/db/types';
import { DB_KINDS } from './testDb';
import type { TestDb } from './testDb';
import type { Actor } from './sql';
import { ACTORS, ID, localAt } from './world';
import { as, openPinnedWorld, rolledBack } from './pinnedWorld';

export { DB_KINDS };

/** One message owed, as the outboxes list it (event_id null: owed by the clock, e.g. a reminder). */
export interface OutboxItem {
  event_id: number | null;
  clinic_id: string;
  entry_id: string;
  kind: string;
  idempotency_key: string;
  /** null only on an item listed to record its skip (no phone). */
  phone: string | null;
  language: 'ar' | 'fr' | 'en';
  template: string | null;
  values: Record<string, string | null>;
  tracking_token: string | null;
  /** reminder_outbox: set when the message can't be sent (the sweep records the skip). */
  skip_reason?: 'opted_out' | 'no_phone' | null;
}

export interface OutboxWorld {
  readonly t: TestDb;
  /** Runs fn in one transaction that is always rolled back. */
  rolledBack(fn: (tx: DbTx) => Promise<void>): Promise<void>;
  /** One statement `select … as r` as actor; returns r. */
  as<T>(tx: DbTx, actor: Actor, sql: string, params?: unknown[]): Promise<T>;
  /** patientB books clinic A's type A online (default: tomorrow 10:00 clinic time). */
  bookOnline(tx: DbTx, slot?: string): Promise<{ entry_id: string; tracking_token: string }>;
  stop(): Promise<void>;
}

/** Opens a migrated database with the test world, the clock pinned to today 08:00 in the clinic's zone. */
export const openOutboxWorld = async (kind: (typeof DB_KINDS)[number]): Promise<OutboxWorld> => {
  const t = await openPinnedWorld(kind, '08:00');
  return {
    t,
    as,
    rolledBack: (fn) => rolledBack(t.db, fn),
    bookOnline: (tx, slot = localAt(1, '10:00')) =>
      as<{ entry_id: string; tracking_token: string }>(
        tx,
        ACTORS.patientB,
        `select public.book_appointment(p_clinic_id => '${ID.clinicA}', p_appointment_type_id => '${ID.typeA}',
                                        p_slot_start => ${slot}) as r`,
      ),
    stop: () => t.stop(),
  };
};
