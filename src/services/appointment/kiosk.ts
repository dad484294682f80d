/**
 * The kiosk's use cases (kiosk17), loaded on first use by BookingService: check-in by a paired tablet's device
 * token with the ticket AND the last 4 digits of the patient's phone, and the staff side (pair, list, unpair).
 * The database decides (20261216200001_kiosk_devices.sql); this only refuses what cannot be an answer.
 */
import { appError, ErrorCodes } from '../shared/AppError';
import { err } from '../shared/Result';
import type { BookingRepository } from './repositories/BookingRepository';

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

export function pairKiosk(repo: BookingRepository, clinicId: string, label: string) {
  if (!anId.test(clinicId)) return Promise.resolve(badId());
  if (label.trim().length > 80) return Promise.resolve(kioskInvalid());
  return repo.pairKiosk(clinicId, label.trim());
}

export function kiosks(repo: BookingRepository, clinicId: string) {
  return anId.test(clinicId) ? repo.kiosks(clinicId) : Promise.resolve(badId());
}

export function revokeKiosk(repo: BookingRepository, deviceId: string) {
  return anId.test(deviceId) ? repo.revokeKiosk(deviceId) : Promise.resolve(badId());
}
