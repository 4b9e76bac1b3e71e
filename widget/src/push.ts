import { html, nothing } from 'lit';
import { postAs, type WidgetHost } from './host';
import { store } from './storage';

/** The VAPID key as the bytes PushManager.subscribe wants. */
const keyBytes = (b64url: string) =>
  Uint8Array.from(atob(b64url.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));

/**
 * "Notify me": Web Push for replies while the visitor is away, offered after they sent a message, only
 * where the browser has Notification and PushManager and the widget can have a service worker on the
 * page's origin: the site's own worker that imports ours (boot option `pushWorker`), or ours when the
 * page is on the widget's own server. The subscription goes to /widget-api/v1/push/subscribe (it turns
 * push on in the contact's preferences); the server sends only while no widget is in the room.
 */
export class PushOptIn {
  private state: 'idle' | 'busy' | 'on' | 'failed' = 'idle';

  constructor(private readonly host: WidgetHost) {}

  private worker(): string | undefined {
    const { host } = this;
    return host.opts?.pushWorker ?? (location.origin === host.origin ? `${host.origin}/widget/sw.js` : undefined);
  }

  /** Whether to offer it at all in this browser on this page. */
  available(): boolean {
    return (
      'Notification' in window &&
      'PushManager' in window &&
      'serviceWorker' in navigator &&
      Notification.permission !== 'denied' &&
      !!this.worker()
    );
  }

  private async subscribe() {
    const { host } = this;
    this.state = 'busy';
    host.requestUpdate();
    try {
      if ((await Notification.requestPermission()) !== 'granted') throw new Error('not allowed');
      const key = (await (await fetch(`${host.origin}/widget-api/v1/push/key`)).json()) as { publicKey: string };
      const worker = this.worker()!;
      const reg = await navigator.serviceWorker.register(
        worker,
        worker.startsWith(host.origin) ? { scope: `${host.origin}/widget/` } : {},
      );
      const sub =
        (await reg.pushManager.getSubscription()) ??
        (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key.publicKey) }));
      const res = await postAs(host, '/widget-api/v1/push/subscribe', { subscription: sub.toJSON() });
      if (!res.ok) throw new Error(String(res.status));
      store.set(host.key('push'), true);
      this.state = 'on';
    } catch {
      // Refused, or no push service reachable: the offer goes, the chat carries on.
      this.state = 'failed';
    }
    host.requestUpdate();
  }

  /** Under the visitor's messages: the offer, or its confirmation; nothing once it is settled. */
  render(sentSomething: boolean) {
    const { host } = this;
    if (this.state === 'on') return html`<div class="notice info" role="status">${host.s('notifyOn')}</div>`;
    if (!sentSomething || this.state === 'failed' || store.get(host.key('push')) || !this.available()) return nothing;
    return html`<button class="pill notify" ?disabled=${this.state === 'busy'} @click=${() => this.subscribe()}>
      ${host.s('notifyMe')}
    </button>`;
  }
}
