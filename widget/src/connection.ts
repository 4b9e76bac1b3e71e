import type { RoomEvent, StatusCategory } from '@autocrm/shared';
import { RoomClient } from '@autocrm/shared/realtime-client';
import type { ReactiveController } from 'lit';
import type { Dispatcher } from './api';
import type { WidgetHost } from './host';
import { outboxOnly, store, subjectOf } from './storage';
import type { PendingStart } from './types';

const isDone = (category: string | undefined) => category === 'resolved' || category === 'closed';

/** What the connection needs of the element beyond what views see. */
export interface ConnectionHost extends WidgetHost {
  readonly api: Dispatcher | undefined;
  /** A resolved conversation was reopened: the next resolution asks for a rating again. */
  reopened(conversationId: string): void;
  markReadIfVisible(): void;
}

/**
 * The visitor and their socket: the visitor token (kept per site and user), the RoomClient, the
 * conversation list, which rooms are joined, and starting a conversation (its first message survives
 * a reload and is sent again with the same client id). Room signals go to the RoomsController.
 */
export class ConnectionController implements ReactiveController {
  client: RoomClient | undefined;
  visitorToken = '';
  private readonly joined = new Set<string>();
  /** Rooms whose history has been replayed: what arrives now is news (the 'message' event, the queue). */
  private readonly liveRooms = new Set<string>();
  private namesTimer: ReturnType<typeof setTimeout> | undefined;
  private readyEmitted = false;

  constructor(private readonly host: ConnectionHost) {
    host.addController(this);
  }

  hostDisconnected() {
    clearTimeout(this.namesTimer);
  }

  close() {
    this.client?.close();
    this.client = undefined;
  }

  /** Another visitor (or none): no room of the last one stays joined. */
  forget() {
    this.joined.clear();
    this.liveRooms.clear();
  }

  async ensureVisitor(force: boolean) {
    const { host } = this;
    const opts = host.opts!;
    // Which user this browser's visitor token belongs to: the claimed id, or the identity token's subject
    // (read, not trusted: the server verifies the token; this only decides whether to ask again).
    const wanted = opts.user?.id ?? (opts.user?.token ? subjectOf(opts.user.token) : null);
    const stored = store.get<{ token: string; userId: string | null }>(host.key('visitor'));
    if (!force && stored && stored.userId === wanted) {
      this.visitorToken = stored.token;
      return;
    }
    const res = await fetch(`${host.origin}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken: opts.websiteToken, ...(opts.user ? { user: opts.user } : {}) }),
    });
    if (res.status !== 201) throw new Error(`AutoCRM: visitor ${res.status}`);
    const body = (await res.json()) as { visitorToken: string };
    this.visitorToken = body.visitorToken;
    store.set(host.key('visitor'), { token: body.visitorToken, userId: wanted });
  }

  connect() {
    const { host } = this;
    const client = new RoomClient({
      url: host.origin,
      namespace: '/widget',
      auth: { websiteToken: host.opts!.websiteToken, visitorToken: this.visitorToken },
      storage: outboxOnly,
    });
    this.client = client;
    const socket = client.socket;
    let refusedOnce = false;
    client.onEvent((e) => this.onRoomEvent(e));
    socket.on('connect', () => void this.refresh());
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      // A token the server no longer knows (database reset, another site): get a new one, once.
      if (err.data?.code !== 'unauthenticated' || refusedOnce) return;
      refusedOnce = true;
      client.close();
      void this.ensureVisitor(true).then(() => this.connect());
    });
    // Merged into another contact: the same visitor token now speaks for the survivor once reconnected.
    socket.on('session:ended', (e) => {
      if (e.code === 'conflict') setTimeout(() => socket.connect(), 200);
    });
    host.rooms.listen(socket);
    socket.on('conversation:updated', (e) => {
      if (e.assignee?.id && !host.rooms.names.has(e.assignee.id)) this.learnNames();
      const conv = host.conversations.find((c) => c.id === e.conversationId);
      if (conv && isDone(conv.statusCategory) && !isDone(e.statusCategory)) host.reopened(conv.id);
      if (conv) conv.statusCategory = e.statusCategory;
      host.rooms.status(e.conversationId, {
        assignee: e.assignee ?? null,
        ...(e.owner ? { owner: e.owner } : {}),
        ...(e.statusCategory ? { category: e.statusCategory as StatusCategory } : {}),
      });
      // Written to after the reopen window: the conversation continues in a new one, opened here.
      if (e.continuedIn) void this.followTo(e.conversationId, e.continuedIn);
    });
  }

  /** This visitor's conversations, newest first (they also name the agents). */
  private async listConversations() {
    const { host } = this;
    const res = await this.client?.socket
      .timeout(10_000)
      .emitWithAck('conversation:list', {})
      .catch(() => undefined);
    if (!res?.ok) return false;
    for (const c of res.conversations) {
      for (const a of c.agents ?? []) host.rooms.names.set(a.id, a.name);
      if (c.assignee) host.rooms.status(c.id, { assignee: { kind: 'agent', ...c.assignee } });
    }
    host.conversations = res.conversations;
    void host.elsewhere.refresh();
    return true;
  }

  private async refresh() {
    const { host } = this;
    if (!this.client) return;
    if (host.pendingStart) await this.startConversation(host.pendingStart);
    if (!(await this.listConversations())) return;
    // Live rooms for recent conversations: messages, unread badge, status changes.
    for (const c of host.conversations.slice(0, 5)) this.join(c.id);
    const first = host.conversations[0];
    if (!host.current && first && first.statusCategory !== 'closed') {
      host.current = first.id;
      if (host.view === 'list' && host.isOpen) host.view = 'chat';
    }
    if (!this.readyEmitted) {
      this.readyEmitted = true;
      host.api?.emit('ready', { conversations: host.conversations.length });
    }
  }

  join(id: string) {
    if (this.joined.has(id) || !this.client) return;
    this.joined.add(id);
    void this.client.join(id).then(
      () => this.liveRooms.add(id),
      () => this.joined.delete(id),
    );
  }

  /** An agent we cannot name yet wrote: the conversation list carries the names. */
  private learnNames() {
    clearTimeout(this.namesTimer);
    this.namesTimer = setTimeout(() => void this.listConversations().then(() => this.host.requestUpdate()), 300);
  }

  private onRoomEvent(e: RoomEvent) {
    const { host } = this;
    // History replayed by the first join is not news: 'message' listeners hear what arrives after it.
    const live = this.liveRooms.has(e.conversationId);
    const isNew = host.rooms.message(e, live);
    const conv = host.conversations.find((c) => c.id === e.conversationId);
    if (conv) conv.lastSeq = Math.max(conv.lastSeq, e.eventSeq);
    if (isNew && e.message.authorKind !== 'contact') {
      if (e.message.authorId && !host.rooms.names.has(e.message.authorId)) this.learnNames();
      if (live)
        host.api?.emit('message', {
          conversationId: e.conversationId,
          authorKind: e.message.authorKind,
          text: e.message.bodyText,
        });
    }
    host.markReadIfVisible();
  }

  async startConversation(p: PendingStart) {
    const { host, client } = this;
    if (!client?.socket.connected) return;
    const res = await client.socket
      .timeout(10_000)
      .emitWithAck('conversation:start', { ...p, locale: host.locale })
      .catch(() => undefined);
    if (!res) return; // no ack: retried with the same client id on the next connect
    host.pendingStart = undefined;
    store.set(host.key('start'), undefined);
    if (!res.ok) {
      host.notice = res.error.message;
      return;
    }
    host.current = res.conversationId;
    this.joined.add(res.conversationId);
    await client.join(res.conversationId).catch(() => {});
    this.liveRooms.add(res.conversationId);
    await this.listConversations();
  }

  private async followTo(from: string, to: string) {
    await this.listConversations();
    if (this.host.current === from) this.host.openConversation(to);
  }
}
