/** The tracking links this browser took (booking, remote join), kept so "My visits" can open them. */
export const TRACKING_STORAGE_KEY = 'queuemed.tracking';

export function rememberTrackingLink(entryId: string, trackingToken: string): void {
  try {
    const saved = JSON.parse(localStorage.getItem(TRACKING_STORAGE_KEY) ?? '{}') as Record<string, string>;
    localStorage.setItem(TRACKING_STORAGE_KEY, JSON.stringify({ ...saved, [entryId]: trackingToken }));
  } catch {
    /* storage unavailable or corrupt: the link is still shown */
  }
}
