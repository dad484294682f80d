/**
 * My visits — how long a waitlist offer is still held (issue 17), by the server's clock: the instant the
 * server gave with the clinic's clock (get_clinic_clock's `now`), moved on by the time elapsed in the browser
 * since that answer arrived. A browser whose own clock or zone is off by hours shows the same minutes.
 */

/** The server's instant (ms) now, from its answer `serverNow` (ISO) received at `receivedAtMs` (browser ms). */
export function serverNowMs(serverNow: string, receivedAtMs: number, browserNowMs: number): number {
  return Date.parse(serverNow) + Math.max(0, browserNowMs - receivedAtMs);
}

/** Whole minutes left until `expiresAt` (ISO), rounded up (a hold of 30 s left is "1 min"); 0 once over. */
export function offerMinutesLeft(expiresAt: string, nowMs: number): number {
  const left = Date.parse(expiresAt) - nowMs;
  return left > 0 ? Math.ceil(left / 60_000) : 0;
}
