// The workspace's service worker: shows Web Push notifications while no tab is open, and opens the
// conversation when one is clicked. Payload: { title, body?, url?, tag? } (server/src/domain/notifications/web-push.ts).
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: event.data ? event.data.text() : 'AutoCRM' };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || 'AutoCRM', {
      body: data.body || '',
      tag: data.tag,
      data: { url: data.url || '/inbox' },
      icon: '/favicon.svg',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || '/inbox', self.location.origin);
  // Only our own pages: a payload cannot send the agent elsewhere.
  const target = url.origin === self.location.origin ? url.href : `${self.location.origin}/inbox`;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((wins) => {
      for (const w of wins) if ('focus' in w) return w.navigate(target).then((c) => c?.focus());
      return self.clients.openWindow(target);
    }),
  );
});
