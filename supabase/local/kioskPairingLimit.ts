/**
 * fix20 (review20 M2): wrong kiosk pairing codes counted per client address. redeem_kiosk_pairing_code is called
 * anonymously, so the database alone could only cap wrong codes globally — and one client's 101 guesses locked
 * pairing by code for every clinic. Here, at /rest/v1, an address that typed `max` wrong codes in the window is
 * refused before the database is asked: 429 KIOSK.TOO_MANY_ATTEMPTS (reason pairing_address) with Retry-After.
 * Each exchange is counted before the call (sec21) and given back unless it was a wrong code. Only wrong codes count (an answer `{paired: false}` without reason 'used', fix21d), so a clinic pairing many tablets from one network is not
 * slowed; the database's global cap (20261220800002, 10 000 in 10 minutes) stays as the backstop. The service role
 * is not counted. In auth.rate_limits (DbRateLimiter, scope kiosk_pairing_ip), shared by every stack process.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { addressLimitError, limitAddress } from './http.js';
import type { DbRateLimiter, RateLimit } from './rateLimit.js';

export const KIOSK_PAIRING_RPC = 'redeem_kiosk_pairing_code';

/** Default: 10 wrong codes per 10 minutes per address. */
export const DEFAULT_KIOSK_PAIRING_IP_LIMIT: RateLimit = { max: 10, windowMs: 10 * 60_000 };

export interface PairingLimitContext {
  kioskPairingLimiter?: DbRateLimiter | null;
  forwardSecret?: string | null;
  log: Logger;
}

/** A wrong code reserved for an address before the call (sec21); `settleKioskPairing` keeps or gives it back. */
export interface PairingReservation {
  readonly address: string;
  readonly resetAtMs: number;
}

/**
 * When this call is a code exchange to be limited: counts it for the caller's address BEFORE the call and returns
 * the reservation, else null. Refuses (throws the 429) when the address is over its wrong codes with this one.
 * sec21: before, the address was only checked here and counted after the answer, so a parallel burst of 30 wrong
 * codes all passed the check before any was counted and reached the database 30 times; a reservation is taken in
 * one statement (auth.rate_limits upsert), so at most `max` exchanges per window and address pass, however many
 * run at once. A refused exchange is given back (fix21d; it never reached the database) and does not lengthen the
 * fixed window.
 */
export async function checkKioskPairing(
  req: IncomingMessage,
  ctx: PairingLimitContext,
  role: string,
  schema: string,
  name: string,
): Promise<PairingReservation | null> {
  if (
    !ctx.kioskPairingLimiter ||
    schema !== 'public' ||
    name !== KIOSK_PAIRING_RPC ||
    role === 'service_role'
  )
    return null;
  const address = limitAddress(req, ctx.forwardSecret);
  const a = await ctx.kioskPairingLimiter.take(address);
  if (a.ok) return { address, resetAtMs: a.resetAtMs };
  // fix21d: a refused exchange never reaches the database, so it is no wrong code: given back. The address stays
  // locked all the same (its kept wrong codes fill the window), and a take that runs before this give-back only
  // sees more, never fewer; before, the 11th and 12th of a tablet's burst of one right code stayed counted.
  await ctx.kioskPairingLimiter.giveBack(address, a.resetAtMs);
  throw addressLimitError(ctx.log, {
    rpc: name,
    limit: 'kiosk_pairing_ip',
    code: 'KIOSK.TOO_MANY_ATTEMPTS',
    reason: 'pairing_address',
    hint: 'Too many wrong pairing codes from this network; try again later.',
    retryAfterSeconds: a.retryAfterSeconds,
    address,
    resetAtMs: a.resetAtMs,
  });
}

/**
 * After the call: only a 200 `{paired: false}` answer is a wrong code, which keeps its reservation; any other
 * outcome (paired, an error, a thrown call: `status` null) gives it back, so right codes are still not counted;
 * so does `{paired: false, reason: 'used'}`, a right code another exchange of the same burst had just spent (fix21d).
 */
export async function settleKioskPairing(
  ctx: PairingLimitContext,
  reservation: PairingReservation | null,
  status: number | null,
  body: string | null,
): Promise<void> {
  if (!reservation || !ctx.kioskPairingLimiter) return;
  let paired: unknown;
  let reason: unknown;
  if (status === 200 && body !== null) {
    try {
      const answer = JSON.parse(body) as { paired?: unknown; reason?: unknown } | null;
      paired = answer?.paired;
      reason = answer?.reason;
    } catch {
      paired = undefined;
    }
  }
  // fix21d: a right code that was just spent (a tablet's double submit; the database answers reason 'used' only
  // for a code used in the last minute) is not a wrong guess: given back like a pairing
  if (paired === false && reason !== 'used') return;
  await ctx.kioskPairingLimiter.giveBack(reservation.address, reservation.resetAtMs);
}
