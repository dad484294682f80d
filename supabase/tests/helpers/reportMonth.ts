/** The constructed month of the reports' tests (October 2025 of clinic A, fixed dates). */
import { ID } from './world';

export const Q = {
  mon: 'a4000000-0000-4000-8000-0000000000d1', // 2025-10-06 (Monday)
  tue: 'a4000000-0000-4000-8000-0000000000d2', // 2025-10-07
  tue2: 'a4000000-0000-4000-8000-0000000000d3', // 2025-10-14
  before: 'a4000000-0000-4000-8000-0000000000d4', // 2025-09-30, outside the range
  clinicB: 'b4000000-0000-4000-8000-0000000000d1', // clinic B, 2025-10-06
};
const E = (n: number) => `a5000000-0000-4000-8000-0000000000e${n}`;
const at = (day: string, hhmm: string) => `(timestamp '${day} ${hhmm}' at time zone 'Africa/Casablanca')`;
export const MON = '2025-10-06';
export const TUE = '2025-10-07';
export const TUE2 = '2025-10-14';

/** The constructed month. Waits: e1 10, e2 10 (came early: from its 09:30 slot), e5 30, e6 20 min. */
export const MONTH = `
  insert into public.queues (id, clinic_id, day, next_ticket, status) values
    ('${Q.mon}', '${ID.clinicA}', '${MON}', 5, 'closed'), ('${Q.tue}', '${ID.clinicA}', '${TUE}', 2, 'closed'),
    ('${Q.tue2}', '${ID.clinicA}', '${TUE2}', 2, 'closed'), ('${Q.before}', '${ID.clinicA}', '2025-09-30', 2, 'closed'),
    ('${Q.clinicB}', '${ID.clinicB}', '${MON}', 2, 'closed');
  insert into public.queue_entries (id, queue_id, clinic_id, patient_id, practitioner_id, served_by, appointment_type_id,
      kind, status, ticket_number, order_key, slot_start, slot_end, running_late_at, checked_in_at, called_at,
      started_at, finished_at, no_show_at, cancelled_at) values
    ('${E(1)}', '${Q.mon}', '${ID.clinicA}', '${ID.walkInA}', null, '${ID.memberPractA}', '${ID.typeA}', 'walk_in', 'completed', 1, 1,
      null, null, null, ${at(MON, '09:00')}, ${at(MON, '09:10')}, ${at(MON, '09:11')}, ${at(MON, '09:31')}, null, null),
    ('${E(2)}', '${Q.mon}', '${ID.clinicA}', '${ID.patientRecA}', '${ID.memberPractA}', null, '${ID.typeA}', 'booked', 'completed', 2, 2,
      ${at(MON, '09:30')}, ${at(MON, '09:45')}, null, ${at(MON, '09:20')}, ${at(MON, '09:40')}, ${at(MON, '09:40')}, ${at(MON, '10:10')}, null, null),
    ('${E(3)}', '${Q.mon}', '${ID.clinicA}', '${ID.patientRecB}', null, null, '${ID.typeA2}', 'booked', 'no_show', 3, 3,
      ${at(MON, '10:00')}, ${at(MON, '10:15')}, ${at(MON, '09:50')}, null, null, null, null, ${at(MON, '10:30')}, null),
    ('${E(4)}', '${Q.mon}', '${ID.clinicA}', '${ID.walkInA}', null, null, '${ID.typeA}', 'walk_in', 'cancelled', 4, 4,
      null, null, null, ${at(MON, '10:05')}, null, null, null, null, ${at(MON, '10:20')}),
    ('${E(5)}', '${Q.tue}', '${ID.clinicA}', '${ID.walkInA}', null, '${ID.memberOwnerA}', '${ID.typeA2}', 'walk_in', 'completed', 1, 1,
      null, null, null, ${at(TUE, '15:00')}, ${at(TUE, '15:30')}, ${at(TUE, '15:30')}, ${at(TUE, '15:40')}, null, null),
    ('${E(6)}', '${Q.tue2}', '${ID.clinicA}', '${ID.patientRecA}', '${ID.memberPractA}', '${ID.memberPractA}', '${ID.typeA}', 'booked', 'completed', 1, 1,
      ${at(TUE2, '09:00')}, ${at(TUE2, '09:15')}, ${at(TUE2, '08:55')}, ${at(TUE2, '09:05')}, ${at(TUE2, '09:25')}, ${at(TUE2, '09:25')}, ${at(TUE2, '09:40')}, null, null),
    ('${E(7)}', '${Q.before}', '${ID.clinicA}', '${ID.walkInA}', null, '${ID.memberPractA}', '${ID.typeA}', 'walk_in', 'completed', 1, 1,
      null, null, null, ${at('2025-09-30', '09:00')}, ${at('2025-09-30', '11:00')}, ${at('2025-09-30', '11:00')}, ${at('2025-09-30', '12:00')}, null, null),
    ('b5000000-0000-4000-8000-0000000000e1', '${Q.clinicB}', '${ID.clinicB}', '${ID.walkInB}', null, null, '${ID.typeB}', 'walk_in', 'completed', 1, 1,
      null, null, null, ${at(MON, '09:00')}, ${at(MON, '11:00')}, ${at(MON, '11:00')}, ${at(MON, '12:00')}, null, null);
  insert into public.queue_entry_estimates (entry_id, queue_id, clinic_id, queue_version, minutes, low, high, display_kind, computed_at) values
    ('${E(1)}', '${Q.mon}', '${ID.clinicA}', 1, 8, 5, 12, 'unknown', ${at(MON, '09:00')}),
    ('${E(2)}', '${Q.mon}', '${ID.clinicA}', 2, 30, 25, 35, 'unknown', ${at(MON, '09:20')}),
    ('${E(5)}', '${Q.tue}', '${ID.clinicA}', 1, 30, 20, 40, 'unknown', ${at(TUE, '15:00')});
  insert into public.notifications (clinic_id, kind, channel, idempotency_key, status, segments, cost, created_at) values
    ('${ID.clinicA}', 'your_turn', 'sms', 'r1', 'sent', 1, 0.5, ${at(MON, '10:00')}),
    ('${ID.clinicA}', 'your_turn', 'sms', 'r2', 'delivered', 2, 1.0, ${at(MON, '11:00')}),
    ('${ID.clinicA}', 'your_turn', 'sms', 'r3', 'failed', 1, null, ${at(TUE, '11:00')}),
    ('${ID.clinicA}', 'your_turn', 'sms', 'r4', 'skipped_budget', 1, null, ${at(TUE, '11:00')}),
    ('${ID.clinicA}', 'your_turn', 'sms', 'r5', 'simulated', 1, 0, ${at('2025-10-31', '23:30')}),
    ('${ID.clinicA}', 'your_turn', 'sms', 'r6', 'sent', 1, 0.5, ${at('2025-11-01', '00:30')}),
    ('${ID.clinicA}', 'staff_invitation', 'email', 'r7', 'sent', null, null, ${at(MON, '10:00')}),
    ('${ID.clinicB}', 'your_turn', 'sms', 'r8', 'sent', 1, 0.5, ${at(MON, '10:00')});
`;
