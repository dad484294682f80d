/**
 * The kiosk's RPCs and table read (kiosk17), loaded on first use by SupabaseBookingRepository so that only the
 * kiosk's screens carry them: kiosk_check_in and get_kiosk (the tablet's device token, as anon), pair_kiosk,
 * revoke_kiosk and kiosk_devices (staff, RLS: their clinic's kiosks, never the token's hash).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { fromResponse, guard } from '../../shared/repositories/postgrest';
import type {
  DeviceKind,
  KioskCheckIn,
  KioskDevice,
  KioskPairingCode,
  KioskRedeemed,
  KioskTicket,
  PairedKiosk,
} from './BookingRepository';

// what a kiosk ticket prints (kiosk17f): issued_at is the clinic's local time by the server's clock
const ticketFields = {
  entry_id: z.string(),
  ticket: z.string(),
  status: z.string(),
  position: z.nullable(z.number().check(z.int(), z.gt(0))),
  issued_at: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)),
  clinic_name: z.string(),
};
type TicketRow = {
  entry_id: string;
  ticket: string;
  status: string;
  position: number | null;
  issued_at: string;
  clinic_name: string;
};
const toTicket = (r: TicketRow, trackingToken: string | null): KioskTicket => ({
  entryId: r.entry_id,
  ticket: r.ticket,
  position: r.position,
  issuedAt: r.issued_at,
  clinicName: r.clinic_name,
  trackingToken,
});

const KioskCheckInRow = z.pipe(
  z.discriminatedUnion('found', [
    z.object({ found: z.literal(false) }),
    z.object({ found: z.literal(true), ...ticketFields }),
  ]),
  z.transform((r): KioskCheckIn =>
    r.found ? { found: true, status: r.status, ...toTicket(r, null) } : { found: false },
  ),
);

const KioskWalkInRow = z.pipe(
  z.object({ ...ticketFields, tracking_token: z.string().check(z.minLength(32)) }),
  z.transform((r): KioskTicket => toTicket(r, r.tracking_token)),
);

const KioskPairingCodeRow = z.pipe(
  z.object({ code: z.string(), label: z.string(), expires_at: z.string() }),
  z.transform((r): KioskPairingCode => ({ code: r.code, label: r.label, expiresAt: r.expires_at })),
);

const KioskRedeemedRow = z.pipe(
  z.discriminatedUnion('paired', [
    z.object({ paired: z.literal(false) }),
    z.object({
      paired: z.literal(true),
      id: z.string(),
      label: z.string(),
      token: z.string().check(z.minLength(32)),
    }),
  ]),
  z.transform((r): KioskRedeemed =>
    r.paired ? { paired: true, id: r.id, label: r.label, token: r.token } : { paired: false },
  ),
);

const KioskDeviceRow = z.pipe(
  z.object({
    id: z.string(),
    label: z.string(),
    clinic_id: z.string(),
    clinic_name: z.string(),
    // board20: absent from a database before 20261220300003, where walk-ins were always on
    walk_ins: z.optional(z.boolean()),
  }),
  z.transform((r): KioskDevice => ({
    id: r.id,
    label: r.label,
    clinicId: r.clinic_id,
    clinicName: r.clinic_name,
    walkIns: r.walk_ins ?? true,
  })),
);
const KioskPairingRow = z.object({
  id: z.string(),
  label: z.string(),
  token: z.string().check(z.minLength(32)),
});
const PairedKioskRows = z.pipe(
  z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      paired_at: z.string(),
      last_used_at: z.nullable(z.string()),
      revoked_at: z.nullable(z.string()),
      rooms: z.optional(z.nullable(z.array(z.string()))),
      revoked_reason: z.nullable(z.literal('pairer_left')),
    }),
  ),
  z.transform((rows): readonly PairedKiosk[] =>
    rows.map((r) => ({
      id: r.id,
      label: r.label,
      pairedAt: r.paired_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
      rooms: r.rooms ?? null,
      revokedReason: r.revoked_reason,
    })),
  ),
);

export const kioskCheckIn = (
  client: SupabaseClient,
  kioskToken: string,
  ticket: string,
  phoneLast4: string,
) =>
  guard(async () =>
    fromResponse(
      await client.rpc('kiosk_check_in', {
        p_kiosk_token: kioskToken,
        p_ticket: ticket,
        p_phone_last4: phoneLast4,
      }),
      KioskCheckInRow,
      'kiosk_check_in',
    ),
  );

export const kiosk = (client: SupabaseClient, kioskToken: string) =>
  guard(async () =>
    fromResponse(await client.rpc('get_kiosk', { p_kiosk_token: kioskToken }), KioskDeviceRow, 'get_kiosk'),
  );

// a board screen (board18) is a device of the same table with kind 'board', paired and unpaired by its own RPCs
export const pairKiosk = (
  client: SupabaseClient,
  clinicId: string,
  label: string,
  kind: DeviceKind = 'kiosk',
) =>
  guard(async () =>
    fromResponse(
      await client.rpc(`pair_${kind}`, { p_clinic_id: clinicId, p_label: label }),
      KioskPairingRow,
      `pair_${kind}`,
    ),
  );

export const kiosks = (client: SupabaseClient, clinicId: string, kind: DeviceKind = 'kiosk') =>
  guard(async () =>
    fromResponse(
      await client
        .from('kiosk_devices')
        .select(
          `id, label, paired_at, last_used_at, revoked_at, revoked_reason${kind === 'board' ? ', rooms' : ''}`,
        )
        .eq('clinic_id', clinicId)
        .eq('kind', kind)
        .order('paired_at', { ascending: false }),
      PairedKioskRows,
      'kiosk_devices',
    ),
  );

export const revokeKiosk = (client: SupabaseClient, deviceId: string, kind: DeviceKind = 'kiosk') =>
  guard(async () =>
    fromResponse(
      await client.rpc(`revoke_${kind}`, { p_device_id: deviceId }),
      z.object({ id: z.string() }),
      `revoke_${kind}`,
    ),
  );

export const kioskRegisterWalkIn = (
  client: SupabaseClient,
  kioskToken: string,
  fullName: string,
  phone: string,
  language: 'ar' | 'fr' | 'en' | null,
) =>
  guard(async () =>
    fromResponse(
      await client.rpc('kiosk_register_walk_in', {
        p_kiosk_token: kioskToken,
        p_full_name: fullName,
        p_phone: phone,
        p_language: language,
      }),
      KioskWalkInRow,
      'kiosk_register_walk_in',
    ),
  );

export const createKioskPairingCode = (client: SupabaseClient, clinicId: string, label: string) =>
  guard(async () =>
    fromResponse(
      await client.rpc('create_kiosk_pairing_code', { p_clinic_id: clinicId, p_label: label }),
      KioskPairingCodeRow,
      'create_kiosk_pairing_code',
    ),
  );

export const redeemKioskPairingCode = (client: SupabaseClient, code: string) =>
  guard(async () =>
    fromResponse(
      await client.rpc('redeem_kiosk_pairing_code', { p_code: code }),
      KioskRedeemedRow,
      'redeem_kiosk_pairing_code',
    ),
  );

// board20: a paired board screen's rooms (set_board_rooms: rooms of its clinic only; [] = every room)
export const setBoardRooms = (client: SupabaseClient, deviceId: string, rooms: readonly string[]) =>
  guard(async () =>
    fromResponse(
      await client.rpc('set_board_rooms', { p_device_id: deviceId, p_rooms: [...rooms] }),
      z.pipe(
        z.object({ id: z.string(), rooms: z.nullable(z.array(z.string())) }),
        z.transform((r): readonly string[] | null => r.rooms),
      ),
      'set_board_rooms',
    ),
  );
