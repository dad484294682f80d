/**
 * The tracker's side of web push (issue 20), loaded only when the patient presses "notify me" (never on load, so
 * the tracker's entry stays light and no permission is asked without a gesture): registers the push service
 * worker (/push-sw.js, scope /t/), asks the browser's permission, subscribes with the server's VAPID public key
 * and answers what the server stores (endpoint + keys). Nothing here talks to our backend: the hook hands the
 * subscription to the tracker's port (push_subscribe).
 */
/** What the server stores of a browser's PushSubscription (its toJSON()): where to push, the keys to encrypt for. */
export interface WebPushSubscription {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

export type BrowserPushResult =
  | { ok: true; subscription: WebPushSubscription }
  | { ok: false; reason: 'unsupported' | 'denied' | 'failed' };

export const PUSH_WORKER_URL = '/push-sw.js';
export const PUSH_WORKER_SCOPE = '/t/';

/** Whether this browser can do web push at all (a cheap check: no worker registered, nothing asked). */
export const browserCanPush = (): boolean =>
  typeof window !== 'undefined' &&
  window.isSecureContext &&
  'serviceWorker' in navigator &&
  'PushManager' in window &&
  'Notification' in window;

const fromBase64Url = (s: string): Uint8Array<ArrayBuffer> => {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
};

/** The subscription's JSON as the server stores it; null when the browser gave no keys. */
export const subscriptionJson = (sub: PushSubscription): WebPushSubscription | null => {
  const j = sub.toJSON();
  const p256dh = j.keys?.p256dh;
  const auth = j.keys?.auth;
  return j.endpoint && p256dh && auth ? { endpoint: j.endpoint, p256dh, auth } : null;
};

/** Resolves once the registration has an active worker (pushManager.subscribe needs one). */
const activated = (reg: ServiceWorkerRegistration): Promise<void> =>
  new Promise((resolve, reject) => {
    if (reg.active) return resolve();
    const w = reg.installing ?? reg.waiting;
    if (!w) return reject(new Error('no service worker'));
    w.addEventListener('statechange', () => {
      if (w.state === 'activated') resolve();
      else if (w.state === 'redundant') reject(new Error('service worker redundant'));
    });
  });

/** Registers the worker, asks permission (the caller is a click handler), subscribes. */
export async function subscribeThisBrowser(vapidPublicKey: string): Promise<BrowserPushResult> {
  if (!browserCanPush()) return { ok: false, reason: 'unsupported' };
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return { ok: false, reason: 'denied' };
  try {
    // not `serviceWorker.ready`: it waits for a worker of the page's FIRST address, and a tracker reached by the
    // app's own navigation (joining from the clinic's page) was created at /c/…, outside the worker's scope
    const reg = await navigator.serviceWorker.register(PUSH_WORKER_URL, { scope: PUSH_WORKER_SCOPE });
    await activated(reg);
    const key = fromBase64Url(vapidPublicKey);
    let sub = await reg.pushManager.getSubscription();
    // a subscription made for another server key can't receive our pushes: replaced
    const same =
      sub?.options.applicationServerKey &&
      new Uint8Array(sub.options.applicationServerKey).every((b, i) => b === key[i]);
    if (sub && !same) {
      await sub.unsubscribe();
      sub = null;
    }
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const json = subscriptionJson(sub);
    return json ? { ok: true, subscription: json } : { ok: false, reason: 'failed' };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}
