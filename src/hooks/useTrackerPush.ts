/**
 * Web push on the tracker (issue 20): "notify me on this phone". Nothing is asked on load: the browser code
 * (service worker, permission, subscription — services/notification/channels/browserPush) is downloaded when the
 * patient presses the button, then the subscription goes to the server by the visit's link (push_subscribe).
 * Revoking removes this browser's subscription of this visit. Which visits this browser opted in is remembered
 * on the device (localStorage), so the tracker shows "on" after a reload without touching the push APIs.
 */
import { useCallback, useState } from 'react';
import type { AppError } from '../services/shared/AppError';
import { useBackendConfig } from './BackendConfig';
import { usePublicScreens } from './PublicScreensContext';

export type TrackerPushState = 'off' | 'on' | 'busy' | 'denied' | 'failed';

const storageKey = (token: string) => `queuemed.push:${token}`;
const read = (token: string): string | null => {
  try {
    return window.localStorage.getItem(storageKey(token));
  } catch {
    return null;
  }
};
const write = (token: string, endpoint: string | null) => {
  try {
    if (endpoint === null) window.localStorage.removeItem(storageKey(token));
    else window.localStorage.setItem(storageKey(token), endpoint);
  } catch {
    /* private mode: remembered for this page only */
  }
};

export function useTrackerPush(token: string) {
  const { vapidPublicKey } = useBackendConfig();
  const port = usePublicScreens();
  const [state, setState] = useState<TrackerPushState>(() => (read(token) ? 'on' : 'off'));
  // offered only where it can work: a server key, and a browser with service workers, push and notifications
  const available =
    !!vapidPublicKey &&
    typeof window !== 'undefined' &&
    window.isSecureContext &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window;

  /** Asks, subscribes, stores; answers the server's refusal (to show), or null. */
  const enable = useCallback(async (): Promise<AppError | null> => {
    if (!vapidPublicKey) return null;
    setState('busy');
    const b = await import('../services/notification/channels/browserPush')
      .then((m) => m.subscribeThisBrowser(vapidPublicKey))
      .catch(() => ({ ok: false as const, reason: 'failed' as const })); // the chunk could not be loaded
    if (!b.ok) {
      setState(b.reason === 'denied' ? 'denied' : 'failed');
      return null;
    }
    const r = await (await port()).subscribePush(token, b.subscription);
    if (!r.ok) {
      setState('failed');
      return r.error;
    }
    write(token, b.subscription.endpoint);
    setState('on');
    return null;
  }, [port, token, vapidPublicKey]);

  /** Revokes this browser's subscription of this visit. */
  const disable = useCallback(async (): Promise<AppError | null> => {
    setState('busy');
    const r = await (await port()).unsubscribePush(token, read(token) ?? undefined);
    if (!r.ok) {
      setState('on');
      return r.error;
    }
    write(token, null);
    setState('off');
    return null;
  }, [port, token]);

  return { available, state, enable, disable };
}
