/**
 * `PhoneNumber` (libphonenumber-js with full metadata, ≈ 49 KiB gzipped) loaded on first use: a phone is
 * only parsed when a form with one is submitted (walk-in, invitation, kiosk …), so the staff screens render
 * without the metadata (issue 14: the desk's first render). One module instance, fetched once; a form may
 * call `loadPhoneNumber()` when it opens so the submit does not wait.
 */
import type * as PhoneNumberModule from './models/PhoneNumber';

let loading: Promise<typeof PhoneNumberModule> | undefined;

export function loadPhoneNumber(): Promise<typeof PhoneNumberModule> {
  loading ??= import('./models/PhoneNumber').catch((e: unknown) => {
    loading = undefined; // a failed chunk fetch (offline) is retried on the next submit
    throw e;
  });
  return loading;
}
