/**
 * Issue 20, web push as a patient reaches it: a patient joins a clinic's queue of today from their phone (the
 * remote join, on a clinic of its own built here), presses "Notify me on this phone" on the tracker — the push
 * code loads only then — and the desk's Call next makes the server push "you are called" to that browser; the
 * service worker shows it as a notification. The message log records a push (cost 0), and no SMS.
 *
 * Headless Chromium has no push service offline: PushManager.subscribe() there fails (no registration with the
 * browser vendor's push service is possible from this machine). So the browser's subscribe() is replaced by one
 * answering a subscription whose endpoint is a push service of this test on 127.0.0.1 and whose keys the test
 * holds. Everything else is the app's own code and the real thing: the button, the service worker registration,
 * the permission, the hook, push_subscribe, the desk's call, send-sms, web-push's encryption and VAPID signature
 * (checked here), and the worker showing the notification — the server's encrypted request, decrypted with the
 * browser's key, is handed to the registered worker with the DevTools Protocol's ServiceWorker.deliverPushMessage.
 */
import { createECDH, createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
// @ts-expect-error — http_ece (web-push's own payload encryption) has no type declarations
import ece from 'http_ece';
import { joinEn as joinUi } from '../../src/i18n/locales/ui/join.en';
import { uiEn } from '../../src/i18n/locales/ui/en';
import { LIVE, newContext, newOwnerClinic, serviceRest, signIn, signInByPhone } from './helpers';
import { bookingEn } from '../../src/i18n/locales/ui/booking.en';

const PHONE = '0600000233';

interface Pushed {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

test('the tracker subscribes to web push and a call next shows "you are called" as a notification', async ({
  browser,
}) => {
  // a push service of our own on 127.0.0.1 (port 0: a free one)
  const pushed: Pushed[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pushed.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const pushOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // the browser's keys, as a real subscription would hold them
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  const endpoint = `${pushOrigin}/push/${randomBytes(8).toString('hex')}`;

  const setupCtx = await newContext(browser, { lang: 'en' });
  const setup = await setupCtx.newPage();
  const { email, clinicId, slug } = await newOwnerClinic(setup, 'push', 'Cabinet Push');
  await serviceRest(setup, 'PATCH', `clinics?id=eq.${clinicId}`, { remote_join_cap: 3 });
  await serviceRest(
    setup,
    'POST',
    'working_hours',
    [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
      clinic_id: clinicId,
      weekday,
      starts_at: '00:00',
      ends_at: '24:00',
    })),
  );
  const { vapidPublicKey } = (await (await setup.request.get('/config.json')).json()) as {
    vapidPublicKey: string;
  };
  expect(vapidPublicKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);

  // the patient's phone: joins today's queue and lands on the tracker
  const ctx = await newContext(browser, { lang: 'en', mobile: true });
  await ctx.grantPermissions(['notifications']);
  await ctx.addInitScript(
    ({ endpoint, p256dh, auth }) => {
      // no push service offline: the subscription the browser would have made, with the test's endpoint and keys
      const fake = {
        endpoint,
        expirationTime: null,
        options: { userVisibleOnly: true, applicationServerKey: null as ArrayBuffer | null },
        toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
        unsubscribe: async () => true,
        getKey: () => null,
      };
      let made: typeof fake | null = null;
      PushManager.prototype.subscribe = async function (opts?: PushSubscriptionOptionsInit) {
        const k = opts?.applicationServerKey;
        fake.options.applicationServerKey =
          k instanceof ArrayBuffer
            ? k
            : k
              ? (new Uint8Array(k as ArrayBufferView as Uint8Array).buffer as ArrayBuffer)
              : null;
        (window as unknown as { subscribedWith: string }).subscribedWith = btoa(
          String.fromCharCode(...new Uint8Array(fake.options.applicationServerKey ?? new ArrayBuffer(0))),
        );
        made = fake;
        return fake as unknown as PushSubscription;
      };
      PushManager.prototype.getSubscription = async () => made as unknown as PushSubscription | null;
    },
    { endpoint, p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
  );
  const page = await ctx.newPage();
  await signInByPhone(page, PHONE, `/c/${slug}`);
  const card = page.getByRole('region', { name: joinUi.title });
  await card.getByLabel(bookingEn.yourName).fill('Salma Push');
  await card.getByRole('button', { name: joinUi.join }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/t/'), LIVE);
  await expect(page.getByTestId('tracker-status')).toHaveText(uiEn.status.waiting, LIVE);

  // nothing asked, no worker, no push code before the press
  const optIn = page.getByTestId('tracker-push');
  await expect(optIn).toHaveAttribute('data-state', 'off', LIVE);
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
  await optIn.getByRole('button', { name: uiEn.tracker.push.enable }).click();
  await expect(optIn).toHaveAttribute('data-state', 'on', LIVE);
  await expect(optIn.getByRole('status')).toHaveText(uiEn.tracker.push.on);
  expect(scripts.some((u) => /browserPush/.test(u))).toBe(true);
  // subscribed with the server's VAPID key, and stored for this visit
  const usedKey = await page.evaluate(() => (window as unknown as { subscribedWith: string }).subscribedWith);
  expect(Buffer.from(usedKey, 'base64').toString('base64url')).toBe(vapidPublicKey);
  const entryId = String(
    (await serviceRest(setup, 'GET', `push_subscriptions?clinic_id=eq.${clinicId}&select=entry_id,endpoint`))
      .map((r) => {
        expect(r.endpoint).toBe(endpoint);
        return r.entry_id;
      })
      .at(0),
  );

  // the desk calls next: the server pushes to the subscription
  const deskCtx = await newContext(browser, { lang: 'en' });
  const desk = await deskCtx.newPage();
  await signIn(desk, email);
  await desk.getByRole('button', { name: /^Call next/ }).click();
  await expect(page.getByTestId('tracker-status')).toHaveText(uiEn.tracker.calledTitle, LIVE);
  await expect.poll(() => pushed.length, LIVE).toBe(1);
  const got = pushed[0]!;
  expect(got.path).toBe(new URL(endpoint).pathname);
  expect(got.headers['content-encoding']).toBe('aes128gcm');
  // VAPID (RFC 8292): a JWT for our push service's origin, signed with the key the tracker subscribed with
  const m = /^vapid t=([^,]+), k=(.+)$/.exec(String(got.headers.authorization));
  expect(m?.[2]).toBe(vapidPublicKey);
  const [h, p, s] = m![1]!.split('.');
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: Buffer.from(vapidPublicKey, 'base64url').subarray(1, 33).toString('base64url'),
    y: Buffer.from(vapidPublicKey, 'base64url').subarray(33).toString('base64url'),
  };
  expect(
    verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(s!, 'base64url'),
    ),
  ).toBe(true);
  expect(JSON.parse(Buffer.from(p!, 'base64url').toString()).aud).toBe(pushOrigin);
  // only the browser's key opens the payload: the server's text for this visit
  const payload = JSON.parse(
    (ece.decrypt(got.body, { version: 'aes128gcm', privateKey: ecdh, authSecret }) as Buffer).toString(),
  ) as { title: string; body: string; lang: string; dir: string; tag: string; kind: string };
  const [logged] = await serviceRest(
    setup,
    'GET',
    `notifications?entry_id=eq.${entryId}&kind=eq.your_turn&select=channel,status,cost,body,language`,
  );
  expect(logged).toMatchObject({ channel: 'push', status: 'sent' });
  expect(Number(logged!.cost)).toBe(0);
  expect(payload).toMatchObject({
    title: 'Cabinet Push',
    body: logged!.body,
    lang: logged!.language,
    dir: logged!.language === 'ar' ? 'rtl' : 'ltr',
    tag: `queuemed-visit-${entryId}`,
    kind: 'your_turn',
  });
  // no SMS for it (the push went through)
  expect(
    await serviceRest(
      setup,
      'GET',
      `notifications?entry_id=eq.${entryId}&kind=eq.your_turn&channel=eq.sms&select=id`,
    ),
  ).toEqual([]);

  // the push service hands the payload to the browser's worker: it shows the notification
  const cdp = await ctx.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) =>
    cdp.on(
      'ServiceWorker.workerRegistrationUpdated',
      (e: { registrations: { registrationId: string; scopeURL: string }[] }) => {
        const r = e.registrations.find((x) => x.scopeURL.endsWith('/t/'));
        if (r) resolve(r.registrationId);
      },
    ),
  );
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: new URL(page.url()).origin,
    registrationId: await registrationId,
    data: JSON.stringify(payload),
  });
  const shown = () =>
    page.evaluate(async () =>
      (await (await navigator.serviceWorker.getRegistration('/t/'))!.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        dir: n.dir,
        lang: n.lang,
        tag: n.tag,
      })),
    );
  await expect
    .poll(shown, LIVE)
    .toEqual([
      { title: 'Cabinet Push', body: payload.body, dir: payload.dir, lang: payload.lang, tag: payload.tag },
    ]);

  // revoke: the subscription is gone from the server
  await optIn.getByRole('button', { name: uiEn.tracker.push.off }).click();
  await expect(optIn).toHaveAttribute('data-state', 'off', LIVE);
  expect(await serviceRest(setup, 'GET', `push_subscriptions?entry_id=eq.${entryId}&select=id`)).toEqual([]);

  await deskCtx.close();
  await ctx.close();
  await setupCtx.close();
  server.close();
});
