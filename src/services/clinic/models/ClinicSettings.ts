/**
 * Every per-clinic setting named in DOMAIN.md, with its default. Keys are snake_case on purpose: the same
 * name is used in DOMAIN.md, in the database (`clinics.settings` jsonb), in the admin UI and in SMS texts.
 */
import { z } from 'zod';

export const LATE_RETURN_POLICIES = ['after_next', 'front', 'end'] as const;
export type LateReturnPolicy = (typeof LATE_RETURN_POLICIES)[number];

const minutes = (max: number) => z.number().int().min(0).max(max);

export const ClinicSettingsSchema = z
  .object({
    // ordering
    on_time_tolerance_minutes: minutes(240).default(10),
    /** Check-in (desk, kiosk, app) opens this many minutes before the slot (the database enforces it too). */
    check_in_window_minutes: minutes(60 * 24).default(60),
    // calling
    auto_finish_on_next: z.boolean().default(true),
    max_skips: z.number().int().min(1).max(20).default(3),
    // absence and lateness
    grace_period_minutes: z.number().int().min(1).max(240).default(10),
    late_return_policy: z.enum(LATE_RETURN_POLICIES).default('after_next'),
    late_return_offset: z.number().int().min(0).max(50).default(1),
    // notifications
    notify_at_position: z.number().int().min(1).max(50).default(3),
    budget_alert_ratio: z.number().gt(0).max(1).default(0.8),
    // booking
    buffer_minutes: minutes(240).default(5),
    slot_capacity: z.number().int().min(1).max(100).default(1),
    max_walk_ins_per_day: z.number().int().min(0).max(10_000).nullable().default(null),
    booking_horizon_days: z.number().int().min(1).max(365).default(30),
    min_booking_notice_minutes: minutes(60 * 24 * 30).default(60),
    min_cancel_notice_minutes: minutes(60 * 24 * 30).default(120),
    /** Fluid vs slotted (issue 17, docs/fluid-queues.md): a visit type without its own mode takes this one. */
    booking_mode: z.enum(['slotted', 'fluid']).default('slotted'),
    /**
     * W8 (FreedSlot.ts): a freed slot is offered to the waitlist only if it starts at least this many minutes
     * from now — time to read the offer, take it and come; 0 = any slot still ahead.
     */
    waitlist_min_lead_minutes: minutes(60 * 24).default(30),
    // ending the day
    auto_end_day_after_closing_minutes: minutes(60 * 24).default(120),
    // waiting-room board
    board_show_names: z.boolean().default(false),
  })
  .strict();

export type ClinicSettings = z.infer<typeof ClinicSettingsSchema>;

/** The defaults of DOMAIN.md. */
export const DEFAULT_CLINIC_SETTINGS: ClinicSettings = Object.freeze(ClinicSettingsSchema.parse({}));

/** Validates a (possibly partial) settings object, filling in defaults for missing keys. */
export const parseClinicSettings = (input: unknown) => ClinicSettingsSchema.safeParse(input ?? {});
