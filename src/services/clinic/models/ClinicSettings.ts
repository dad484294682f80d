/**
 * Every per-clinic setting named in DOMAIN.md, with its default. Keys are snake_case on purpose: the same
 * name is used in DOMAIN.md, in the database (`clinics.settings` jsonb), in the admin UI and in SMS texts.
 */
import { z } from '../../shared/zod';
import { HH_MM } from '../../shared/timeFormats';

export const LATE_RETURN_POLICIES = ['after_next', 'front', 'end'] as const;
export type LateReturnPolicy = (typeof LATE_RETURN_POLICIES)[number];

const minutes = (max: number) => z.number().check(z.int(), z.gte(0), z.lte(max));

export const ClinicSettingsSchema = z.strictObject({
  // ordering
  on_time_tolerance_minutes: z._default(minutes(240), 10),
  /** Check-in (desk, kiosk, app) opens this many minutes before the slot (the database enforces it too). */
  check_in_window_minutes: z._default(minutes(60 * 24), 60),
  // calling
  auto_finish_on_next: z._default(z.boolean(), true),
  max_skips: z._default(z.number().check(z.int(), z.gte(1), z.lte(20)), 3),
  // absence and lateness
  grace_period_minutes: z._default(z.number().check(z.int(), z.gte(1), z.lte(240)), 10),
  late_return_policy: z._default(z.enum(LATE_RETURN_POLICIES), 'after_next'),
  late_return_offset: z._default(z.number().check(z.int(), z.gte(0), z.lte(50)), 1),
  // notifications
  notify_at_position: z._default(z.number().check(z.int(), z.gte(1), z.lte(50)), 3),
  budget_alert_ratio: z._default(z.number().check(z.gt(0), z.lte(1)), 0.8),
  // booking
  buffer_minutes: z._default(minutes(240), 5),
  slot_capacity: z._default(z.number().check(z.int(), z.gte(1), z.lte(100)), 1),
  max_walk_ins_per_day: z._default(z.nullable(z.number().check(z.int(), z.gte(0), z.lte(10_000))), null),
  booking_horizon_days: z._default(z.number().check(z.int(), z.gte(1), z.lte(365)), 30),
  min_booking_notice_minutes: z._default(minutes(60 * 24 * 30), 60),
  min_cancel_notice_minutes: z._default(minutes(60 * 24 * 30), 120),
  /** Fluid vs slotted (issue 17, docs/fluid-queues.md): a visit type without its own mode takes this one. */
  booking_mode: z._default(z.enum(['slotted', 'fluid']), 'slotted'),
  /**
   * W8 (FreedSlot.ts): a freed slot is offered to the waitlist only if it starts at least this many minutes
   * from now — time to read the offer, take it and come; 0 = any slot still ahead.
   */
  waitlist_min_lead_minutes: z._default(minutes(60 * 24), 30),
  /**
   * patientVisitCap (attack review, session 16; docs/domain-rules.md): a patient's own bookings stop at this many active upcoming visits at the
   * clinic (scheduled / waiting / called, today or later); staff bookings are not limited.
   */
  max_active_visits_per_patient: z._default(z.number().check(z.int(), z.gte(1), z.lte(50)), 3),
  /**
   * F6 (docs/domain-rules.md): a fluid visit's day-before reminder is owed from this time ('HH:MM', 00:00–23:59
   * in the clinic's time zone) the day before its day (public.reminder_outbox).
   */
  fluid_reminder_time: z._default(z.string().check(z.regex(HH_MM)), '18:00'),
  // ending the day
  auto_end_day_after_closing_minutes: z._default(minutes(60 * 24), 120),
  // waiting-room board
  board_show_names: z._default(z.boolean(), false),
  /**
   * kioskWalkInsSwitch (board20, docs/domain-rules.md): walk-in self-registration at the clinic's paired kiosks.
   * Default on (session 18's kiosks had it); off, the kiosk hides its walk-in button and the database refuses one
   * (KIOSK.WALK_INS_OFF).
   */
  kiosk_walk_ins: z._default(z.boolean(), true),
});

export type ClinicSettings = z.infer<typeof ClinicSettingsSchema>;

/** The defaults of DOMAIN.md. */
export const DEFAULT_CLINIC_SETTINGS: ClinicSettings = Object.freeze(ClinicSettingsSchema.parse({}));

/** Validates a (possibly partial) settings object, filling in defaults for missing keys. */
export const parseClinicSettings = (input: unknown) => ClinicSettingsSchema.safeParse(input ?? {});
