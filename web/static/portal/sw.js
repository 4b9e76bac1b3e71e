// The customer portal's service worker (scope /portal/): shows Web Push notifications about the
// customer's tickets while no portal page is open, and opens the ticket when one is clicked.
// Payload: { title, body?, url?, tag? } (server/src/domain/notifications/web-push.ts); a tag
// `conv-<id>` names the ticket.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: event.data ? event.data.text() : 'Support' };
  }
  const conv = typeof data.tag === 'string' && /^conv-[0-9a-f-]{36}$/.test(data.tag) ? data.tag.slice(5) : null;
  event.waitUntil(
    self.registration.showNotification(data.title || 'Support', {
      body: data.body || '',
      tag: data.tag,
      data: { url: conv ? `/portal/tickets/${conv}` : '/portal' },
      icon: '/favicon.svg',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || '/portal', self.location.origin);
  // Only the portal's own pages: a payload cannot send the customer elsewhere.
  const target =
    url.origin === self.location.origin && url.pathname.startsWith('/portal') ? url.href : `${self.location.origin}/portal`;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((wins) => {
      for (const w of wins) if ('focus' in w) return w.navigate(target).then((c) => c?.focus());
      return self.clients.openWindow(target);
    }),
  );
});
