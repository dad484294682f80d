/**
 * The RLS matrix: for every table (and every RPC), what each caller may do. Shared by the matrix test
 * (expected == actual on both databases) and the "matrix bites" test (dropping any policy changes at
 * least one case).
 */
import type { Db, DbError, DbTx } from '../../local/db/types';
import { becomeActor, rpcSql } from './sql';
import { ACTORS, ACTOR_NAMES, ID, PIN_AT_FIXTURE_MESSAGE, TOKENS, U, localAt } from './world';
import type { ActorName } from './world';

export type Op = 'select' | 'insert' | 'update' | 'delete';
export const OPS: readonly Op[] = ['select', 'insert', 'update', 'delete'];

interface Probe {
  sql: string;
  params?: unknown[];
  /** Superuser SQL run before switching to the caller (inside the same rolled-back transaction). */
  setup?: string;
}

export interface TableSpec {
  /** Label; `table` is the real table (several labels may probe one table). */
  label: string;
  table: string;
  probes: Record<Op, Probe>;
  /** Callers allowed per op; everyone else must be denied (empty result / 0 rows / 42501). */
  allow: Record<Op, readonly ActorName[]>;
}

const ALL = ACTOR_NAMES;
const STAFF_A: ActorName[] = ['recepA', 'practA', 'ownerA', 'service'];
const ADMIN_A: ActorName[] = ['ownerA', 'service'];
const SERVICE: ActorName[] = ['service'];

const sel = (table: string, where: string, ...params: unknown[]): Probe => ({
  sql: `select count(*)::int as n from public.${table} where ${where}`,
  params,
});
const upd = (table: string, set: string, where: string, ...params: unknown[]): Probe => ({
  sql: `update public.${table} set ${set} where ${where}`,
  params,
});
const del = (table: string, where: string, ...params: unknown[]): Probe => ({
  sql: `delete from public.${table} where ${where}`,
  params,
});

const COMMAND_ROW = `insert into public.queue_commands (queue_id, command_id, version)
  values ('${ID.queueA}', 'c0000000-0000-4000-8000-00000000aaaa', 1)`;

const TURN_RELEASE_ROW = `insert into public.queue_turn_releases (queue_id, clinic_id, releases)
  values ('${ID.queueA}', '${ID.clinicA}', 1)`;

const API_KEY_ID = 'a9000000-0000-4000-8000-000000000001';
const API_KEY_ROW = `insert into public.api_keys (id, clinic_id, name, key_prefix, key_hash, scopes, user_id, member_id)
  values ('${API_KEY_ID}', '${ID.clinicA}', 'matrix', 'qmk_a', repeat('a', 64), '{read}', '${U.recepA}', '${ID.memberRecepA}')`;
const API_WINDOW_ROW = `insert into public.api_key_windows (key_id, window_start, used) values ('${API_KEY_ID}', now(), 1)`;
const IDEM_ROW = `insert into public.api_idempotency (principal, idempotency_key, fingerprint) values ('matrix', 'k', 'f')`;
const ESTIMATE_ROW = `insert into public.queue_entry_estimates (entry_id, queue_id, clinic_id, queue_version, minutes,
  low, high, display_kind) values ('${ID.entryB}', '${ID.queueA}', '${ID.clinicA}', 0, 5, 3, 8, 'soon')`;
const ACCURACY_ROW = `insert into public.clinic_wait_accuracy (clinic_id, day) values ('${ID.clinicA}', current_date)`;

const SHOWN_ROW = `insert into public.shown_wait_estimates (entry_id, queue_id, clinic_id, day, shown_at, slot, minutes,
  display_kind) values ('${ID.entryB}', '${ID.queueA}', '${ID.clinicA}', '2025-10-01', '2025-10-01T08:00:00Z', 1, 5, 'soon')`;

const AUDIT_ROW = `insert into public.audit_log (clinic_id, kind, patient_id, actor_id)
  values ('${ID.clinicA}', 'record_read', '${ID.walkInA}', '${U.recepA}')`;

const NOTE_ROW = `insert into public.visit_notes (clinic_id, entry_id, author_id, body)
  values ('${ID.clinicA}', '${ID.entryA}', '${U.recepA}', 'matrix note')`;

const HOOK_ID = 'a9100000-0000-4000-8000-000000000001';
const HOOK_ROW = `insert into public.webhook_endpoints (id, clinic_id, url, event_types)
  values ('${HOOK_ID}', '${ID.clinicA}', 'https://hooks.example.com/matrix', '{visit.booked}')`;
const HOOK_DELIVERY_ROW = `${HOOK_ROW};
  insert into public.queue_events (id, queue_id, clinic_id, type) overriding system value
    values (900001, '${ID.queueA}', '${ID.clinicA}', 'IntakeClosed');
  insert into public.webhook_deliveries (endpoint_id, clinic_id, event_id, event_type, next_attempt_at)
    values ('${HOOK_ID}', '${ID.clinicA}', 900001, 'visit.booked', now())`;

// kiosk17: a paired kiosk of clinic A, its token known to the matrix
const KIOSK_ID = 'a9300000-0000-4000-8000-000000000001';
const KIOSK_TOKEN = 'matrix-kiosk-token-0123456789abcdef0123456789';
// paired by clinic A's owner: a device key answers only while the member who paired it may still pair (fix20, L2)
const KIOSK_ROW = `insert into public.kiosk_devices (id, clinic_id, label, token_hash, paired_by)
  values ('${KIOSK_ID}', '${ID.clinicA}', 'Matrix kiosk', private.hash_token('${KIOSK_TOKEN}'), '${U.ownerA}')`;

// board18: a paired waiting-room screen of clinic A (a kiosk_devices row of kind 'board'), its key known to the matrix
const BOARD_ID = 'a9300000-0000-4000-8000-000000000002';
const BOARD_KEY = 'matrix-board-key-0123456789abcdef0123456789';
const BOARD_ROW = `insert into public.kiosk_devices (id, clinic_id, kind, label, token_hash, paired_by)
  values ('${BOARD_ID}', '${ID.clinicA}', 'board', 'Matrix board', private.hash_token('${BOARD_KEY}'), '${U.ownerA}')`;
// kiosk17f: a live pairing code of clinic A (MATR-XK22), and the clock at 10:00 of the world's day (opening hours)
const PAIRING_CODE_ROW = `insert into private.kiosk_pairing_codes (clinic_id, label, code_hash, expires_at)
  values ('${ID.clinicA}', 'Matrix code', private.hash_token('MATRXK22'), private.now() + interval '10 minutes')`;
const PIN_WORLD_DAY_10 = `delete from private.pinned_clock;
  insert into private.pinned_clock (at)
    select (day + time '10:00') at time zone 'Africa/Casablanca' from public.queues where id = '${ID.queueA}'`;

// hours19: a leave of Dr Pract A (clinic A), 30 days ahead
const LEAVE_ID = 'a9400000-0000-4000-8000-000000000001';
const LEAVE_ROW = `insert into public.practitioner_leave (id, clinic_id, practitioner_id, from_day, to_day)
  values ('${LEAVE_ID}', '${ID.clinicA}', '${ID.memberPractA}', current_date + 30, current_date + 31)`;

const DOCTOR_HOURS_ROW = `insert into public.practitioner_hours (clinic_id, practitioner_id, weekday, starts_at, ends_at)
  values ('${ID.clinicA}', '${ID.memberPractA}', 1, '09:00', '12:00')`;

const WAIT_ID = 'a6100000-0000-4000-8000-000000000001';
const WAIT_ROW = `insert into public.waitlist_requests (id, clinic_id, entry_id, day)
  values ('${WAIT_ID}', '${ID.clinicA}', '${ID.entryA1}', current_date + 1)`;

const PUSH_ID = 'a9200000-0000-4000-8000-000000000001';
const PUSH_ROW = `insert into public.push_subscriptions (id, clinic_id, entry_id, endpoint, p256dh, auth)
  values ('${PUSH_ID}', '${ID.clinicA}', '${ID.entryA}', 'https://push.example.com/matrix', 'B${'A'.repeat(86)}',
          '${'a'.repeat(22)}')`;

export const TABLES: TableSpec[] = [
  {
    label: 'clinics',
    table: 'clinics',
    probes: {
      select: sel('clinics', 'id = $1', ID.clinicA),
      insert: { sql: `insert into public.clinics (slug, name) values ('matrix-new', 'Matrix')` },
      update: upd('clinics', 'name = name', 'id = $1', ID.clinicA),
      delete: del('clinics', 'id = $1', ID.clinicA),
    },
    allow: { select: ALL, insert: SERVICE, update: ADMIN_A, delete: ADMIN_A },
  },
  {
    // the private columns (20261216100001): no caller but the service role reads settings through the table,
    // not even the clinic's own owner (staff read them through get_clinic_staff_settings); an update or delete
    // that reads the column is refused as well (no read through SET or WHERE)
    label: 'clinics (private columns)',
    table: 'clinics',
    probes: {
      select: sel('clinics', 'id = $1 and settings is not null', ID.clinicA),
      insert: {
        sql: `insert into public.clinics (slug, name, settings) values ('matrix-new', 'Matrix', '{}')`,
      },
      update: upd('clinics', 'settings = settings', 'id = $1', ID.clinicA),
      delete: del('clinics', 'id = $1 and settings is not null', ID.clinicA),
    },
    allow: { select: SERVICE, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'clinic_members',
    table: 'clinic_members',
    probes: {
      select: sel('clinic_members', 'id = $1', ID.memberRecepA),
      insert: {
        sql: `insert into public.clinic_members (clinic_id, user_id, role, display_name)
              values ($1, $2, 'receptionist', 'Sneaky')`,
        params: [ID.clinicA, U.patientB],
      },
      update: upd('clinic_members', 'display_name = display_name', 'id = $1', ID.memberRecepA),
      delete: del('clinic_members', 'id = $1', ID.memberRecepA),
    },
    // removed only through remove_member, which checks the last owner and the member's history (20261219300001)
    allow: { select: STAFF_A, insert: SERVICE, update: ADMIN_A, delete: SERVICE },
  },
  {
    label: 'clinic_members (owner row)',
    table: 'clinic_members',
    probes: {
      select: sel('clinic_members', 'id = $1', ID.memberOwnerA),
      insert: {
        sql: `insert into public.clinic_members (clinic_id, user_id, role, display_name)
              values ($1, $2, 'owner', 'Sneaky owner')`,
        params: [ID.clinicA, U.patientA],
      },
      update: upd('clinic_members', `role = 'receptionist'`, 'id = $1', ID.memberOwnerA),
      delete: del('clinic_members', 'id = $1', ID.memberOwnerA),
    },
    allow: { select: STAFF_A, insert: SERVICE, update: ADMIN_A, delete: SERVICE },
  },
  {
    label: 'profiles',
    table: 'profiles',
    probes: {
      select: sel('profiles', 'id = $1', U.patientA),
      insert: {
        setup: `delete from public.profiles where id = '${U.patientA}'`,
        sql: `insert into public.profiles (id, full_name) values ($1, 'Amina')`,
        params: [U.patientA],
      },
      update: upd('profiles', 'full_name = full_name', 'id = $1', U.patientA),
      delete: del('profiles', 'id = $1', U.patientA),
    },
    allow: {
      select: ['patientA', 'service'],
      insert: ['patientA', 'service'],
      update: ['patientA', 'service'],
      delete: SERVICE,
    },
  },
  {
    label: 'patients',
    table: 'patients',
    probes: {
      select: sel('patients', 'id = $1', ID.patientRecA),
      insert: {
        sql: `insert into public.patients (clinic_id, full_name, phone) values ($1, 'New Walk-in', '+212600000077')`,
        params: [ID.clinicA],
      },
      update: upd('patients', 'full_name = full_name', 'id = $1', ID.patientRecA),
      delete: del('patients', 'id = $1', ID.patientRecA),
    },
    allow: {
      select: ['patientA', ...STAFF_A],
      insert: STAFF_A,
      update: ['patientA', ...STAFF_A],
      delete: ADMIN_A,
    },
  },
  {
    label: 'appointment_types',
    table: 'appointment_types',
    probes: {
      select: sel('appointment_types', 'id = $1', ID.typeA2),
      insert: {
        sql: `insert into public.appointment_types (clinic_id, name, duration_minutes) values ($1, 'Matrix', 20)`,
        params: [ID.clinicA],
      },
      update: upd('appointment_types', 'name = name', 'id = $1', ID.typeA2),
      delete: del('appointment_types', 'id = $1', ID.typeA2),
    },
    allow: { select: ALL, insert: ADMIN_A, update: ADMIN_A, delete: ADMIN_A },
  },
  {
    label: 'working_hours',
    table: 'working_hours',
    probes: {
      select: sel('working_hours', 'clinic_id = $1 and weekday = 1', ID.clinicA),
      insert: {
        sql: `insert into public.working_hours (clinic_id, weekday, starts_at, ends_at) values ($1, 1, '23:10', '23:50')`,
        params: [ID.clinicA],
      },
      update: upd('working_hours', 'ends_at = ends_at', 'clinic_id = $1 and weekday = 1', ID.clinicA),
      delete: del('working_hours', 'clinic_id = $1 and weekday = 1', ID.clinicA),
    },
    allow: { select: ALL, insert: ADMIN_A, update: ADMIN_A, delete: ADMIN_A },
  },
  {
    label: 'closed_dates',
    table: 'closed_dates',
    probes: {
      select: sel('closed_dates', 'clinic_id = $1', ID.clinicA),
      insert: {
        sql: `insert into public.closed_dates (clinic_id, day) values ($1, private.clinic_today('Africa/Casablanca') + 201)`,
        params: [ID.clinicA],
      },
      update: upd('closed_dates', 'reason = reason', 'clinic_id = $1', ID.clinicA),
      delete: del('closed_dates', 'clinic_id = $1', ID.clinicA),
    },
    allow: { select: ALL, insert: ADMIN_A, update: ADMIN_A, delete: ADMIN_A },
  },
  {
    label: 'queues',
    table: 'queues',
    probes: {
      select: { sql: `select count(id)::int as n from public.queues where id = $1`, params: [ID.queueA] },
      insert: {
        sql: `insert into public.queues (clinic_id, day) values ($1, private.clinic_today('Africa/Casablanca') + 300)`,
        params: [ID.clinicA],
      },
      update: upd('queues', 'version = version + 1', 'id = $1', ID.queueA),
      delete: del('queues', 'id = $1', ID.queueA),
    },
    // the version row is public (board, tracker: anon); signed in, the clinic's staff and patients with a visit
    // that day (20261211400001) — another clinic's staff see no row
    allow: { select: ALL.filter((a) => a !== 'ownerB'), insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // who is paused and when intake closed (granted to authenticated for the desks' Realtime, 20261210800002):
    // the clinic's staff and its patients with a visit that day; not another clinic's staff (no row), not anon
    // (no column grant) (issue 12, 20261211400001)
    label: 'queues.paused_practitioner_ids (clinic and its visits)',
    table: 'queues',
    probes: {
      select: {
        sql: `select count(paused_practitioner_ids)::int + count(intake_closed_at)::int as n from public.queues where id = $1`,
        params: [ID.queueA],
        setup: `update public.queues set paused_practitioner_ids = array['${ID.memberPractA}']::uuid[],
                  intake_closed_at = now() where id = '${ID.queueA}'`,
      },
      insert: {
        sql: `insert into public.queues (clinic_id, day, paused_practitioner_ids) values ($1, private.clinic_today('Africa/Casablanca') + 302, '{}')`,
        params: [ID.clinicA],
      },
      update: upd('queues', `paused_practitioner_ids = '{}'`, 'id = $1', ID.queueA),
      delete: del('queues', 'id = $1', ID.queueA),
    },
    allow: {
      select: ['patientA', 'patientB', ...STAFF_A],
      insert: SERVICE,
      update: SERVICE,
      delete: SERVICE,
    },
  },
  {
    // the board pushed with each queue change (20261202400002): public like get_waiting_board, written only
    // by the queue row's trigger
    label: 'waiting_boards',
    table: 'waiting_boards',
    probes: {
      select: sel('waiting_boards', 'queue_id = $1', ID.queueA),
      insert: {
        setup: `delete from public.waiting_boards where queue_id = '${ID.queueA}'`,
        sql: `insert into public.waiting_boards (queue_id, clinic_id, day, version, day_status, now_serving, next, updated_at)
              values ($1, $2, current_date, 0, 'open', '[]', '[]', now())`,
        params: [ID.queueA, ID.clinicA],
      },
      update: upd('waiting_boards', `next = '[]'`, 'queue_id = $1', ID.queueA),
      delete: del('waiting_boards', 'queue_id = $1', ID.queueA),
    },
    allow: { select: ALL, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'queues.summary (staff-only column)',
    table: 'queues',
    probes: {
      select: {
        sql: `select count(summary)::int + count(id)::int as n from public.queues where id = $1`,
        params: [ID.queueA],
      },
      insert: {
        sql: `insert into public.queues (clinic_id, day, summary) values ($1, private.clinic_today('Africa/Casablanca') + 301, '{}')`,
        params: [ID.clinicA],
      },
      update: upd('queues', `summary = '{}'`, 'id = $1', ID.queueA),
      delete: del('queues', 'id = $1', ID.queueA),
    },
    allow: { select: SERVICE, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'queue_entries',
    table: 'queue_entries',
    probes: {
      select: sel('queue_entries', 'id = $1', ID.entryA),
      insert: {
        sql: `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key)
              values ($1, $2, $3, 'walk_in', 'waiting', 99, 1)`,
        params: [ID.queueA, ID.clinicA, ID.walkInA],
      },
      update: upd('queue_entries', 'order_tiebreak = order_tiebreak', 'id = $1', ID.entryA),
      delete: del('queue_entries', 'id = $1', ID.entryA),
    },
    allow: { select: ['patientA', ...STAFF_A], insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // the tracking link's hash (20261208300001): only the database's own functions read it, no caller does —
    // not staff of the clinic, not the visit's patient (column privileges; RLS still picks the rows)
    label: 'queue_entries.tracking_token_hash (no caller column)',
    table: 'queue_entries',
    probes: {
      select: {
        sql: `select count(tracking_token_hash)::int + count(id)::int as n from public.queue_entries where id = $1`,
        params: [ID.entryA],
      },
      insert: {
        sql: `insert into public.queue_entries (queue_id, clinic_id, patient_id, kind, status, ticket_number, order_key,
                tracking_token_hash) values ($1, $2, $3, 'walk_in', 'waiting', 98, 1, '\\x00')`,
        params: [ID.queueA, ID.clinicA, ID.walkInA],
      },
      update: upd('queue_entries', 'tracking_token_hash = tracking_token_hash', 'id = $1', ID.entryA),
      delete: del('queue_entries', 'id = $1', ID.entryA),
    },
    allow: { select: SERVICE, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'queue_events',
    table: 'queue_events',
    probes: {
      select: sel('queue_events', 'queue_id = $1', ID.queueA),
      insert: {
        sql: `insert into public.queue_events (queue_id, clinic_id, type) values ($1, $2, 'Forged')`,
        params: [ID.queueA, ID.clinicA],
      },
      update: upd('queue_events', 'notified_at = now()', 'queue_id = $1', ID.queueA),
      delete: del('queue_events', 'queue_id = $1', ID.queueA),
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // exactly-once command ids: written only inside save_queue_step (security definer), read by get_queue
    label: 'queue_commands',
    table: 'queue_commands',
    probes: {
      select: { ...sel('queue_commands', 'queue_id = $1', ID.queueA), setup: COMMAND_ROW },
      insert: {
        sql: `insert into public.queue_commands (queue_id, command_id, version) values ($1, gen_random_uuid(), 9)`,
        params: [ID.queueA],
      },
      update: {
        ...upd('queue_commands', 'version = version', 'queue_id = $1', ID.queueA),
        setup: COMMAND_ROW,
      },
      delete: { ...del('queue_commands', 'queue_id = $1', ID.queueA), setup: COMMAND_ROW },
    },
    allow: { select: SERVICE, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // issue 12, session 14: a per-day counter written only by release_queue_turn / claim_turn_and_load
    // (security definer); the clinic's staff read it (their version watch hears it over Realtime)
    label: 'queue_turn_releases',
    table: 'queue_turn_releases',
    probes: {
      select: { ...sel('queue_turn_releases', 'queue_id = $1', ID.queueA), setup: TURN_RELEASE_ROW },
      insert: {
        sql: `insert into public.queue_turn_releases (queue_id, clinic_id, releases) values ($1, $2, 1)`,
        params: [ID.queueA, ID.clinicA],
      },
      update: {
        ...upd('queue_turn_releases', 'releases = releases + 1', 'queue_id = $1', ID.queueA),
        setup: TURN_RELEASE_ROW,
      },
      delete: { ...del('queue_turn_releases', 'queue_id = $1', ID.queueA), setup: TURN_RELEASE_ROW },
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // issue 16: written only by store_queue_estimates (security definer), read by the clinic's staff
    label: 'queue_entry_estimates',
    table: 'queue_entry_estimates',
    probes: {
      select: { ...sel('queue_entry_estimates', 'queue_id = $1', ID.queueA), setup: ESTIMATE_ROW },
      insert: {
        sql: `insert into public.queue_entry_estimates (entry_id, queue_id, clinic_id, queue_version, minutes, low, high, display_kind)
              values ($1, $2, $3, 0, 1, 0, 2, 'soon')`,
        params: [ID.entryB, ID.queueA, ID.clinicA],
      },
      update: {
        ...upd('queue_entry_estimates', 'minutes = 1', 'queue_id = $1', ID.queueA),
        setup: ESTIMATE_ROW,
      },
      delete: { ...del('queue_entry_estimates', 'queue_id = $1', ID.queueA), setup: ESTIMATE_ROW },
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'clinic_wait_accuracy',
    table: 'clinic_wait_accuracy',
    probes: {
      select: { ...sel('clinic_wait_accuracy', 'clinic_id = $1', ID.clinicA), setup: ACCURACY_ROW },
      insert: {
        sql: `insert into public.clinic_wait_accuracy (clinic_id, day) values ($1, current_date)`,
        params: [ID.clinicA],
      },
      update: {
        ...upd('clinic_wait_accuracy', 'week_count = 1', 'clinic_id = $1', ID.clinicA),
        setup: ACCURACY_ROW,
      },
      delete: { ...del('clinic_wait_accuracy', 'clinic_id = $1', ID.clinicA), setup: ACCURACY_ROW },
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // issue 16: estimates as the patients saw them, judged the next day (20261205400001_shown_estimates.sql) —
    // written by store_queue_estimates only, read by the clinic's staff
    label: 'shown_wait_estimates',
    table: 'shown_wait_estimates',
    probes: {
      select: { ...sel('shown_wait_estimates', 'clinic_id = $1', ID.clinicA), setup: SHOWN_ROW },
      insert: {
        sql: `insert into public.shown_wait_estimates (entry_id, queue_id, clinic_id, day, shown_at, slot, minutes, display_kind)
              values ($1, $2, $3, '2025-10-01', '2025-10-01T08:05:00Z', 2, 1, 'soon')`,
        params: [ID.entryB, ID.queueA, ID.clinicA],
      },
      update: {
        ...upd('shown_wait_estimates', 'minutes = 1', 'clinic_id = $1', ID.clinicA),
        setup: SHOWN_ROW,
      },
      delete: { ...del('shown_wait_estimates', 'clinic_id = $1', ID.clinicA), setup: SHOWN_ROW },
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // issue 19: the audit trail — written by the queue_events trigger and get_patient_record only, read by
    // the clinic's owners and admins
    label: 'audit_log',
    table: 'audit_log',
    probes: {
      select: { ...sel('audit_log', 'clinic_id = $1', ID.clinicA), setup: AUDIT_ROW },
      insert: {
        sql: `insert into public.audit_log (clinic_id, kind) values ($1, 'record_read')`,
        params: [ID.clinicA],
      },
      update: { ...upd('audit_log', 'reason = null', 'clinic_id = $1', ID.clinicA), setup: AUDIT_ROW },
      delete: { ...del('audit_log', 'clinic_id = $1', ID.clinicA), setup: AUDIT_ROW },
    },
    allow: { select: ADMIN_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // issue 17: staff-only visit notes — read by the clinic's staff only (never a patient, anon or another
    // clinic), written by add_visit_note only, never edited through the API
    label: 'visit_notes',
    table: 'visit_notes',
    probes: {
      select: { ...sel('visit_notes', 'clinic_id = $1', ID.clinicA), setup: NOTE_ROW },
      insert: {
        sql: `insert into public.visit_notes (clinic_id, entry_id, body) values ($1, $2, 'forged')`,
        params: [ID.clinicA, ID.entryA],
      },
      update: { ...upd('visit_notes', "body = 'edited'", 'clinic_id = $1', ID.clinicA), setup: NOTE_ROW },
      delete: { ...del('visit_notes', 'clinic_id = $1', ID.clinicA), setup: NOTE_ROW },
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'kiosk_devices',
    table: 'kiosk_devices',
    probes: {
      select: { ...sel('kiosk_devices', 'clinic_id = $1', ID.clinicA), setup: KIOSK_ROW },
      insert: {
        sql: `insert into public.kiosk_devices (clinic_id, label, token_hash) values ($1, 'forged', '\\x00')`,
        params: [ID.clinicA],
      },
      update: {
        ...upd('kiosk_devices', 'revoked_at = null', 'clinic_id = $1', ID.clinicA),
        setup: KIOSK_ROW,
      },
      delete: { ...del('kiosk_devices', 'clinic_id = $1', ID.clinicA), setup: KIOSK_ROW },
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // hours19: a doctor's leave — the clinic's staff read it, only the set/delete RPCs write it
    label: 'practitioner_leave',
    table: 'practitioner_leave',
    probes: {
      select: { ...sel('practitioner_leave', 'clinic_id = $1', ID.clinicA), setup: LEAVE_ROW },
      insert: {
        sql: `insert into public.practitioner_leave (clinic_id, practitioner_id, from_day, to_day)
          values ($1, $2, current_date + 40, current_date + 41)`,
        params: [ID.clinicA, ID.memberPractA],
      },
      update: {
        ...upd('practitioner_leave', 'reason = reason', 'clinic_id = $1', ID.clinicA),
        setup: LEAVE_ROW,
      },
      delete: { ...del('practitioner_leave', 'clinic_id = $1', ID.clinicA), setup: LEAVE_ROW },
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // hours19: a doctor's own weekly hours — the clinic's staff read them, only set_practitioner_hours writes them
    label: 'practitioner_hours',
    table: 'practitioner_hours',
    probes: {
      select: { ...sel('practitioner_hours', 'clinic_id = $1', ID.clinicA), setup: DOCTOR_HOURS_ROW },
      insert: {
        sql: `insert into public.practitioner_hours (clinic_id, practitioner_id, weekday, starts_at, ends_at)
          values ($1, $2, 2, '09:00', '10:00')`,
        params: [ID.clinicA, ID.memberPractA],
      },
      update: {
        ...upd('practitioner_hours', 'starts_at = starts_at', 'clinic_id = $1', ID.clinicA),
        setup: DOCTOR_HOURS_ROW,
      },
      delete: { ...del('practitioner_hours', 'clinic_id = $1', ID.clinicA), setup: DOCTOR_HOURS_ROW },
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'staff_invitations',
    table: 'staff_invitations',
    probes: {
      select: sel('staff_invitations', 'id = $1', ID.invitationA),
      insert: {
        sql: `insert into public.staff_invitations (clinic_id, role, email, display_name, token_hash)
              values ($1, 'owner', 'me@evil.ma', 'Me', '\\x00')`,
        params: [ID.clinicA],
      },
      update: upd(
        'staff_invitations',
        'expires_at = expires_at + interval $$1 year$$',
        'id = $1',
        ID.invitationA,
      ),
      delete: del('staff_invitations', 'id = $1', ID.invitationA),
    },
    // withdrawn by revoke_staff_invitation, never deleted: the invitation caps count the rows (20261217900001)
    allow: { select: ADMIN_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    // the invitation token's hash (20261208300002): no caller reads it, not even the clinic's owner
    label: 'staff_invitations.token_hash (no caller column)',
    table: 'staff_invitations',
    probes: {
      select: {
        sql: `select count(token_hash)::int + count(id)::int as n from public.staff_invitations where id = $1`,
        params: [ID.invitationA],
      },
      insert: {
        sql: `insert into public.staff_invitations (clinic_id, role, email, display_name, token_hash)
              values ($1, 'receptionist', 'hash@evil.ma', 'Hash', '\\x01')`,
        params: [ID.clinicA],
      },
      update: upd('staff_invitations', 'token_hash = token_hash', 'id = $1', ID.invitationA),
      delete: del('staff_invitations', 'id = $1 and token_hash is not null', ID.invitationA),
    },
    allow: { select: SERVICE, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'notification_templates (clinic)',
    table: 'notification_templates',
    probes: {
      select: sel('notification_templates', 'id = $1', ID.templateA),
      insert: {
        sql: `insert into public.notification_templates (clinic_id, kind, language, body)
              values ($1, 'cancelled', 'fr', 'Annulé {ticket}')`,
        params: [ID.clinicA],
      },
      update: upd('notification_templates', 'body = body', 'id = $1', ID.templateA),
      delete: del('notification_templates', 'id = $1', ID.templateA),
    },
    allow: { select: STAFF_A, insert: ADMIN_A, update: ADMIN_A, delete: ADMIN_A },
  },
  {
    label: 'notification_templates (built-in)',
    table: 'notification_templates',
    probes: {
      select: sel('notification_templates', `clinic_id is null and kind = 'your_turn' and language = 'ar'`),
      insert: {
        sql: `insert into public.notification_templates (clinic_id, kind, language, body)
              values (null, 'cancelled', 'fr', 'x') on conflict do nothing`,
      },
      update: upd(
        'notification_templates',
        'body = body',
        `clinic_id is null and kind = 'your_turn' and language = 'ar'`,
      ),
      delete: del('notification_templates', `clinic_id is null and kind = 'your_turn' and language = 'ar'`),
    },
    allow: { select: ALL, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'notifications',
    table: 'notifications',
    probes: {
      select: sel('notifications', 'id = $1', ID.notificationA),
      insert: {
        sql: `insert into public.notifications (clinic_id, kind, idempotency_key) values ($1, 'your_turn', 'matrix-key')`,
        params: [ID.clinicA],
      },
      update: upd('notifications', `status = 'sent'`, 'id = $1', ID.notificationA),
      delete: del('notifications', 'id = $1', ID.notificationA),
    },
    allow: { select: STAFF_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'sms_budgets',
    table: 'sms_budgets',
    probes: {
      select: sel('sms_budgets', 'clinic_id = $1', ID.clinicA),
      insert: {
        sql: `insert into public.sms_budgets (clinic_id, month, limit_count, limit_amount)
              values ($1, '2031-01-01', 10, 5)`,
        params: [ID.clinicA],
      },
      update: upd('sms_budgets', 'limit_count = limit_count + 1', 'clinic_id = $1', ID.clinicA),
      delete: del('sms_budgets', 'clinic_id = $1', ID.clinicA),
    },
    allow: { select: ADMIN_A, insert: ADMIN_A, update: ADMIN_A, delete: SERVICE },
  },
  {
    label: 'sms_budgets counters (not settable by anyone but the RPCs)',
    table: 'sms_budgets',
    probes: {
      select: sel('sms_budgets', 'clinic_id = $1 and reserved_count >= 0', ID.clinicA),
      insert: {
        sql: `insert into public.sms_budgets (clinic_id, month, limit_count, limit_amount, spent_count)
              values ($1, (private.budget_month($1) + interval '1 month')::date, 10, 5, 0)`,
        params: [ID.clinicA],
      },
      update: upd('sms_budgets', 'reserved_count = 0', 'clinic_id = $1', ID.clinicA),
      delete: del('sms_budgets', 'clinic_id = $1', ID.clinicA),
    },
    allow: { select: ADMIN_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  // API gateway (20261201007001_api_keys_idempotency.sql): no policies at all — only the RPCs and the
  // service role (the gateway) touch keys, rate windows and the idempotency store.
  {
    label: 'api_keys',
    table: 'api_keys',
    probes: {
      select: { ...sel('api_keys', 'id = $1', API_KEY_ID), setup: API_KEY_ROW },
      insert: {
        sql: `insert into public.api_keys (clinic_id, name, key_prefix, key_hash, scopes, user_id, member_id)
              values ($1, 'matrix 2', 'qmk_b', repeat('b', 64), '{read}', $2, $3)`,
        params: [ID.clinicA, U.recepA, ID.memberRecepA],
      },
      update: { ...upd('api_keys', 'revoked_at = null', 'id = $1', API_KEY_ID), setup: API_KEY_ROW },
      delete: { ...del('api_keys', 'id = $1', API_KEY_ID), setup: API_KEY_ROW },
    },
    allow: { select: SERVICE, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'api_key_windows',
    table: 'api_key_windows',
    probes: {
      select: {
        ...sel('api_key_windows', 'key_id = $1', API_KEY_ID),
        setup: `${API_KEY_ROW}; ${API_WINDOW_ROW}`,
      },
      insert: {
        sql: `insert into public.api_key_windows (key_id, window_start, used) values ($1, now(), 1)`,
        params: [API_KEY_ID],
        setup: API_KEY_ROW,
      },
      update: {
        ...upd('api_key_windows', 'used = 0', 'key_id = $1', API_KEY_ID),
        setup: `${API_KEY_ROW}; ${API_WINDOW_ROW}`,
      },
      delete: {
        ...del('api_key_windows', 'key_id = $1', API_KEY_ID),
        setup: `${API_KEY_ROW}; ${API_WINDOW_ROW}`,
      },
    },
    allow: { select: SERVICE, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'api_idempotency',
    table: 'api_idempotency',
    probes: {
      select: { ...sel('api_idempotency', `principal = 'matrix'`), setup: IDEM_ROW },
      insert: {
        sql: `insert into public.api_idempotency (principal, idempotency_key, fingerprint) values ('matrix', 'k2', 'f')`,
        params: [],
      },
      update: { ...upd('api_idempotency', 'status = 200', `principal = 'matrix'`), setup: IDEM_ROW },
      delete: { ...del('api_idempotency', `principal = 'matrix'`), setup: IDEM_ROW },
    },
    allow: { select: SERVICE, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  // Webhooks (20261206700001_webhooks.sql): the clinic's owners/admins read endpoints and the delivery log;
  // every write goes through the RPCs (owners/admins) or the sweep (service role).
  // waitlist (20261207300002): patient A's request for an earlier slot than their booking of tomorrow; the
  // patient and the clinic's staff read it, every write goes through request/withdraw_earlier_slot
  {
    label: 'waitlist_requests',
    table: 'waitlist_requests',
    probes: {
      select: { ...sel('waitlist_requests', 'id = $1', WAIT_ID), setup: WAIT_ROW },
      insert: {
        sql: `insert into public.waitlist_requests (clinic_id, entry_id, day) values ($1, $2, current_date)`,
        params: [ID.clinicA, ID.entryA1],
      },
      update: { ...upd('waitlist_requests', `status = 'expired'`, 'id = $1', WAIT_ID), setup: WAIT_ROW },
      delete: { ...del('waitlist_requests', 'id = $1', WAIT_ID), setup: WAIT_ROW },
    },
    allow: {
      select: ['patientA', 'recepA', 'practA', 'ownerA', 'service'],
      insert: SERVICE,
      update: SERVICE,
      delete: SERVICE,
    },
  },
  {
    // web push (20261210700002): no policy, no grant — only through push_subscribe / the sender's functions
    label: 'push_subscriptions',
    table: 'push_subscriptions',
    probes: {
      select: { ...sel('push_subscriptions', 'id = $1', PUSH_ID), setup: PUSH_ROW },
      insert: {
        sql: `insert into public.push_subscriptions (clinic_id, entry_id, endpoint, p256dh, auth)
              values ($1, $2, 'https://push.example.com/x', 'B${'A'.repeat(86)}', '${'a'.repeat(22)}')`,
        params: [ID.clinicA, ID.entryA],
      },
      update: {
        ...upd('push_subscriptions', `endpoint = 'https://evil.example.com/'`, 'id = $1', PUSH_ID),
        setup: PUSH_ROW,
      },
      delete: { ...del('push_subscriptions', 'id = $1', PUSH_ID), setup: PUSH_ROW },
    },
    allow: { select: SERVICE, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'webhook_endpoints',
    table: 'webhook_endpoints',
    probes: {
      select: { ...sel('webhook_endpoints', 'id = $1', HOOK_ID), setup: HOOK_ROW },
      insert: {
        sql: `insert into public.webhook_endpoints (clinic_id, url, event_types) values ($1, 'https://x.example.com/h', '{day.ended}')`,
        params: [ID.clinicA],
      },
      update: {
        ...upd('webhook_endpoints', `url = 'https://evil.example.com/h'`, 'id = $1', HOOK_ID),
        setup: HOOK_ROW,
      },
      delete: { ...del('webhook_endpoints', 'id = $1', HOOK_ID), setup: HOOK_ROW },
    },
    allow: { select: ADMIN_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
  {
    label: 'webhook_deliveries',
    table: 'webhook_deliveries',
    probes: {
      select: { ...sel('webhook_deliveries', 'endpoint_id = $1', HOOK_ID), setup: HOOK_DELIVERY_ROW },
      insert: {
        sql: `insert into public.webhook_deliveries (endpoint_id, clinic_id, event_id, event_type, next_attempt_at)
              values ($1, $2, 900001, 'visit.booked', now())`,
        params: [HOOK_ID, ID.clinicA],
        setup: `${HOOK_ROW}; insert into public.queue_events (id, queue_id, clinic_id, type) overriding system value
                values (900001, '${ID.queueA}', '${ID.clinicA}', 'IntakeClosed')`,
      },
      update: {
        ...upd('webhook_deliveries', `status = 'delivered'`, 'endpoint_id = $1', HOOK_ID),
        setup: HOOK_DELIVERY_ROW,
      },
      delete: { ...del('webhook_deliveries', 'endpoint_id = $1', HOOK_ID), setup: HOOK_DELIVERY_ROW },
    },
    allow: { select: ADMIN_A, insert: SERVICE, update: SERVICE, delete: SERVICE },
  },
];

/** 'allow' | 'deny:empty' | 'deny:42501' | 'error:<code> <message>' (a broken probe). */
export type CaseOutcome = string;

const classify = (op: Op, r: { rows: Record<string, unknown>[]; affectedRows?: number }): CaseOutcome => {
  if (op === 'select') return Number(r.rows[0]?.n ?? 0) > 0 ? 'allow' : 'deny:empty';
  if (op === 'insert') return 'allow';
  return (r.affectedRows ?? 0) > 0 ? 'allow' : 'deny:empty';
};

const classifyError = (e: unknown): CaseOutcome => {
  const err = e as DbError;
  return err.code === '42501' ? 'deny:42501' : `error:${err.code ?? '?'} ${err.message}`;
};

/** Runs one probe as `actor` inside tx, in a savepoint that is always rolled back. */
export const runProbeInTx = async (
  tx: DbTx,
  probe: Probe,
  op: Op,
  actor: ActorName,
): Promise<CaseOutcome> => {
  await tx.exec('savepoint probe');
  try {
    if (probe.setup !== undefined) await tx.exec(probe.setup);
    await becomeActor(tx, ACTORS[actor]);
    const r = await tx.query(probe.sql, probe.params);
    return classify(op, r);
  } catch (e) {
    return classifyError(e);
  } finally {
    await tx.exec('rollback to savepoint probe');
  }
};

export const expectedOutcome = (spec: TableSpec, op: Op, actor: ActorName): 'allow' | 'deny' =>
  spec.allow[op].includes(actor) ? 'allow' : 'deny';

export const isDeny = (o: CaseOutcome) => o === 'deny:empty' || o === 'deny:42501';

/** All cases of one table spec, in one rolled-back transaction (optionally after `prepare`). */
export const runTableSpec = async (
  db: Db,
  spec: TableSpec,
  prepare?: (tx: DbTx) => Promise<void>,
): Promise<Record<string, CaseOutcome>> => {
  const out: Record<string, CaseOutcome> = {};
  const done = new Error('rollback');
  await db
    .transaction(async (tx) => {
      if (prepare) await prepare(tx);
      for (const op of OPS)
        for (const actor of ACTOR_NAMES)
          out[`${op} ${actor}`] = await runProbeInTx(tx, spec.probes[op], op, actor);
      throw done;
    })
    .catch((e: unknown) => {
      if (e !== done) throw e;
    });
  return out;
};

// ── RPCs ────────────────────────────────────────────────────────────────────────────────────────────
export interface RpcSpec {
  fn: string;
  args: Record<string, unknown>;
  /** Raw SQL argument expressions (e.g. a computed slot time), appended after args. */
  sqlArgs?: Record<string, string>;
  /** Include the returned value in the outcome (for calls that succeed but must do nothing). */
  showResult?: boolean;
  /** Superuser SQL run before switching to the caller (rolled back with the call). */
  setup?: string;
  expect: Record<ActorName, string>;
}

const NO_EXEC = '42501';
const FORBIDDEN = 'PT403 AUTH.FORBIDDEN';
const AUTH_REQUIRED = 'PT401 AUTH.REQUIRED';
const NOT_FOUND = 'PT404 NOT_FOUND';
const PHONE_NOT_CONFIRMED = 'PT403 BOOKING.PHONE_NOT_CONFIRMED';

const each = (def: string, over: Partial<Record<ActorName, string>> = {}): Record<ActorName, string> =>
  Object.fromEntries(ACTOR_NAMES.map((a) => [a, over[a] ?? def])) as Record<ActorName, string>;

const staffOnly = (anon = NO_EXEC) =>
  each(FORBIDDEN, { anon, recepA: 'ok', practA: 'ok', ownerA: 'ok', service: 'ok' });
// the message log's writers (20261216800001, sms17): they take a body, a recipient or a delivery status, so only
// the server (send-sms / send-staff-invitation after checking the caller, the notification sweep) may call them;
// likewise the skip/attempt/bounce recorders and the recipient lookup (20261217300001, secmisc18)
const SENDER_ONLY = (service: string) => each(NO_EXEC, { service });
const adminOnly = () => each(FORBIDDEN, { anon: NO_EXEC, ownerA: 'ok', service: 'ok' });

export const RPCS: RpcSpec[] = [
  { fn: 'get_public_clinic', args: { p_slug: 'clinic-a' }, expect: each('ok') },
  {
    fn: 'get_free_slots',
    args: { p_clinic_id: ID.clinicA },
    sqlArgs: { p_from: `private.clinic_today('Africa/Casablanca') + 2` },
    expect: each('ok'),
  },
  { fn: 'get_waiting_board', args: { p_clinic_id: ID.clinicA }, expect: each('ok') },
  // board18: the board key is no credential for anything but names on its own clinic's board — any role, a forged
  // or another clinic's key still reads the tickets (20261217100001_board_devices.sql)
  {
    fn: 'get_waiting_board',
    args: { p_clinic_id: ID.clinicA, p_board_key: 'z'.repeat(64) },
    expect: each('ok'),
  },
  {
    fn: 'get_waiting_board',
    args: { p_clinic_id: ID.clinicB, p_board_key: BOARD_KEY },
    setup: BOARD_ROW,
    expect: each('ok'),
  },
  { fn: 'get_visit_status', args: { p_tracking_token: TOKENS.trackingA }, expect: each('ok') },
  { fn: 'report_running_late', args: { p_tracking_token: TOKENS.trackingA }, expect: each('ok') },
  {
    fn: 'report_running_late',
    args: { p_entry_id: ID.entryA },
    expect: each('ok', { anon: AUTH_REQUIRED, patientB: NOT_FOUND, ownerB: NOT_FOUND }),
  },
  { fn: 'withdraw_running_late', args: { p_tracking_token: TOKENS.trackingA }, expect: each('ok') },
  {
    fn: 'withdraw_running_late',
    args: { p_entry_id: ID.entryA },
    expect: each('ok', { anon: AUTH_REQUIRED, patientB: NOT_FOUND, ownerB: NOT_FOUND }),
  },
  { fn: 'get_visit_running_late', args: { p_tracking_token: TOKENS.trackingA }, expect: each('ok') },
  { fn: 'get_queue', args: { p_clinic_id: ID.clinicA }, expect: staffOnly() },
  {
    fn: 'save_queue_step',
    args: { p_queue_id: ID.queueA, p_expected_version: 0, p_entries: '[]', p_events: '[]' },
    expect: staffOnly(),
  },
  {
    fn: 'mark_events_notified',
    args: {},
    sqlArgs: { p_event_ids: `array(select id from public.queue_events where queue_id = '${ID.queueA}')` },
    showResult: true,
    // sec19 (review19 M1): the sweep's alone — staff marking a patient's events notified suppressed their SMS
    expect: each(NO_EXEC, { service: 'ok:1' }),
  },
  {
    fn: 'book_appointment',
    args: { p_clinic_id: ID.clinicA, p_appointment_type_id: ID.typeA, p_full_name: 'Salma Bennani' },
    sqlArgs: { p_slot_start: localAt(2, '10:00') },
    // abuse17 P1: a patient's own booking needs a confirmed phone (the world's staff have none)
    expect: each(PHONE_NOT_CONFIRMED, {
      anon: NO_EXEC,
      patientA: 'ok',
      patientB: 'ok',
      service: AUTH_REQUIRED,
    }),
  },
  {
    // issue 17: a place in a fluid type's line (F1); who may call it is book_appointment's rule
    fn: 'book_fluid_place',
    args: { p_clinic_id: ID.clinicA, p_appointment_type_id: ID.typeA, p_full_name: 'Salma Bennani' },
    sqlArgs: { p_day: `private.clinic_today('Africa/Casablanca') + 2` },
    setup: `update public.appointment_types set booking_mode = 'fluid' where id = '${ID.typeA}'`,
    expect: each(PHONE_NOT_CONFIRMED, {
      anon: NO_EXEC,
      patientA: 'ok',
      patientB: 'ok',
      service: AUTH_REQUIRED,
    }),
  },
  {
    fn: 'get_fluid_days',
    args: { p_clinic_id: ID.clinicA, p_appointment_type_id: ID.typeA },
    sqlArgs: { p_from: `private.clinic_today('Africa/Casablanca') + 2` },
    setup: `update public.appointment_types set booking_mode = 'fluid' where id = '${ID.typeA}'`,
    expect: each('ok'),
  },
  {
    fn: 'staff_book_appointment',
    args: { p_clinic_id: ID.clinicA, p_patient_id: ID.walkInA, p_appointment_type_id: ID.typeA },
    sqlArgs: { p_slot_start: localAt(2, '10:20') },
    expect: staffOnly(),
  },
  {
    // issue 17 (session 14): staff take a place in a fluid type's line for a patient; staff_book_appointment's rule
    fn: 'staff_book_fluid_place',
    args: { p_clinic_id: ID.clinicA, p_patient_id: ID.walkInA, p_appointment_type_id: ID.typeA },
    sqlArgs: { p_day: `private.clinic_today('Africa/Casablanca') + 2` },
    setup: `update public.appointment_types set booking_mode = 'fluid' where id = '${ID.typeA}'`,
    expect: staffOnly(),
  },
  {
    // issue 17 (session 15): the desk finds or creates the caller it books for; staff of the clinic only
    fn: 'staff_find_or_create_patient',
    args: { p_clinic_id: ID.clinicA, p_full_name: 'Matrix Caller', p_phone: '+212612009990' },
    expect: staffOnly(),
  },
  {
    // issue 17 (session 16): the desk finds or makes the caller AND books, in one transaction; staff only
    fn: 'staff_desk_book',
    args: {
      p_clinic_id: ID.clinicA,
      p_full_name: 'Matrix Caller',
      p_phone: '+212612009991',
      p_appointment_type_id: ID.typeA,
    },
    sqlArgs: { p_slot_start: localAt(2, '10:40') },
    expect: staffOnly(),
  },
  {
    fn: 'cancel_appointment',
    args: { p_entry_id: ID.entryA1 },
    expect: each('ok', { anon: NO_EXEC, patientB: NOT_FOUND, ownerB: NOT_FOUND }),
  },
  // issue 17, reschedule (20261205500001): the visit's own patient only; staff of its clinic 403 (the desk
  // books and cancels for a patient), other patients and clinics 404
  {
    fn: 'reschedule_appointment',
    args: { p_entry_id: ID.entryA1 },
    sqlArgs: { p_slot_start: localAt(2, '11:00') },
    expect: each(FORBIDDEN, {
      anon: NO_EXEC,
      patientA: 'ok',
      patientB: NOT_FOUND,
      ownerB: NOT_FOUND,
      service: AUTH_REQUIRED,
    }),
  },
  // issue 17 (session 15): a fluid visit to another day's line (20261213400002): reschedule_appointment's rule
  {
    fn: 'reschedule_fluid_place',
    args: { p_entry_id: 'f1f1f1f1-0000-4000-8000-000000000001' },
    sqlArgs: { p_day: `private.clinic_today('Africa/Casablanca') + 4` },
    setup: `update public.appointment_types set booking_mode = 'fluid' where id = '${ID.typeA}';
      insert into public.queues (id, clinic_id, day, next_ticket)
        values ('f1f1f1f1-0000-4000-8000-000000000002', '${ID.clinicA}', private.clinic_today('Africa/Casablanca') + 3, 2);
      insert into public.queue_entries (id, queue_id, clinic_id, patient_id, appointment_type_id, kind, status,
                                        ticket_number, order_key, fluid)
        values ('f1f1f1f1-0000-4000-8000-000000000001', 'f1f1f1f1-0000-4000-8000-000000000002', '${ID.clinicA}',
                '${ID.patientRecA}', '${ID.typeA}', 'booked', 'scheduled', 1, 0, true);`,
    expect: each(FORBIDDEN, {
      anon: NO_EXEC,
      patientA: 'ok',
      patientB: NOT_FOUND,
      ownerB: NOT_FOUND,
      service: AUTH_REQUIRED,
    }),
  },
  {
    fn: 'check_in',
    args: { p_entry_id: ID.entryA },
    expect: each('ok', { anon: NO_EXEC, patientB: NOT_FOUND, ownerB: NOT_FOUND }),
  },
  {
    fn: 'claim_patient_records',
    args: {},
    showResult: true,
    expect: each(FORBIDDEN, { anon: NO_EXEC, patientA: 'ok:1', patientB: 'ok:0', service: AUTH_REQUIRED }),
  },
  {
    fn: 'create_clinic',
    args: { p_name: 'Nouvelle clinique', p_slug: 'nouvelle' },
    expect: each('ok', { anon: NO_EXEC, service: AUTH_REQUIRED }),
  },
  {
    fn: 'create_staff_invitation',
    args: {
      p_clinic_id: ID.clinicA,
      p_role: 'practitioner',
      p_display_name: 'Dr New',
      p_email: 'new@test.ma',
    },
    expect: adminOnly(),
  },
  {
    fn: 'accept_staff_invitation',
    args: { p_token: TOKENS.invitationA },
    expect: each(FORBIDDEN, { anon: NO_EXEC, patientB: 'ok', service: AUTH_REQUIRED }),
  },
  { fn: 'revoke_staff_invitation', args: { p_invitation_id: ID.invitationA }, expect: adminOnly() },
  // issue 17 (20261219300002): a new link for a pending invitation, by an owner/admin of its clinic
  // fix20b: outside clinic A its invitation is as unknown as a made-up id (404, no existence oracle)
  {
    fn: 'resend_staff_invitation',
    args: { p_invitation_id: ID.invitationA },
    expect: each(FORBIDDEN, {
      anon: NO_EXEC,
      ownerA: 'ok',
      service: 'ok',
      ownerB: NOT_FOUND,
      patientA: NOT_FOUND,
      patientB: NOT_FOUND,
    }),
  },
  {
    fn: 'save_notification_template',
    args: {
      p_clinic_id: ID.clinicA,
      p_kind: 'your_turn',
      p_language: 'en',
      p_body: 'Hi {patient_name}, room {room}',
    },
    expect: adminOnly(),
  },
  {
    fn: 'sms_budget_reserve',
    args: {
      p_clinic_id: ID.clinicA,
      p_idempotency_key: 'matrix-reserve',
      p_kind: 'your_turn',
      p_segments: 1,
      p_cost: 0.5,
    },
    expect: SENDER_ONLY('ok'),
  },
  {
    fn: 'sms_budget_settle',
    args: { p_notification_id: ID.notificationA, p_status: 'sent', p_provider_id: 'SM1' },
    expect: SENDER_ONLY('ok'),
  },
  { fn: 'sms_budget_report', args: { p_clinic_id: ID.clinicA }, expect: adminOnly() },
  // hours in one transaction, kiosk check-in (20261201000400_clinic_staff.sql, 20261201000300_booking.sql)
  { fn: 'set_working_hours', args: { p_clinic_id: ID.clinicA, p_hours: '[]' }, expect: adminOnly() },
  // kiosk17: the kiosk's calls take its device token (any API role; the token is the credential) — an unknown one
  // opens nothing; a paired one, its own clinic's kiosk only. Pairing and revoking: the clinic's owner, admin or
  // receptionist (20261216200001_kiosk_devices.sql)
  {
    fn: 'kiosk_check_in',
    args: { p_kiosk_token: 'z'.repeat(64), p_ticket: 'A-001', p_phone_last4: '0001' },
    expect: each('PT401 KIOSK.NOT_PAIRED'),
  },
  {
    fn: 'kiosk_check_in',
    args: { p_kiosk_token: KIOSK_TOKEN, p_ticket: 'A-099', p_phone_last4: '0001' },
    setup: KIOSK_ROW,
    showResult: true,
    expect: each('ok:{"found":false}'),
  },
  { fn: 'get_kiosk', args: { p_kiosk_token: 'z'.repeat(64) }, expect: each('PT401 KIOSK.NOT_PAIRED') },
  { fn: 'get_kiosk', args: { p_kiosk_token: KIOSK_TOKEN }, setup: KIOSK_ROW, expect: each('ok') },
  {
    fn: 'pair_kiosk',
    args: { p_clinic_id: ID.clinicA, p_label: 'Matrix' },
    expect: each(FORBIDDEN, { anon: NO_EXEC, recepA: 'ok', ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  {
    fn: 'revoke_kiosk',
    args: { p_device_id: KIOSK_ID },
    setup: KIOSK_ROW,
    expect: each(NOT_FOUND, { anon: NO_EXEC, recepA: 'ok', ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  // board18: pairing and unpairing a board screen — the clinic's owner, admin or receptionist
  {
    fn: 'pair_board',
    args: { p_clinic_id: ID.clinicA, p_label: 'Matrix' },
    expect: each(FORBIDDEN, { anon: NO_EXEC, recepA: 'ok', ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  {
    fn: 'revoke_board',
    args: { p_device_id: BOARD_ID },
    setup: BOARD_ROW,
    expect: each(NOT_FOUND, { anon: NO_EXEC, recepA: 'ok', ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  // board20: a paired board's rooms — whoever pairs boards (the clinic's owner, admin or receptionist), rooms of
  // its clinic only (20261220300002); the board's branding — read by anyone, set by the clinic's owner or admin
  // (20261220300001)
  {
    fn: 'set_board_rooms',
    args: { p_device_id: BOARD_ID },
    sqlArgs: { p_rooms: `array['1']` },
    setup: BOARD_ROW,
    expect: each(NOT_FOUND, { anon: NO_EXEC, recepA: 'ok', ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  { fn: 'get_board_branding', args: { p_clinic_id: ID.clinicA }, expect: each('ok') },
  {
    fn: 'set_board_colours',
    args: { p_clinic_id: ID.clinicA, p_bg: '#1e3a8a', p_accent: '#fde68a' },
    expect: each(FORBIDDEN, { anon: NO_EXEC, ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  {
    fn: 'set_board_logo',
    args: { p_clinic_id: ID.clinicA, p_logo: null },
    expect: each(FORBIDDEN, { anon: NO_EXEC, ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  // kiosk17f (20261217500001): the kiosk's walk-in takes its device token like its check-in (any API role: the token
  // is the credential; an unknown one opens nothing); a pairing code is made by the clinic's owner, admin or
  // receptionist and exchanged once by whoever holds it — a wrong one is the same {paired:false} for everyone
  {
    fn: 'kiosk_register_walk_in',
    args: { p_kiosk_token: 'z'.repeat(64), p_full_name: 'Matrix Walk', p_phone: '+212611220000' },
    expect: each('PT401 KIOSK.NOT_PAIRED'),
  },
  {
    fn: 'kiosk_register_walk_in',
    args: { p_kiosk_token: KIOSK_TOKEN, p_full_name: 'Matrix Walk', p_phone: '+212611220000' },
    setup: `${KIOSK_ROW}; ${PIN_WORLD_DAY_10}`,
    expect: each('ok'),
  },
  {
    fn: 'create_kiosk_pairing_code',
    args: { p_clinic_id: ID.clinicA, p_label: 'Matrix' },
    expect: each(FORBIDDEN, { anon: NO_EXEC, recepA: 'ok', ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  {
    fn: 'redeem_kiosk_pairing_code',
    args: { p_code: 'ZZZZ-ZZZZ' },
    showResult: true,
    expect: each('ok:{"paired":false}'),
  },
  {
    fn: 'redeem_kiosk_pairing_code',
    args: { p_code: 'MATR-XK22' },
    setup: PAIRING_CODE_ROW,
    expect: each('ok'),
  },
  // issue 16: wait estimates (20261201005001_wait_estimates.sql)
  { fn: 'get_wait_history', args: { p_clinic_id: ID.clinicA }, expect: staffOnly() },
  // issue 16: yesterday's and the week's accuracy of the shown estimates — the clinic's staff
  { fn: 'get_wait_accuracy', args: { p_clinic_id: ID.clinicA }, expect: staffOnly() },
  {
    fn: 'store_queue_estimates',
    // every waiting visit listed (B), its display the rounding of its figures: est22 refuses anything less
    args: {
      p_clinic_id: ID.clinicA,
      p_version: 0,
      p_estimates: JSON.stringify([
        {
          entry_id: ID.entryB,
          minutes: 22.4,
          low: 15.2,
          high: 31.9,
          display: { kind: 'minutes', minutes: 20, low: 15, high: 35 },
        },
      ]),
    },
    sqlArgs: { p_day: `private.clinic_today('Africa/Casablanca')` },
    expect: staffOnly(),
  },
  { fn: 'get_entry_estimate', args: { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB }, expect: staffOnly() },
  { fn: 'get_visit_live', args: { p_tracking_token: TOKENS.trackingA }, expect: each('ok') },
  // issue 19: owners' reports (20261202800001_reports.sql) — owners/admins of the clinic only
  ...(['report_visits', 'report_busy_hours', 'report_wait_accuracy', 'report_sms'] as const).map(
    (fn): RpcSpec => ({
      fn,
      args: { p_clinic_id: ID.clinicA, p_from: '2025-10-01', p_to: '2025-10-31' },
      expect: adminOnly(),
    }),
  ),
  // issue 19: audit trail (20261202800002_audit.sql)
  {
    fn: 'get_patient_record',
    args: { p_patient_id: ID.walkInA },
    expect: each(NOT_FOUND, {
      anon: NO_EXEC,
      recepA: 'ok',
      practA: 'ok',
      ownerA: 'ok',
      service: AUTH_REQUIRED,
    }),
  },
  {
    fn: 'get_audit_log',
    args: { p_clinic_id: ID.clinicA, p_from: '2025-10-01', p_to: '2025-10-31' },
    expect: adminOnly(),
  },
  { fn: 'get_my_record_access', args: {}, expect: each('ok', { anon: NO_EXEC, service: AUTH_REQUIRED }) },
  // issue 17: patient search and staff-only visit notes (20261204500001)
  {
    fn: 'search_patients',
    args: { p_clinic_id: ID.clinicA, p_query: 'Patient' },
    expect: each(FORBIDDEN, {
      anon: NO_EXEC,
      recepA: 'ok',
      practA: 'ok',
      ownerA: 'ok',
      service: AUTH_REQUIRED,
    }),
  },
  ...(
    [
      ['add_visit_note', { p_entry_id: ID.entryA, p_body: 'Allergic to penicillin' }],
      ['list_visit_notes', { p_entry_id: ID.entryA }],
    ] as const
  ).map(([fn, args]): RpcSpec => ({
    fn,
    args,
    expect: each(NOT_FOUND, {
      anon: NO_EXEC,
      recepA: 'ok',
      practA: 'ok',
      ownerA: 'ok',
      service: AUTH_REQUIRED,
    }),
  })),
  // retention and erasure (20261203600002_retention_erasure.sql): owners set the period and erase on request;
  // the retention job is the service role's
  {
    fn: 'set_retention',
    args: { p_clinic_id: ID.clinicA, p_days: 90 },
    expect: each(FORBIDDEN, { anon: NO_EXEC, ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  { fn: 'apply_retention', args: {}, expect: each(NO_EXEC, { service: 'ok' }) },
  {
    fn: 'erase_patient',
    args: { p_patient_id: ID.walkInA },
    expect: each(NOT_FOUND, {
      anon: NO_EXEC,
      recepA: FORBIDDEN,
      practA: FORBIDDEN,
      ownerA: 'ok',
      service: AUTH_REQUIRED,
    }),
  },
  // the server-side recompute's work list (20261202600001_server_estimates.sql): the service role only
  { fn: 'queues_needing_estimates', args: {}, expect: each(NO_EXEC, { service: 'ok' }) },
  // closed dates, visit types, team in one call each; clinic time from the server (20261201002001)
  { fn: 'set_closed_dates', args: { p_clinic_id: ID.clinicA, p_dates: '[]' }, expect: adminOnly() },
  { fn: 'set_appointment_types', args: { p_clinic_id: ID.clinicA, p_types: '[]' }, expect: adminOnly() },
  { fn: 'set_team', args: { p_clinic_id: ID.clinicA, p_changes: '[]' }, expect: adminOnly() },
  // issue 17 (20261219300001): an owner/admin of the member's clinic removes a member (the receptionist has no
  // visits on record); another clinic's owner, staff and patients are refused
  {
    fn: 'remove_member',
    args: { p_member_id: ID.memberRecepA },
    expect: each(FORBIDDEN, {
      anon: NO_EXEC,
      ownerA: 'ok',
      service: 'ok',
      ownerB: NOT_FOUND,
      patientA: NOT_FOUND,
      patientB: NOT_FOUND,
    }),
  },
  // fix20b: the clinic's leave for its staff, reasons only for owners/admins and the doctor themself;
  // fix21a (review21 L5): anyone else is refused (403), not answered an empty list
  {
    fn: 'get_practitioner_leave',
    args: { p_clinic_id: ID.clinicA },
    expect: staffOnly(),
  },
  { fn: 'get_clinic_clock', args: { p_clinic_id: ID.clinicA }, expect: each('ok') },
  // hours19: a doctor's leave, written by the clinic's owner/admin only (20261219500001)
  {
    fn: 'set_practitioner_leave',
    args: { p_clinic_id: ID.clinicA, p_practitioner_id: ID.memberPractA },
    sqlArgs: {
      p_from_day: `private.clinic_today('Africa/Casablanca') + 30`,
      p_to_day: `private.clinic_today('Africa/Casablanca') + 31`,
    },
    expect: adminOnly(),
  },
  {
    fn: 'set_practitioner_hours',
    args: { p_clinic_id: ID.clinicA, p_practitioner_id: ID.memberPractA, p_hours: '[]' },
    expect: adminOnly(),
  },
  {
    // another clinic's leave is unknown to its owner (404), staff who are not admins are refused (403)
    fn: 'delete_practitioner_leave',
    args: { p_leave_id: LEAVE_ID },
    setup: LEAVE_ROW,
    expect: each(NOT_FOUND, {
      anon: NO_EXEC,
      recepA: FORBIDDEN,
      practA: FORBIDDEN,
      ownerA: 'ok',
      service: 'ok',
    }),
  },

  // a clinic's private settings (20261216100001): its staff only — not a patient, not another clinic's owner
  { fn: 'get_clinic_staff_settings', args: { p_clinic_id: ID.clinicA }, expect: staffOnly() },
  // the board's 'day is over' (20261201004001): public, like the board itself
  { fn: 'get_queue_day_status', args: { p_clinic_id: ID.clinicA }, expect: each('ok') },
  // the tracker's visit + clinic clock in one public read (20261202300001)
  { fn: 'get_tracker_view', args: { p_tracking_token: TOKENS.trackingA }, expect: each('ok') },
  // a patient's own visits with their live links (20261202500002): signed-in callers only
  { fn: 'get_my_visits', args: {}, expect: each('ok', { anon: NO_EXEC, service: AUTH_REQUIRED }) },
  // a returning patient's own name on the booking page (20261202500001): signed-in callers only
  {
    fn: 'get_my_patient_name',
    args: { p_clinic_id: ID.clinicA },
    expect: each('ok', { anon: NO_EXEC, service: AUTH_REQUIRED }),
  },
  // issue 12, session 16 (20261214100001): a patient corrects the name on their OWN record at the clinic; the
  // clinic's staff and the other clinic's owner have no record of their own there (404)
  {
    fn: 'set_my_name',
    args: { p_clinic_id: ID.clinicA, p_full_name: 'Matrix  Name' },
    expect: each(NOT_FOUND, { anon: NO_EXEC, patientA: 'ok', patientB: 'ok', service: AUTH_REQUIRED }),
  },
  { fn: 'end_day', args: { p_queue_id: ID.queueA, p_expected_version: 0 }, expect: staffOnly() },
  // issue 12, fair turns (20261205200001_queue_turns.sql): the clinic's staff claim and release, nobody else
  {
    fn: 'claim_queue_turn',
    args: { p_queue_id: ID.queueA, p_command_id: 'c7000000-0000-4000-8000-0000000000aa' },
    expect: staffOnly(),
  },
  // lat12 (20261211500001): a turn check that loads only on the caller's turn — the clinic's staff only
  {
    fn: 'claim_turn_and_load',
    args: { p_queue_id: ID.queueA, p_command_id: 'c7000000-0000-4000-8000-0000000000ab' },
    expect: staffOnly(),
  },
  {
    fn: 'release_queue_turn',
    args: { p_queue_id: ID.queueA, p_command_id: 'c7000000-0000-4000-8000-0000000000aa' },
    expect: staffOnly(),
  },
  // issue 17, pause / reopen (20261202700002_pause.sql): the clinic's staff, nobody else
  {
    fn: 'set_desk_paused',
    args: { p_clinic_id: ID.clinicA, p_practitioner_id: ID.memberPractA, p_paused: true, p_reason: 'break' },
    expect: staffOnly(),
  },
  { fn: 'set_queue_intake', args: { p_clinic_id: ID.clinicA, p_open: false }, expect: staffOnly() },
  {
    fn: 'sweep_queues',
    args: {},
    showResult: true,
    expect: each(NO_EXEC, { service: 'ok:{"closed":0,"expired":0,"offers_expired":0}' }),
  },
  {
    fn: 'expire_graces',
    args: {},
    showResult: true,
    expect: each(NO_EXEC, { service: 'ok:{"expired":0}' }),
  },
  // notification pipeline (20261201000500_notifications.sql)
  {
    fn: 'notification_recipient',
    args: { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB },
    expect: SENDER_ONLY('ok'),
  },
  {
    fn: 'notification_record_attempt',
    args: { p_notification_id: ID.notificationA, p_error: 'HTTP 500' },
    expect: SENDER_ONLY('ok'),
  },
  {
    fn: 'sms_delivery_update',
    args: { p_provider_id: 'SMnone', p_status: 'delivered' },
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  {
    fn: 'sms_inbound_apply',
    args: { p_from: '+212600000002', p_intent: 'late' },
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  // the number written to picks the clinic (20261216800002, sms17)
  {
    fn: 'sms_inbound_apply',
    args: { p_from: '+212600000002', p_intent: 'late', p_to: '+212522000111' },
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  // waitlist offers answered by SMS (20261209400002): only the inbound function (service role) applies a reply
  {
    fn: 'sms_waitlist_reply',
    args: { p_from: '+212600000002', p_answer: 'accept' },
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  { fn: 'notification_outbox', args: {}, expect: each(NO_EXEC, { service: 'ok' }) },
  // appointment reminders (20261204800002): the owner sets the window, the sweep (service role) lists them
  { fn: 'reminder_outbox', args: {}, expect: each(NO_EXEC, { service: 'ok' }) },
  {
    fn: 'notification_record_skip',
    args: {
      p_clinic_id: ID.clinicA,
      p_idempotency_key: 'matrix-skip',
      p_kind: 'your_turn',
      p_reason: 'opted_out',
    },
    expect: SENDER_ONLY('ok'),
  },
  // remote join (20261206500002): anyone may ask whether it is open; clinic A does not offer it, so every
  // signed-in caller is refused with its code before anything is written; the cap is the admins'
  { fn: 'get_remote_join', args: { p_clinic_id: ID.clinicA }, expect: each('ok') },
  // the clinic directory (20261220100001, dir20): anyone searches; the clinic's staff read its entry, admins set it
  { fn: 'search_clinic_directory', args: { p_query: 'clinique', p_city: '' }, expect: each('ok') },
  { fn: 'get_clinic_listing', args: { p_clinic_id: ID.clinicA }, expect: staffOnly() },
  {
    fn: 'set_clinic_listing',
    args: { p_clinic_id: ID.clinicA, p_city: 'Rabat', p_specialty: 'general', p_listed: true },
    expect: adminOnly(),
  },
  {
    fn: 'join_queue_remotely',
    args: { p_clinic_id: ID.clinicA, p_full_name: 'Matrix' },
    expect: each('PT409 QUEUE.REMOTE_JOIN_OFF', { anon: NO_EXEC, service: AUTH_REQUIRED }),
  },
  { fn: 'set_remote_join_cap', args: { p_clinic_id: ID.clinicA, p_cap: 3 }, expect: adminOnly() },
  // remote join settings (20261207300001): the clinic's staff read the cap and arrival window, admins set both
  // waitlist (20261207300002): only patient A has a booked visit still ahead (entryA1); everyone else is told
  // it is not theirs; the withdrawal of a request nobody has is NOT_FOUND for every signed-in caller
  {
    fn: 'request_earlier_slot',
    args: { p_entry_id: ID.entryA1 },
    expect: each(NOT_FOUND, { anon: NO_EXEC, patientA: 'ok', service: AUTH_REQUIRED }),
  },
  {
    fn: 'withdraw_earlier_slot',
    args: { p_request_id: 'a6100000-0000-4000-8000-0000000000ff' },
    expect: each(NOT_FOUND, { anon: NO_EXEC, service: AUTH_REQUIRED }),
  },
  // waitlist offers (20261208400002): accepting an offer nobody has is NOT_FOUND for every signed-in caller;
  // the caller's own open requests (none here but patient A's none either); the clinic's list for its staff;
  // the offer's holding time for its admins
  {
    fn: 'accept_earlier_slot',
    args: { p_request_id: 'a6100000-0000-4000-8000-0000000000fe' },
    expect: each(NOT_FOUND, { anon: NO_EXEC, service: AUTH_REQUIRED }),
  },
  { fn: 'my_earlier_slot_requests', args: {}, expect: each('ok', { anon: NO_EXEC, service: AUTH_REQUIRED }) },
  { fn: 'clinic_waitlist', args: { p_clinic_id: ID.clinicA }, expect: staffOnly() },
  { fn: 'set_waitlist_offer_minutes', args: { p_clinic_id: ID.clinicA, p_minutes: 20 }, expect: adminOnly() },
  { fn: 'get_remote_join_settings', args: { p_clinic_id: ID.clinicA }, expect: staffOnly() },
  {
    fn: 'set_remote_join',
    args: { p_clinic_id: ID.clinicA, p_cap: 3, p_arrival_minutes: 30 },
    expect: adminOnly(),
  },
  // email channel (20261206800001): the patient sets their own address and channel in a clinic where they
  // have a record (staff accounts have none: 404) — mailed only once proved (email18: email_confirmed);
  // the sender records an email only to the routed address
  // (entryB's patient has no address: a staff caller is past the staff check and gets 409)
  {
    fn: 'set_my_notification_preferences',
    args: { p_clinic_id: ID.clinicA, p_channel: 'email', p_email: 'matrix@example.org' },
    expect: each(NOT_FOUND, { anon: NO_EXEC, patientA: 'ok', patientB: 'ok', service: AUTH_REQUIRED }),
  },
  {
    fn: 'get_my_notification_preferences',
    args: { p_clinic_id: ID.clinicA },
    showResult: true,
    expect: each(
      'ok:{"email":null,"known":false,"channel":null,"email_bounced":false,"email_confirmed":false}',
      {
        anon: NO_EXEC,
        patientA:
          'ok:{"email":null,"known":true,"channel":null,"email_bounced":false,"email_confirmed":false}',
        patientB:
          'ok:{"email":null,"known":true,"channel":null,"email_bounced":false,"email_confirmed":false}',
        service: AUTH_REQUIRED,
      },
    ),
  },
  // mail22: the notification email proved by QueueMed's own code — the patient's own record only (staff have none
  // here: 404; the world's patients have no address yet: nothing to prove); the code mails only for the service role
  {
    fn: 'request_notification_email_code',
    args: { p_clinic_id: ID.clinicA },
    expect: each(NOT_FOUND, {
      anon: NO_EXEC,
      patientA: 'PT422 EMAIL_PROOF.NO_ADDRESS',
      patientB: 'PT422 EMAIL_PROOF.NO_ADDRESS',
      service: AUTH_REQUIRED,
    }),
  },
  {
    fn: 'confirm_notification_email',
    args: { p_clinic_id: ID.clinicA, p_code: '123456' },
    showResult: true,
    expect: each(NOT_FOUND, {
      anon: NO_EXEC,
      patientA: 'ok:{"reason":"invalid","confirmed":false}',
      patientB: 'ok:{"reason":"invalid","confirmed":false}',
      service: AUTH_REQUIRED,
    }),
  },
  { fn: 'take_notification_email_codes', args: {}, expect: each(NO_EXEC, { service: 'ok' }) },
  {
    fn: 'notification_email_begin',
    args: {
      p_clinic_id: ID.clinicA,
      p_idempotency_key: 'matrix-email',
      p_kind: 'your_turn',
      p_entry_id: ID.entryB,
      p_recipient: 'matrix@example.org',
      p_subject: 'Subject',
      p_body: 'Body',
    },
    expect: SENDER_ONLY('PT409 VALIDATION.FAILED'),
  },
  {
    fn: 'notification_email_settle',
    args: { p_notification_id: ID.notificationA, p_status: 'sent' },
    expect: SENDER_ONLY('PT409 VALIDATION.FAILED'),
  },
  // email → SMS fallback (20261207400002): the fixture message is an SMS, so a staff caller of clinic A (or the
  // service role) is past the staff check and gets 409; one-click unsubscribe (20261207400003): service only
  {
    fn: 'notification_sms_fallback',
    args: { p_notification_id: ID.notificationA, p_segments: 1, p_cost: 0.25, p_body: 'Body' },
    expect: SENDER_ONLY('PT409 VALIDATION.FAILED'),
  },
  // hard bounce (20261208500002): like the fallback — the fixture message is an SMS, so staff of clinic A and the
  // service role are past the staff check and get 409
  {
    fn: 'notification_email_bounced',
    args: { p_notification_id: ID.notificationA },
    expect: SENDER_ONLY('PT409 VALIDATION.FAILED'),
  },
  // WhatsApp (20261209500002): the sender's begin — the fixture visit routes by SMS, so staff of clinic A and the
  // service role are past the staff check and get 409; the inbound window/STOP is the service role's; the
  // clinic's WhatsApp sender and templates are owners'/admins'
  {
    fn: 'notification_whatsapp_begin',
    args: {
      p_clinic_id: ID.clinicA,
      p_idempotency_key: 'matrix-whatsapp',
      p_kind: 'your_turn',
      p_entry_id: ID.entryB,
      p_body: 'Body',
      p_cost: 0.1,
    },
    expect: SENDER_ONLY('PT409 VALIDATION.FAILED'),
  },
  {
    fn: 'whatsapp_inbound_apply',
    args: { p_from: '+212600000002', p_stop: false },
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  {
    fn: 'set_whatsapp_settings',
    args: { p_clinic_id: ID.clinicA, p_sender: '+212522000999', p_templates: {} },
    expect: adminOnly(),
  },
  // the clinic's default channel (20261207400004): owners/admins
  {
    fn: 'set_default_channel',
    args: { p_clinic_id: ID.clinicA, p_channel: 'email' },
    expect: adminOnly(),
  },
  {
    fn: 'email_unsubscribe',
    args: { p_patient_id: ID.patientRecB },
    showResult: true,
    expect: each(NO_EXEC, { service: 'ok:{"already":false}' }),
  },
  {
    fn: 'set_reminder_minutes_before',
    args: { p_clinic_id: ID.clinicA, p_minutes: 60 },
    expect: adminOnly(),
  },
  {
    fn: 'notification_close_interrupted',
    args: {},
    showResult: true,
    // the fixture's queued message was written "just now" whatever the wall clock says: it is not stale
    setup: PIN_AT_FIXTURE_MESSAGE,
    expect: each(NO_EXEC, { service: 'ok:0' }),
  },
  // SMS by reference and sender approval (20261201000500_notifications.sql): the
  // fixture event of entryB is a PatientCheckedIn (owes nothing), so a staff caller gets 404 NOT_FOUND —
  // past the staff check; an almost_turn for waiting entryB at position 1 is owed.
  {
    fn: 'notification_prepare',
    args: { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'almost_turn', p_position: 1 },
    expect: staffOnly(),
  },
  {
    fn: 'notification_prepare',
    args: { p_clinic_id: ID.clinicA, p_entry_id: ID.entryB, p_kind: 'your_turn' },
    expect: each(FORBIDDEN, {
      anon: NO_EXEC,
      recepA: NOT_FOUND,
      practA: NOT_FOUND,
      ownerA: NOT_FOUND,
      service: NOT_FOUND,
    }),
  },
  {
    // review26 L5 (20261227200001): send-sms's limit, asked with the caller's token — any signed-in caller is
    // counted (a stranger naming clinic A too, against himself), the service role is admitted uncounted, anon none
    fn: 'send_sms_admit',
    args: { p_clinic_id: ID.clinicA },
    expect: each('ok', { anon: NO_EXEC }),
  },
  {
    // abuse17 S1: the platform operator approves a self-made clinic for SMS
    fn: 'approve_clinic_sms',
    args: { p_clinic_id: ID.clinicA, p_approved: true },
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  {
    fn: 'approve_sms_sender',
    args: { p_clinic_id: ID.clinicA, p_sender: null },
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  {
    fn: 'staff_invitation_delivery',
    args: { p_invitation_id: ID.invitationA, p_token: TOKENS.invitationA },
    expect: adminOnly(),
  },
  // the invitation email's line in the message log (fix18 H3): the server only, like the log's other writers
  {
    fn: 'staff_invitation_email_begin',
    args: { p_invitation_id: ID.invitationA, p_subject: 'Invitation', p_body: 'matrix body' },
    expect: SENDER_ONLY('ok'),
  },
  // API keys (20261201007001): owners/admins of the clinic only, never the service role (a key is
  // created by a person); the gateway's per-request calls are the service role's only.
  {
    fn: 'create_api_key',
    args: { p_clinic_id: ID.clinicA, p_name: 'matrix key' },
    sqlArgs: { p_scopes: `array['read']` },
    expect: each(FORBIDDEN, { anon: NO_EXEC, ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  {
    fn: 'list_api_keys',
    args: { p_clinic_id: ID.clinicA },
    expect: each(FORBIDDEN, { anon: NO_EXEC, ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  {
    fn: 'revoke_api_key',
    args: { p_key_id: 'a9000000-0000-4000-8000-00000000ffff' },
    expect: each(NOT_FOUND, { anon: NO_EXEC, service: AUTH_REQUIRED }),
  },
  {
    fn: 'api_key_authenticate',
    args: { p_key_hash: 'a'.repeat(64) },
    showResult: true,
    expect: each(NO_EXEC, { service: 'ok:null' }),
  },
  {
    fn: 'api_idempotency_begin',
    args: { p_principal: 'matrix', p_key: 'k', p_fingerprint: 'f' },
    showResult: true,
    expect: each(NO_EXEC, { service: 'ok:{"state":"new"}' }),
  },
  {
    fn: 'api_idempotency_finish',
    args: { p_principal: 'matrix', p_key: 'k', p_status: 200, p_body: '{}' },
    sqlArgs: { p_headers: `'{}'::jsonb` },
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  {
    fn: 'api_idempotency_abort',
    args: { p_principal: 'matrix', p_key: 'k' },
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  // Webhooks (20261206700001): owners/admins of the clinic (a person, not the service role); the sweep's
  // claim and record are the service role's only.
  {
    fn: 'create_webhook_endpoint',
    args: { p_clinic_id: ID.clinicA, p_url: 'https://hooks.example.com/matrix' },
    sqlArgs: { p_event_types: `array['visit.booked']` },
    expect: each(FORBIDDEN, { anon: NO_EXEC, ownerA: 'ok', service: AUTH_REQUIRED }),
  },
  {
    fn: 'set_webhook_endpoint_enabled',
    args: { p_endpoint_id: 'a9100000-0000-4000-8000-00000000ffff', p_enabled: false },
    expect: each(NOT_FOUND, { anon: NO_EXEC, service: AUTH_REQUIRED }),
  },
  {
    fn: 'delete_webhook_endpoint',
    args: { p_endpoint_id: 'a9100000-0000-4000-8000-00000000ffff' },
    expect: each(NOT_FOUND, { anon: NO_EXEC, service: AUTH_REQUIRED }),
  },
  {
    fn: 'resend_webhook_delivery',
    args: { p_delivery_id: 'a9100000-0000-4000-8000-00000000ffff' },
    expect: each(NOT_FOUND, { anon: NO_EXEC, service: AUTH_REQUIRED }),
  },
  {
    fn: 'webhook_claim',
    args: {},
    showResult: true,
    expect: each(NO_EXEC, { service: 'ok:[]' }),
  },
  {
    fn: 'webhook_record_attempt',
    args: { p_delivery_id: 'a9100000-0000-4000-8000-00000000ffff', p_ok: true },
    expect: each(NO_EXEC, { service: NOT_FOUND }),
  },
  // the owner notices of disabled endpoints (20261211100002): the service role only; nothing owed → []
  {
    fn: 'webhook_notice_outbox',
    args: { p_limit: 20 },
    showResult: true,
    expect: each(NO_EXEC, { service: 'ok:[]' }),
  },
  {
    fn: 'webhook_notice_done',
    args: { p_endpoint_id: 'a9100000-0000-4000-8000-00000000ffff', p_disables: 1 },
    showResult: true,
    expect: each(NO_EXEC, { service: 'ok:false' }),
  },
  // web push (20261210700002): the tracker subscribes and revokes by its link (anyone holding it) or, by id, only
  // the visit's own patient; the sender's begin/settle are the clinic's staff's
  {
    fn: 'push_subscribe',
    args: {
      p_endpoint: 'https://push.example.com/matrix-sub',
      p_p256dh: `B${'A'.repeat(86)}`,
      p_auth: 'a'.repeat(22),
      p_tracking_token: TOKENS.trackingA,
    },
    expect: each('ok'),
  },
  {
    fn: 'push_subscribe',
    args: {
      p_endpoint: 'https://push.example.com/matrix-own',
      p_p256dh: `B${'A'.repeat(86)}`,
      p_auth: 'a'.repeat(22),
      p_entry_id: ID.entryA,
    },
    expect: each(NOT_FOUND, { patientA: 'ok' }),
  },
  { fn: 'push_unsubscribe', args: { p_tracking_token: TOKENS.trackingA }, expect: each('ok') },
  {
    fn: 'push_unsubscribe',
    args: { p_entry_id: ID.entryA },
    expect: each(NOT_FOUND, { patientA: 'ok' }),
  },
  {
    fn: 'notification_push_begin',
    args: {
      p_clinic_id: ID.clinicA,
      p_idempotency_key: 'matrix-push',
      p_kind: 'your_turn',
      p_entry_id: ID.entryA,
      p_body: 'Body',
    },
    setup: PUSH_ROW,
    expect: SENDER_ONLY('ok'),
  },
  {
    fn: 'notification_push_settle',
    args: { p_notification_id: ID.notificationA, p_status: 'sent' },
    expect: SENDER_ONLY('PT409 VALIDATION.FAILED'),
  },
  // endpoints and keys are capabilities (20261211200001): only the server reads them or drops a subscription
  {
    fn: 'push_subscription_gone',
    args: { p_subscription_id: PUSH_ID },
    setup: PUSH_ROW,
    expect: each(NO_EXEC, { service: 'ok' }),
  },
  {
    fn: 'notification_push_targets',
    args: { p_notification_id: ID.notificationA },
    setup: PUSH_ROW,
    expect: each(NO_EXEC, { service: 'PT409 VALIDATION.FAILED' }),
  },
  // a busy push service (20261211200002): staff's send-sms defers its push; the sweep alone lists the due ones
  {
    fn: 'notification_push_defer',
    args: { p_notification_id: ID.notificationA },
    expect: SENDER_ONLY('PT409 VALIDATION.FAILED'),
  },
  {
    fn: 'notification_push_retry_due',
    args: {},
    setup: PUSH_ROW,
    showResult: true,
    expect: each(NO_EXEC, { service: 'ok:[]' }),
  },
];

export const rpcLabel = (r: RpcSpec) =>
  `${r.fn}(${[...Object.keys(r.args), ...Object.keys(r.sqlArgs ?? {})].join(', ')})`;

export const runRpcCase = async (tx: DbTx, spec: RpcSpec, actor: ActorName): Promise<string> => {
  const { sql, params } = rpcSql(spec.fn, spec.args);
  const extra = Object.entries(spec.sqlArgs ?? {}).map(([k, v]) => `${k} => ${v}`);
  const full =
    extra.length === 0
      ? sql
      : sql.replace(/\) as r$/, `${Object.keys(spec.args).length > 0 ? ', ' : ''}${extra.join(', ')}) as r`);
  await tx.exec('savepoint probe');
  try {
    if (spec.setup !== undefined) await tx.exec(spec.setup);
    await becomeActor(tx, ACTORS[actor]);
    const { rows } = await tx.query<{ r: unknown }>(full, params);
    return spec.showResult ? `ok:${JSON.stringify(rows[0]?.r)}` : 'ok';
  } catch (e) {
    const err = e as DbError;
    return err.code === '42501' ? '42501' : `${err.code ?? '?'} ${err.message}`;
  } finally {
    await tx.exec('rollback to savepoint probe');
  }
};
