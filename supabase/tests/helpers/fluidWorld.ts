/**
 * The fluid-visit fixture the fluid tests share (fluidBooking, staffFluidBooking, fluidReschedule,
 * fluidReminders; issue 17, docs/fluid-queues.md): the clinic's day n as SQL, and a visit type's booking mode
 * (and duration) set inside the case's rolled-back transaction.
 */
import type { DbTx } from '../../local/db/types';

/** SQL for clinic A's day `n` days after today by the database clock (private.now(), pinned in these tests). */
export const fluidDay = (n: number): string => `(private.clinic_today('Africa/Casablanca') + ${n})`;

/** Sets a visit type's own booking mode (null: the clinic's) and, if given, its duration in minutes. */
export const setTypeMode = (
  tx: DbTx,
  typeId: string,
  mode: 'slotted' | 'fluid' | null,
  minutes?: number,
): Promise<unknown> =>
  tx.query(
    `update public.appointment_types set booking_mode = $2,
            duration_minutes = coalesce($3::int, duration_minutes) where id = $1`,
    [typeId, mode, minutes ?? null],
  );
