/**
 * What a screen adds to a coded error so that its message says what to do (issue 15.11 / 15.6): the name
 * of the doctor whose patient it is, from when check-in opens. Pure; the Toasts translate.
 */
const MINUTE = 60_000;

const detailsOf = (e: unknown): Record<string, unknown> =>
  typeof e === 'object' && e !== null && 'details' in e
    ? ((e as { details?: Record<string, unknown> }).details ?? {})
    : {};
const codeOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;

/**
 * QUEUE.CHECK_IN_TOO_EARLY → `{ count: minutes, time?, variant: 'at' | 'day' }` ('day': a fluid visit, whose
 * window opens before the clinic's first hour, not before an appointment). The figures are the error's data —
 * `windowMinutes` and `opensAt` (the domain's refusal, or the database's JSON detail read by the PostgREST
 * error mapper) — else the clinic's setting and the slot the screen knows. Never the English text.
 */
export function checkInTooEarlyParams(
  e: unknown,
  ctx: {
    /** the visit's slot; null: the screen knows it has none — a fluid visit, whose window opens with the day (F5) */
    slotStart?: string | null;
    windowMinutes?: number;
    /** the screen's clinic-time formatter (server offsets); without one the message gives no time */
    timeOf?: ((instant: string) => string) | null;
  },
): Record<string, unknown> | undefined {
  if (codeOf(e) !== 'QUEUE.CHECK_IN_TOO_EARLY') return undefined;
  const d = detailsOf(e);
  const minutes = typeof d.windowMinutes === 'number' ? d.windowMinutes : ctx.windowMinutes;
  const opensAt =
    typeof d.opensAt === 'string'
      ? d.opensAt
      : ctx.slotStart && minutes !== undefined
        ? new Date(Date.parse(ctx.slotStart) - minutes * MINUTE).toISOString()
        : null;
  return {
    ...(minutes !== undefined ? { count: minutes } : {}),
    ...(opensAt && ctx.timeOf
      ? { time: ctx.timeOf(opensAt), variant: ctx.slotStart === null ? 'day' : 'at' }
      : {}),
  };
}

/** QUEUE.ILLEGAL_TRANSITION for another doctor's patient → `{ doctor }` (their name). */
export function otherDoctorParams(
  e: unknown,
  nameOf: (practitionerId: string | null) => string,
): Record<string, unknown> | undefined {
  const d = detailsOf(e);
  if (d.reason !== 'assigned_to_other_practitioner' || typeof d.assignedTo !== 'string') return undefined;
  return { doctor: nameOf(d.assignedTo) };
}
