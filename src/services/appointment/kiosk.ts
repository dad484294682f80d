/**
 * The kiosk's use cases (kiosk17), loaded on first use by BookingService: check-in by a paired tablet's device
 * token with the ticket AND the last 4 digits of the patient's phone, and the staff side (pair, list, unpair).
 * The database decides (20261216200001_kiosk_devices.sql); this only refuses what cannot be an answer.
 */
import { appError, ErrorCodes } from '../shared/AppError';
import { readPhoneField } from '../shared/phoneField';
import { err, ok } from '../shared/Result';
import type { BookingRepository, DeviceKind, KioskTicket } from './repositories/BookingRepository';

/**
 * A walk-in's ticket as the kiosk prints it: with the visit's tracking link (BookingService's trackingUrl — the
 * deployment's public address, else the page's origin), never built from the tablet's own address alone.
 */
export type LinkedKioskTicket = KioskTicket & { readonly trackingUrl: string | null };

/**
 * The kiosk's two answers as typed (kioskNeedsTicketAndPhoneDigits): a ticket (A-014, A14, a-14 or 14 — the
 * clinic's prefix is checked by the database) and the phone's last 4 digits; Arabic-Indic (٠…٩) and extended
 * (۰…۹) digits, as an Arabic keyboard types them, are read as digits. null: not a valid answer.
 */
const kioskAnswer = (s: string, shape: RegExp): string | null => {
  const v = s
    .slice(0, 40)
    .replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0xf))
    .replace(/\s/g, '')
    .toUpperCase();
  return shape.test(v) ? v : null;
};
const kioskInvalid = () =>
  err(
    appError(ErrorCodes.VALIDATION_FAILED, 'a ticket code and the last 4 digits of the phone are required'),
  );
const kioskUnpaired = () =>
  err(appError(ErrorCodes.KIOSK_NOT_PAIRED, 'this tablet is not paired as a kiosk'));
/** An id as BookingService takes them (1–200 characters; the database checks what it is). */
const anId = /^[^\s]{1,200}$/;
const badId = () => err(appError(ErrorCodes.VALIDATION_FAILED, 'a valid id is required'));
const badToken = (t: string) => t.length < 32 || t.length > 200;

export function kioskCheckIn(
  repo: BookingRepository,
  kioskToken: string,
  ticket: string,
  phoneLast4: string,
) {
  if (badToken(kioskToken)) return Promise.resolve(kioskUnpaired());
  const t = kioskAnswer(ticket, /^(?:[A-Z]{1,3}-?)?[0-9]{1,6}$/);
  const d = kioskAnswer(phoneLast4, /^[0-9]{4}$/);
  if (t === null || d === null) return Promise.resolve(kioskInvalid());
  return repo.kioskCheckIn(kioskToken, t, d);
}

export function kiosk(repo: BookingRepository, kioskToken: string) {
  return badToken(kioskToken) ? Promise.resolve(kioskUnpaired()) : repo.kiosk(kioskToken);
}

// `kind` 'board': the same for a waiting-room board screen (board18: its key lets the board show names)
export function pairKiosk(repo: BookingRepository, clinicId: string, label: string, kind?: DeviceKind) {
  if (!anId.test(clinicId)) return Promise.resolve(badId());
  if (label.trim().length > 80) return Promise.resolve(kioskInvalid());
  return repo.pairKiosk(clinicId, label.trim(), kind);
}

export function kiosks(repo: BookingRepository, clinicId: string, kind?: DeviceKind) {
  return anId.test(clinicId) ? repo.kiosks(clinicId, kind) : Promise.resolve(badId());
}

/**
 * boardDeviceRooms (board20): the rooms a paired board screen shows ([] = every room) — at most 20, each 1–40
 * characters after trimming; whether they are the clinic's rooms is the database's to say (BOARD.ROOM_UNKNOWN).
 */
export function setBoardRooms(repo: BookingRepository, deviceId: string, rooms: readonly string[]) {
  if (!anId.test(deviceId)) return Promise.resolve(badId());
  const clean = [...new Set(rooms.map((r) => r.trim()))];
  if (clean.length > 20 || clean.some((r) => r.length < 1 || r.length > 40))
    return Promise.resolve(kioskInvalid());
  return repo.setBoardRooms(deviceId, clean);
}

export function revokeKiosk(repo: BookingRepository, deviceId: string, kind?: DeviceKind) {
  return anId.test(deviceId) ? repo.revokeKiosk(deviceId, kind) : Promise.resolve(badId());
}

/**
 * kioskWalkIn (kiosk17f): a name (1–200 characters after trimming) and a phone, required at the kiosk — its
 * check-in asks for the phone's last 4 digits and the "your turn" SMS needs it. The phone is read as every form
 * reads one (06…, +212…, Arabic-Indic digits; PHONE.INVALID otherwise) and sent in E.164.
 */
export async function kioskRegisterWalkIn(
  repo: BookingRepository,
  kioskToken: string,
  input: { fullName: string; phone: string; language: 'ar' | 'fr' | 'en' | null },
  link: (trackingToken: string) => string,
) {
  if (badToken(kioskToken)) return kioskUnpaired();
  const name = input.fullName.trim().replace(/\s+/g, ' ');
  if (name.length < 1 || name.length > 200)
    return err(appError(ErrorCodes.VALIDATION_FAILED, 'a name (1-200 characters) is required'));
  if (input.phone.trim() === '')
    return err(appError(ErrorCodes.PHONE_INVALID, 'a phone number is required at the kiosk'));
  const phone = await readPhoneField(input.phone);
  if (!phone.ok) return phone;
  const r = await repo.kioskRegisterWalkIn(kioskToken, name, phone.value ?? '', input.language);
  if (!r.ok) return r;
  const token = r.value.trackingToken;
  return ok<LinkedKioskTicket>({ ...r.value, trackingUrl: token === null ? null : link(token) });
}

export function createKioskPairingCode(repo: BookingRepository, clinicId: string, label: string) {
  if (!anId.test(clinicId)) return Promise.resolve(badId());
  if (label.trim().length > 80) return Promise.resolve(kioskInvalid());
  return repo.createKioskPairingCode(clinicId, label.trim());
}

/** A pairing code as typed (ABCD-EFGH, abcd efgh …): 8 letters and digits once separators are dropped. */
export function redeemKioskPairingCode(repo: BookingRepository, code: string) {
  const c = code.slice(0, 40).replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]{8}$/.test(c))
    return Promise.resolve(
      err(appError(ErrorCodes.VALIDATION_FAILED, 'a pairing code is 8 letters and digits')),
    );
  return repo.redeemKioskPairingCode(c);
}
