/**
 * The test world: two clinics (A and B) with staff, patients, today's and tomorrow's queues, an event,
 * an invitation, templates, a notification and a budget. Created as the superuser (bypassing RLS).
 * Fixed ids keep failures readable.
 */
import type { Db } from '../../local/db/types';
import type { Actor } from './sql';

export const U = {
  ownerA: 'a0000000-0000-4000-8000-000000000001',
  recepA: 'a0000000-0000-4000-8000-000000000002',
  practA: 'a0000000-0000-4000-8000-000000000003',
  coOwnerA: 'a0000000-0000-4000-8000-000000000004',
  ownerB: 'b0000000-0000-4000-8000-000000000001',
  patientA: 'c0000000-0000-4000-8000-000000000001',
  patientB: 'c0000000-0000-4000-8000-000000000002',
} as const;

export const ID = {
  clinicA: 'aaaaaaaa-0000-4000-8000-000000000000',
  clinicB: 'bbbbbbbb-0000-4000-8000-000000000000',
  memberOwnerA: 'a1000000-0000-4000-8000-000000000001',
  memberRecepA: 'a1000000-0000-4000-8000-000000000002',
  memberPractA: 'a1000000-0000-4000-8000-000000000003',
  memberCoOwnerA: 'a1000000-0000-4000-8000-000000000004',
  memberOwnerB: 'b1000000-0000-4000-8000-000000000001',
  typeA: 'a2000000-0000-4000-8000-000000000001',
  typeA2: 'a2000000-0000-4000-8000-000000000002',
  typeB: 'b2000000-0000-4000-8000-000000000001',
  patientRecA: 'a3000000-0000-4000-8000-000000000001', // patient A's record in clinic A
  patientRecB: 'a3000000-0000-4000-8000-000000000002', // patient B's record in clinic A
  walkInA: 'a3000000-0000-4000-8000-000000000003', // walk-in without account in clinic A
  walkInB: 'b3000000-0000-4000-8000-000000000001', // walk-in in clinic B with patient A's phone
  queueA: 'a4000000-0000-4000-8000-000000000001', // clinic A, today
  queueA1: 'a4000000-0000-4000-8000-000000000002', // clinic A, tomorrow
  queueB: 'b4000000-0000-4000-8000-000000000001', // clinic B, today
  entryA: 'a5000000-0000-4000-8000-000000000001', // patient A, today, scheduled
  entryB: 'a5000000-0000-4000-8000-000000000002', // patient B, today, waiting
  entryA1: 'a5000000-0000-4000-8000-000000000003', // patient A, tomorrow 11:00, scheduled
  entryBclinicB: 'b5000000-0000-4000-8000-000000000001',
  invitationA: 'a6000000-0000-4000-8000-000000000001',
  templateA: 'a7000000-0000-4000-8000-000000000001',
  notificationA: 'a8000000-0000-4000-8000-000000000001',
} as const;

export const TOKENS = {
  trackingA: 'tracking-token-of-entry-a-0123456789abcdef',
  invitationA: 'invitation-token-a-0123456789abcdef',
} as const;

export const PHONES = { patientA: '+212600000001', patientB: '+212600000002' } as const;

export const ACTORS = {
  anon: { name: 'anon', role: 'anon' },
  // the JWT carries the account's email and phone digits, as GoTrue's does
  patientA: {
    name: 'patientA',
    role: 'authenticated',
    sub: U.patientA,
    email: 'patient.a@test.ma',
    phone: PHONES.patientA.slice(1),
  },
  patientB: {
    name: 'patientB',
    role: 'authenticated',
    sub: U.patientB,
    email: 'patient.b@test.ma',
    phone: PHONES.patientB.slice(1),
  },
  recepA: { name: 'recepA', role: 'authenticated', sub: U.recepA },
  practA: { name: 'practA', role: 'authenticated', sub: U.practA },
  ownerA: { name: 'ownerA', role: 'authenticated', sub: U.ownerA },
  ownerB: { name: 'ownerB', role: 'authenticated', sub: U.ownerB },
  service: { name: 'service', role: 'service_role' },
} as const satisfies Record<string, Actor>;

export type ActorName = keyof typeof ACTORS;
export const ACTOR_NAMES = Object.keys(ACTORS) as ActorName[];

/** A local-time instant of clinic A (Africa/Casablanca), `days` after today, as SQL. */
export const localAt = (days: number, hhmm: string) =>
  `((private.clinic_today('Africa/Casablanca') + ${days}) + time '${hhmm}') at time zone 'Africa/Casablanca'`;

export const createWorld = async (db: Db): Promise<void> => {
  await db.exec(`
    insert into auth.users (id, aud, role, email, email_confirmed_at, phone, phone_confirmed_at,
                            encrypted_password, raw_user_meta_data, created_at, updated_at) values
      ('${U.ownerA}', 'authenticated', 'authenticated', 'owner.a@test.ma', now(), null, null, 'x', '{"full_name":"Owner A"}', now(), now()),
      ('${U.recepA}', 'authenticated', 'authenticated', 'recep.a@test.ma', now(), null, null, 'x', '{}', now(), now()),
      ('${U.practA}', 'authenticated', 'authenticated', 'pract.a@test.ma', now(), null, null, 'x', '{}', now(), now()),
      ('${U.ownerB}', 'authenticated', 'authenticated', 'owner.b@test.ma', now(), null, null, 'x', '{}', now(), now()),
      ('${U.coOwnerA}', 'authenticated', 'authenticated', 'coowner.a@test.ma', now(), null, null, 'x', '{}', now(), now()),
      ('${U.patientA}', 'authenticated', 'authenticated', 'patient.a@test.ma', now(), '${PHONES.patientA.slice(1)}', now(), 'x', '{"full_name":"Amina Patient"}', now(), now()),
      ('${U.patientB}', 'authenticated', 'authenticated', 'patient.b@test.ma', now(), '${PHONES.patientB.slice(1)}', now(), 'x', '{"full_name":"Bruno Patient"}', now(), now());

    insert into public.clinics (id, slug, name) values
      ('${ID.clinicA}', 'clinic-a', 'Clinique A'),
      ('${ID.clinicB}', 'clinic-b', 'Clinique B');

    insert into public.clinic_members (id, clinic_id, user_id, role, display_name, room) values
      ('${ID.memberOwnerA}', '${ID.clinicA}', '${U.ownerA}', 'owner', 'Dr Owner A', '1'),
      ('${ID.memberRecepA}', '${ID.clinicA}', '${U.recepA}', 'receptionist', 'Recep A', null),
      ('${ID.memberPractA}', '${ID.clinicA}', '${U.practA}', 'practitioner', 'Dr Pract A', '2'),
      ('${ID.memberCoOwnerA}', '${ID.clinicA}', '${U.coOwnerA}', 'owner', 'Dr Co-owner A', null),
      ('${ID.memberOwnerB}', '${ID.clinicB}', '${U.ownerB}', 'owner', 'Dr Owner B', '1');

    insert into public.appointment_types (id, clinic_id, name, duration_minutes) values
      ('${ID.typeA}', '${ID.clinicA}', 'Consultation', 15),
      ('${ID.typeA2}', '${ID.clinicA}', 'Suivi', 30),
      ('${ID.typeB}', '${ID.clinicB}', 'Consultation', 15);

    insert into public.working_hours (clinic_id, weekday, starts_at, ends_at)
    select c, d, '00:00', '23:00'
    from unnest(array['${ID.clinicA}'::uuid, '${ID.clinicB}'::uuid]) c, generate_series(0, 6) d;

    insert into public.closed_dates (clinic_id, day, reason) values
      ('${ID.clinicA}', private.clinic_today('Africa/Casablanca') + 200, 'Aid');

    insert into public.patients (id, clinic_id, user_id, full_name, phone) values
      ('${ID.patientRecA}', '${ID.clinicA}', '${U.patientA}', 'Amina Patient', '${PHONES.patientA}'),
      ('${ID.patientRecB}', '${ID.clinicA}', '${U.patientB}', 'Bruno Patient', '${PHONES.patientB}'),
      ('${ID.walkInA}', '${ID.clinicA}', null, 'Walk In', '+212600000099'),
      ('${ID.walkInB}', '${ID.clinicB}', null, 'Amina Walk-in', '${PHONES.patientA}');

    insert into public.queues (id, clinic_id, day, next_ticket) values
      ('${ID.queueA}', '${ID.clinicA}', private.clinic_today('Africa/Casablanca'), 3),
      ('${ID.queueA1}', '${ID.clinicA}', private.clinic_today('Africa/Casablanca') + 1, 2),
      ('${ID.queueB}', '${ID.clinicB}', private.clinic_today('Africa/Casablanca'), 2);

    insert into public.queue_entries (id, queue_id, clinic_id, patient_id, kind, status, ticket_number,
                                      order_key, slot_start, slot_end, tracking_token_hash) values
      ('${ID.entryA}', '${ID.queueA}', '${ID.clinicA}', '${ID.patientRecA}', 'booked', 'scheduled', 1,
        extract(epoch from ${localAt(0, '00:00')}), ${localAt(0, '00:00')}, ${localAt(0, '00:15')},
        private.hash_token('${TOKENS.trackingA}')),
      ('${ID.entryB}', '${ID.queueA}', '${ID.clinicA}', '${ID.patientRecB}', 'walk_in', 'waiting', 2,
        extract(epoch from ${localAt(0, '00:00')}), null, null, null),
      ('${ID.entryA1}', '${ID.queueA1}', '${ID.clinicA}', '${ID.patientRecA}', 'booked', 'scheduled', 1,
        extract(epoch from ${localAt(1, '11:00')}), ${localAt(1, '11:00')}, ${localAt(1, '11:15')}, null),
      ('${ID.entryBclinicB}', '${ID.queueB}', '${ID.clinicB}', '${ID.walkInB}', 'walk_in', 'waiting', 1,
        extract(epoch from ${localAt(0, '00:00')}), null, null, null);

    insert into public.queue_events (queue_id, clinic_id, entry_id, type, payload)
    values ('${ID.queueA}', '${ID.clinicA}', '${ID.entryB}', 'PatientCheckedIn', '{}');

    insert into public.staff_invitations (id, clinic_id, role, email, display_name, token_hash, invited_by)
    values ('${ID.invitationA}', '${ID.clinicA}', 'receptionist', 'patient.b@test.ma', 'New Recep',
            private.hash_token('${TOKENS.invitationA}'), '${U.ownerA}');

    insert into public.notification_templates (id, clinic_id, kind, language, body)
    values ('${ID.templateA}', '${ID.clinicA}', 'your_turn', 'fr', 'Ticket {ticket}, salle {room}');

    insert into public.sms_budgets (clinic_id, month, limit_count, limit_amount, reserved_count, reserved_amount)
    values ('${ID.clinicA}', private.budget_month('${ID.clinicA}'), 100, 50, 1, 0.5);

    insert into public.notifications (id, clinic_id, entry_id, kind, idempotency_key, status, reserved,
                                      reserved_cost, segments, budget_month)
    values ('${ID.notificationA}', '${ID.clinicA}', '${ID.entryB}', 'your_turn', 'fixture-key', 'queued', true,
            0.5, 1, private.budget_month('${ID.clinicA}'));
  `);
};

/**
 * Pins the database's clock (private.now()) at the moment the world wrote its queued fixture message, so a
 * count of "messages older than N seconds" does not depend on how long the suite has run since (rolled back
 * with the call).
 */
export const PIN_AT_FIXTURE_MESSAGE = `insert into private.pinned_clock (id, at)
  select true, updated_at from public.notifications where id = '${ID.notificationA}'
  on conflict (id) do update set at = excluded.at`;
