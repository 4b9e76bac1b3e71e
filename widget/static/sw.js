// The widget's service worker for Web Push (served at /widget/sw.js). It runs on the site the widget
// is embedded in: that site's own worker imports it (`importScripts('https://support.example.com/widget/sw.js')`,
// boot option `pushWorker`), or the widget registers it itself on our own origin. Payload:
// { title, body?, tag? } (server/src/listeners/notify-customers.ts).
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: event.data ? event.data.text() : '' };
  }
  event.waitUntil(self.registration.showNotification(data.title || 'Support', { body: data.body || '', tag: data.tag }));
});

// A click brings the site back (where the chat is): an open tab of it, else its start page.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((wins) => {
      const own = wins.find((w) => new URL(w.url).origin === self.location.origin && 'focus' in w);
      return own ? own.focus() : self.clients.openWindow(self.registration.scope);
    }),
  );
});
