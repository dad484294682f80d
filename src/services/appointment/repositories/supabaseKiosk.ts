/**
 * The kiosk's RPCs and table read (kiosk17), loaded on first use by SupabaseBookingRepository so that only the
 * kiosk's screens carry them: kiosk_check_in and get_kiosk (the tablet's device token, as anon), pair_kiosk,
 * revoke_kiosk and kiosk_devices (staff, RLS: their clinic's kiosks, never the token's hash).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from '../../shared/zod';
import { err } from '../../shared/Result';
import { fromResponse, thrownToAppError } from '../../shared/repositories/postgrest';
import type { KioskCheckIn, KioskDevice, PairedKiosk } from './BookingRepository';

const guard = async <T>(fn: () => Promise<T>) => {
  try {
    return await fn();
  } catch (e) {
    return err(thrownToAppError(e));
  }
};

const KioskCheckInRow = z.pipe(
  z.discriminatedUnion('found', [
    z.object({ found: z.literal(false) }),
    z.object({
      found: z.literal(true),
      entry_id: z.string(),
      ticket: z.string(),
      status: z.string(),
      position: z.nullable(z.number().check(z.int(), z.gt(0))),
    }),
  ]),
  z.transform((r): KioskCheckIn =>
    r.found
      ? { found: true, entryId: r.entry_id, ticket: r.ticket, status: r.status, position: r.position }
      : { found: false },
  ),
);

const KioskDeviceRow = z.pipe(
  z.object({ id: z.string(), label: z.string(), clinic_id: z.string(), clinic_name: z.string() }),
  z.transform((r): KioskDevice => ({
    id: r.id,
    label: r.label,
    clinicId: r.clinic_id,
    clinicName: r.clinic_name,
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
    }),
  ),
  z.transform((rows): readonly PairedKiosk[] =>
    rows.map((r) => ({
      id: r.id,
      label: r.label,
      pairedAt: r.paired_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
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

export const pairKiosk = (client: SupabaseClient, clinicId: string, label: string) =>
  guard(async () =>
    fromResponse(
      await client.rpc('pair_kiosk', { p_clinic_id: clinicId, p_label: label }),
      KioskPairingRow,
      'pair_kiosk',
    ),
  );

export const kiosks = (client: SupabaseClient, clinicId: string) =>
  guard(async () =>
    fromResponse(
      await client
        .from('kiosk_devices')
        .select('id, label, paired_at, last_used_at, revoked_at')
        .eq('clinic_id', clinicId)
        .order('paired_at', { ascending: false }),
      PairedKioskRows,
      'kiosk_devices',
    ),
  );

export const revokeKiosk = (client: SupabaseClient, deviceId: string) =>
  guard(async () =>
    fromResponse(
      await client.rpc('revoke_kiosk', { p_device_id: deviceId }),
      z.object({ id: z.string() }),
      'revoke_kiosk',
    ),
  );
