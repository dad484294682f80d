// The BookingRepository contract on the Supabase adapter (booking RPCs on the real migrations, local stack).
// Runs on PGlite and PostgreSQL (PGlite's zone data is replaced by the system's: see pgliteTimeZones.ts).
import { afterAll, beforeAll, describe } from 'vitest';
import { SupabaseBookingRepository } from '../../src/services/appointment/repositories/SupabaseBookingRepository';
import { SupabaseRemoteJoinRepository } from '../../src/services/appointment/repositories/SupabaseRemoteJoinRepository';
import { bookingRepositoryContract } from '../fixtures/contracts/bookingRepositoryContract';
import { startAppStack, type AppStack, type Kind } from './appStack';

// The database's clock is pinned to 10:00 in Casablanca on a fixed day (+01 there in June 2026 by every zone-data
// version, so the test's luxon and the database agree on every slot's instant), and the contract's "today" is that
// day: before, "tomorrow" came from the machine's clock when the cases were collected, so a file collected just
// before midnight in Casablanca booked "tomorrow" on the database's today (issue 14).
const PINNED_AT = '2026-06-10T09:00:00Z';
let patients = 0;

describe.each(['pglite', 'postgres'] as Kind[])('on %s', (kind) => {
  let app: AppStack;
  beforeAll(async () => {
    app = await startAppStack(kind);
    await app.db.query(
      `insert into private.pinned_clock (at) values ($1) on conflict (id) do update set at = excluded.at`,
      [PINNED_AT],
    );
  });
  afterAll(async () => {
    await app?.stop();
  });

  bookingRepositoryContract(
    `Supabase adapter (${kind})`,
    async () => {
      const owner = await app.newClinic('b');
      for (let d = 0; d < 7; d++) {
        await app.db.query(
          `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at) values ($1, $2, '08:00', '20:00')`,
          [owner.clinicId, d],
        );
      }
      const [record] = await app.addPatients(owner.clinicId, ['Walk In']);
      // a patient's own booking needs a confirmed phone (abuse17)
      const p1 = await app.signUp('patient', `+2126170${String(++patients).padStart(5, '0')}`);
      const p2 = await app.signUp('patient', `+2126170${String(++patients).padStart(5, '0')}`);
      return {
        patient: new SupabaseBookingRepository(p1.client),
        otherPatient: new SupabaseBookingRepository(p2.client),
        staff: new SupabaseBookingRepository(owner.client),
        anon: new SupabaseBookingRepository(app.client()),
        clinicId: owner.clinicId,
        recordPatientId: record?.id ?? '',
        remote: {
          patient: new SupabaseRemoteJoinRepository(p1.client),
          otherPatient: new SupabaseRemoteJoinRepository(p2.client),
          anon: new SupabaseRemoteJoinRepository(app.client()),
          staff: new SupabaseRemoteJoinRepository(owner.client),
        },
        setBookingMode: async (mode: 'slotted' | 'fluid') => {
          await app.db.query(
            `update public.clinics set settings = settings || jsonb_build_object('booking_mode', $2::text) where id = $1`,
            [owner.clinicId, mode],
          );
        },
        addVisitType: async (durationMinutes: number, mode: 'slotted' | 'fluid') => {
          const { rows } = await app.db.query<{ id: string }>(
            `insert into public.appointment_types (clinic_id, name, duration_minutes, booking_mode)
           values ($1, 'Type ' || $2::int, $2::int, $3) returning id`,
            [owner.clinicId, durationMinutes, mode],
          );
          return rows[0]!.id;
        },
        setRemoteJoinCap: async (cap: number | null) => {
          await app.db.query(`delete from public.working_hours where clinic_id = $1`, [owner.clinicId]);
          await app.db.query(
            `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
           select $1, d, '00:00', '24:00' from generate_series(0, 6) d`,
            [owner.clinicId],
          );
          await app.db.query('update public.clinics set remote_join_cap = $2 where id = $1', [
            owner.clinicId,
            cap,
          ]);
        },
        addDoctorOnLeave: async (fromDay: string, toDay: string) => {
          const doctor = await app.signUp('doctor');
          const { rows } = await app.db.query<{ id: string }>(
            `insert into public.clinic_members (clinic_id, user_id, role, display_name)
             values ($1, $2, 'practitioner', 'Dr Leave') returning id`,
            [owner.clinicId, doctor.userId],
          );
          const doctorId = rows[0]!.id;
          await app.db.query(
            `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day) values ($1, $2, $3, $4)`,
            [owner.clinicId, doctorId, fromDay, toDay],
          );
          return doctorId;
        },
        offerTypeOnlyBy: async (typeId: string, doctorId: string) => {
          await app.db.query(
            `update public.appointment_types set practitioner_ids = array[$2::uuid] where id = $1`,
            [typeId, doctorId],
          );
        },
      };
    },
    { today: '2026-06-10', now: () => Date.parse(PINNED_AT) },
  );
});
