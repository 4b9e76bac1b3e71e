import { isOlderSnapshot } from '@autocrm/shared/room-state';
import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';
import { browserApi } from '$lib/api-client';
import { contactName } from '$lib/contact-name';
import { apiQuery, comparator, matches } from '$lib/queue';
import { roomClient } from '$lib/realtime';
import { fetchSla, type SlaState } from '$lib/sla';
import type { Conversation, QueueRow } from '$lib/types';
import type { QueuePaneData } from './queue-data';

/**
 * The queue's rows kept live between loads: queue events from the agent socket add, update, mark or drop
 * rows; unread counts, previews and SLA badges are fetched again as messages arrive. A new load (filters,
 * bulk result) starts over from the server's rows.
 */
export class LiveQueue {
  // Server data, overridden locally by live events until the next load.
  rows: QueueRow[];
  /** Rows someone else just took, by the taker's name: still shown, so an agent about to open one sees it. */
  taken: Record<string, string>;
  // Unread per row: from the list API, then from the socket's counts after each message.
  unreadLive = $state<Record<string, number>>({});
  live = $state(false);
  now = $state(Date.now());
  // SLA state per row: from the load, then refreshed after queue events (debounced) and every 30 s.
  sla: Record<string, SlaState>;
  sorted: QueueRow[];
  private slaTimer: ReturnType<typeof setTimeout> | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  // Getters, not values: the pane's props change under it.
  private readonly data: () => QueuePaneData;
  private readonly activeId: () => string | null;

  constructor(data: () => QueuePaneData, activeId: () => string | null) {
    this.data = data;
    this.activeId = activeId;
    this.rows = $derived(data().rows);
    // Every load starts it over.
    this.taken = $derived(data().rows ? {} : {});
    this.sla = $derived(data().sla);
    this.sorted = $derived([...this.rows].sort(comparator(data().filters.sort)));
  }

  unreadOf(r: QueueRow): number {
    return r.id === this.activeId() ? 0 : (this.unreadLive[r.id] ?? r.unreadCount ?? 0);
  }

  private get me(): string {
    return this.data().user!.id;
  }

  private userName(id: string | null): string | null {
    return id ? (this.data().users.find((u) => u.id === id)?.name ?? '…') : null;
  }

  refreshSla(delay = 500): void {
    clearTimeout(this.slaTimer);
    this.slaTimer = setTimeout(async () => {
      const ids = this.rows.map((r) => r.id);
      if (ids.length) this.sla = { ...this.sla, ...(await fetchSla(browserApi(), ids).catch(() => ({}))) };
    }, delay);
  }

  // New messages change previews: the rows' list fields are fetched again, at most once a second. Straight from
  // the API, not by invalidating the page's data: that would be a navigation, and cancel one the agent just began.
  private reloadSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(async () => {
      const res = await browserApi()
        .GET('/conversations', { params: { query: apiQuery(this.data().filters) } })
        .catch(() => null);
      if (!res?.data) return;
      const fresh = new Map(res.data.data.map((c) => [c.id, c]));
      this.rows = this.rows.map((r) => {
        const f = fresh.get(r.id);
        return f
          ? {
              ...r,
              lastMessagePreview: f.lastMessagePreview,
              lastMessageAuthorKind: f.lastMessageAuthorKind,
              lastMessageAt: f.lastMessageAt,
              unreadCount: f.unreadCount,
            }
          : r;
      });
    }, 1000);
  }

  private readonly onQueue = async (e: { conversation: Conversation; reason: string }) => {
    const c = e.conversation;
    const i = this.rows.findIndex((r) => r.id === c.id);
    // A message's event carries the room as it was when stored: a newer row already shown stays.
    if (i >= 0 && isOlderSnapshot(this.rows[i]!.updatedAt, c.updatedAt)) {
      if (e.reason === 'message') void this.refreshUnread([c.id]);
      return;
    }
    if (matches(c, this.data().filters, this.me)) {
      if (i >= 0) this.rows = this.rows.map((r) => (r.id === c.id ? { ...r, ...c } : r));
      else {
        const { data: contact } = await browserApi().GET('/contacts/{id}', { params: { path: { id: c.contactId } } });
        const row = { ...c, contactName: contactName(contact) };
        // Another event for it may have landed while the contact loaded: keep the newer one.
        const j = this.rows.findIndex((r) => r.id === c.id);
        if (j < 0) {
          this.rows = [...this.rows, row];
          this.reloadSoon();
        } else if (this.rows[j]!.updatedAt <= c.updatedAt)
          this.rows = this.rows.map((r) => (r.id === c.id ? { ...row, ...c } : r));
      }
      if (this.taken[c.id] !== undefined) this.taken = Object.fromEntries(Object.entries(this.taken).filter(([k]) => k !== c.id));
    } else if (i >= 0) {
      this.rows = this.rows.map((r) => (r.id === c.id ? { ...r, ...c } : r));
      if (c.assigneeId && c.assigneeId !== this.me) this.taken = { ...this.taken, [c.id]: this.userName(c.assigneeId) ?? '' };
      else if (this.taken[c.id] === undefined) this.rows = this.rows.filter((r) => r.id !== c.id);
    }
    if (e.reason === 'message') {
      void this.refreshUnread([c.id]);
      this.reloadSoon();
    }
    this.refreshSla();
  };

  private async refreshUnread(ids: string[]): Promise<void> {
    const rc = roomClient();
    if (!ids.length || !rc.socket.connected) return;
    const res = await rc.socket
      .timeout(5000)
      .emitWithAck('unread:counts', { conversationIds: ids.slice(0, 200) })
      .catch(() => null);
    if (res?.ok) this.unreadLive = { ...this.unreadLive, ...res.counts };
  }

  /** Follows the agent socket (call once mounted); the returned function stops. */
  connect(): () => void {
    const rc = roomClient();
    // The server joins this socket to its queues just after connecting; an acked round trip says it
    // is done. Then reload once, so nothing that changed in between is missed (after reconnects too).
    let stopped = false;
    const onConnect = async () => {
      for (let i = 0; i < 50 && !stopped && rc.socket.connected; i++) {
        const ack = await rc.socket
          .timeout(5000)
          .emitWithAck('presence:set', { status: 'online' })
          .catch(() => null);
        if (ack?.ok) {
          // Not while the agent is already going elsewhere: an invalidation is a navigation too, and would
          // cancel the one they began (a link clicked before the socket was ready went nowhere).
          if (!navigating.to) await invalidate('app:queue');
          this.live = true;
          void this.refreshUnread(this.rows.map((r) => r.id));
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const onDisconnect = () => {
      this.live = false;
    };
    rc.socket.on('queue:conversation', this.onQueue);
    // SLA due soon or missed: the badges change now, not at the next refresh.
    const onNotification = () => this.refreshSla(0);
    rc.socket.on('notification', onNotification);
    rc.socket.on('connect', onConnect);
    rc.socket.on('disconnect', onDisconnect);
    if (rc.socket.connected) void onConnect();
    const tick = setInterval(() => {
      this.now = Date.now();
      this.refreshSla(0);
    }, 30_000);
    return () => {
      stopped = true;
      clearTimeout(this.slaTimer);
      clearTimeout(this.reloadTimer);
      rc.socket.off('queue:conversation', this.onQueue);
      rc.socket.off('notification', onNotification);
      rc.socket.off('connect', onConnect);
      rc.socket.off('disconnect', onDisconnect);
      clearInterval(tick);
    };
  }
}
