/* QueueMed web push worker (issue 20), registered by the tracker (scope /t/) when the patient opts in.
 * The server sends the text already rendered in the patient's language (ar, fr, en) with its direction; this
 * worker only shows it. One notification per visit (tag): "you are called" replaces "your turn is near".
 * A tap opens (or focuses) the visit's tracker. */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const lang = data.lang === 'ar' || data.lang === 'fr' || data.lang === 'en' ? data.lang : 'fr';
  const title = typeof data.title === 'string' && data.title ? data.title : 'QueueMed';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === 'string' ? data.body : '',
      lang,
      dir: data.dir === 'rtl' ? 'rtl' : data.dir === 'ltr' ? 'ltr' : lang === 'ar' ? 'rtl' : 'ltr',
      tag: typeof data.tag === 'string' ? data.tag : 'queuemed',
      renotify: true,
      requireInteraction: data.kind === 'your_turn',
      data: { url: typeof data.url === 'string' ? data.url : null, kind: data.kind ?? null },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url;
  if (!url) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
      for (const c of list) if (c.url === url && 'focus' in c) return c.focus();
      return self.clients.openWindow(url);
    }),
  );
});
