/**
 * The tablet's kiosk device token (kiosk17): set once when a staff member pairs the tablet, kept in this browser
 * (localStorage, so a reload or a reboot keeps the kiosk running), cleared when the database says the pairing was
 * revoked. It is not a staff credential: it opens only the kiosk's own RPCs of its clinic.
 */
import { useCallback, useState } from 'react';

export const KIOSK_TOKEN_KEY = 'queuemed.kiosk.token';

function read(): string | null {
  try {
    return window.localStorage.getItem(KIOSK_TOKEN_KEY);
  } catch {
    return null; // storage disabled: the tablet is paired for this page only
  }
}

export function useKioskToken(): [string | null, (token: string | null) => void] {
  const [token, setToken] = useState<string | null>(read);
  const save = useCallback((next: string | null) => {
    try {
      if (next === null) window.localStorage.removeItem(KIOSK_TOKEN_KEY);
      else window.localStorage.setItem(KIOSK_TOKEN_KEY, next);
    } catch {
      /* kept in memory only */
    }
    setToken(next);
  }, []);
  return [token, save];
}
