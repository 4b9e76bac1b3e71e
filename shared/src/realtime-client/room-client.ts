import { io, type Socket } from 'socket.io-client';
import type { Ack, RoomEvent } from '../protocol';
import type { ClientToServerEvents, ServerToClientEvents } from '../socket-events';
import { type KeyValueStorage, memoryStorage } from './storage';

export type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface PendingMessage {
  conversationId: string;
  clientId: string;
  body: string;
  private?: boolean;
  /** Files already uploaded (the widget's upload endpoint), sent with the message. */
  attachments?: { name: string; contentType: string; size: number; url: string }[];
  createdAt: string;
}

export interface RoomClientOptions {
  /** Server origin, e.g. https://support.example.com */
  url: string;
  namespace: '/agent' | '/widget';
  auth: Record<string, string>;
  /** Where unsent messages and last seen seqs survive a page refresh (localStorage in browsers). */
  storage?: KeyValueStorage;
  /** Node clients pass the session cookie here; browsers send it themselves. */
  extraHeaders?: Record<string, string>;
  ackTimeoutMs?: number;
  /** Longest wait between two attempts after the server refused a connection for a passing reason. */
  retryMaxMs?: number;
  /**
   * How long an event from the future (a gap before it) is held for the missing ones to arrive on the
   * wire before asking the server (`room:sync`). Across processes frames of one room can overtake each
   * other by a few milliseconds; waiting a little saves a request each time. Default 250 ms.
   */
  reorderGraceMs?: number;
  /** Create the socket without connecting (tests drive connect/disconnect). */
  autoConnect?: boolean;
}

type Listener = (event: RoomEvent) => void;

/**
 * The client half of the delivery promise, shared by the widget and the workspace:
 * - every message is sent with a client id and kept in a persistent outbox until the server acks it
 *   with its seq; after a reconnect or a page refresh it is sent again with the same id, and the
 *   server stores it once;
 * - per room it remembers the last seq seen; on (re)connect it rejoins saying that seq and pages
 *   through what it missed before taking live events;
 * - events reach listeners once each, in seq order: duplicates are dropped; an event from the future
 *   is held until the gap before it fills from frames still in flight (within `reorderGraceMs`), and
 *   only a gap still open then is filled from the server before anything after it is delivered.
 */
export class RoomClient {
  readonly socket: RoomSocket;
  private readonly storage: KeyValueStorage;
  private readonly key: string;
  private readonly lastSeq = new Map<string, number>();
  private readonly joined = new Set<string>();
  private readonly listeners = new Set<Listener>();
  private readonly syncing = new Map<string, Promise<void>>();
  private readonly inflight = new Map<string, Promise<{ seq: number; id: string }>>();
  private readonly ackTimeoutMs: number;
  /** Per room, events that arrived ahead of a gap, by seq, and the timer that ends their grace. */
  private readonly held = new Map<string, Map<number, RoomEvent>>();
  private readonly graceTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(readonly options: RoomClientOptions) {
    this.storage = options.storage ?? memoryStorage();
    this.key = `autocrm:${options.namespace}:${options.auth.visitorToken ?? options.auth.apiKey ?? 'session'}`.slice(0, 120);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    for (const [room, seq] of Object.entries(this.read<Record<string, number>>('seqs', {}))) this.lastSeq.set(room, seq);
    this.socket = io(`${options.url}${options.namespace}`, {
      transports: ['websocket'],
      auth: options.auth,
      autoConnect: options.autoConnect ?? true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 3000,
      // A connection attempt that neither opens nor fails (a network that swallows it) is given up after
      // this long and tried again; socket.io's default of 20 s kept a page offline that long after a drop.
      timeout: 8000,
      // Headers belong to a connection: without its own, a second client to the same server would ride
      // the first one's connection (socket.io-client shares one per origin) and its cookie would be lost.
      ...(options.extraHeaders ? { extraHeaders: options.extraHeaders, forceNew: true } : {}),
    });
    this.socket.on('connect', () => {
      this.refusals = 0;
      void this.resume();
    });
    // A catch-up that failed (no answer in time: the server's database away) is tried again shortly,
    // so a gap does not wait for the next event to be noticed.
    this.socket.on('message', (e) =>
      this.receive(e).catch(() => {
        setTimeout(() => this.syncFrom(e.conversationId).catch(() => {}), 1000);
      }),
    );
    this.socket.on('resync', () => {
      for (const room of this.joined) this.syncFrom(room).catch(() => {});
    });
    // socket.io-client retries a broken transport by itself, but not a connection the server refused
    // (its middleware said no). A refusal that may pass (database or Redis away, `unavailable`) is retried
    // with capped, jittered backoff, the outbox kept; only a definite no (bad credentials, forbidden) stops.
    this.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (this.socket.active || this.stopped) return;
      const code = err.data?.code;
      if (code === 'unauthenticated' || code === 'forbidden') {
        this.refusedFor = code;
        return;
      }
      const wait = backoff(500, this.refusals, options.retryMaxMs);
      this.refusals++;
      this.retryTimer = setTimeout(() => this.socket.connect(), wait);
    });
  }

  /** Set once the server refused the connection for good (`unauthenticated`, `forbidden`): no more retries. */
  refusedFor: 'unauthenticated' | 'forbidden' | undefined;
  private refusals = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The highest seq delivered for a room. */
  seqOf(conversationId: string): number {
    return this.lastSeq.get(conversationId) ?? 0;
  }

  /**
   * The caller already holds a room's history up to `seq` (a page rendered on the server): joining
   * then replays only what came after it instead of the whole room. Never moves backwards.
   */
  resumeFrom(conversationId: string, seq: number): void {
    if (seq <= this.seqOf(conversationId)) return;
    this.lastSeq.set(conversationId, seq);
    this.write('seqs', Object.fromEntries(this.lastSeq));
  }

  /** Unsent messages (kept across refreshes). */
  pending(): PendingMessage[] {
    return this.read<PendingMessage[]>('outbox', []);
  }

  async join(conversationId: string): Promise<void> {
    this.joined.add(conversationId);
    if (this.socket.connected) await this.rejoin(conversationId);
  }

  async leave(conversationId: string): Promise<void> {
    this.joined.delete(conversationId);
    if (this.socket.connected) await this.socket.timeout(this.ackTimeoutMs).emitWithAck('room:leave', { conversationId });
  }

  /**
   * Sends a message; resolves with its stored seq once the server has it. Until then it sits in the
   * persistent outbox and is retried (same client id) on every reconnect.
   */
  send(
    conversationId: string,
    body: string,
    opts: { private?: boolean; clientId?: string; attachments?: PendingMessage['attachments'] } = {},
  ): Promise<{ seq: number; id: string }> {
    const pending: PendingMessage = {
      conversationId,
      clientId: opts.clientId ?? crypto.randomUUID(),
      body,
      ...(opts.private ? { private: true } : {}),
      ...(opts.attachments?.length ? { attachments: opts.attachments } : {}),
      createdAt: new Date().toISOString(),
    };
    this.write('outbox', [...this.pending(), pending]);
    return this.deliver(pending);
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    for (const t of this.graceTimers.values()) clearTimeout(t);
    this.graceTimers.clear();
    this.socket.disconnect();
  }

  private deliver(p: PendingMessage): Promise<{ seq: number; id: string }> {
    const existing = this.inflight.get(p.clientId);
    if (existing) return existing;
    const attempt = new Promise<{ seq: number; id: string }>((resolve, reject) => {
      const tryOnce = async () => {
        if (!this.socket.connected) {
          this.socket.once('connect', () => void tryOnce());
          return;
        }
        let ack: Ack<{ seq: number; id: string }>;
        try {
          ack = await this.socket.timeout(this.ackTimeoutMs).emitWithAck('message:send', {
            conversationId: p.conversationId,
            clientId: p.clientId,
            body: p.body,
            ...(p.private ? { private: true } : {}),
            ...(p.attachments?.length ? { attachments: p.attachments } : {}),
          });
        } catch {
          // No ack (timeout or disconnect): the same client id goes again once connected.
          if (this.socket.connected) setTimeout(() => void tryOnce(), 500);
          else this.socket.once('connect', () => void tryOnce());
          return;
        }
        if (ack.ok) {
          this.write(
            'outbox',
            this.pending().filter((m) => m.clientId !== p.clientId),
          );
          resolve({ seq: ack.seq, id: ack.id });
        } else if (ack.error.code === 'internal' || ack.error.code === 'unavailable') {
          setTimeout(() => void tryOnce(), 1000);
        } else {
          // Refused for good (validation, access): drop it from the outbox and tell the caller.
          this.write(
            'outbox',
            this.pending().filter((m) => m.clientId !== p.clientId),
          );
          reject(Object.assign(new Error(ack.error.message), { code: ack.error.code }));
        }
      };
      void tryOnce();
    }).finally(() => this.inflight.delete(p.clientId));
    this.inflight.set(p.clientId, attempt);
    return attempt;
  }

  private async resume(): Promise<void> {
    // One at a time first; a room whose rejoin failed for a passing reason is retried in the background
    // so that it holds up neither the other rooms nor the outbox below.
    for (const room of this.joined) await this.rejoin(room).catch((err) => void this.rejoinPatiently(room, err));
    // Messages from before a refresh (or still unacked) go again with the same client ids.
    for (const p of this.pending()) this.deliver(p).catch(() => {});
  }

  /**
   * A rejoin after a reconnect. One that fails for a passing reason (the server busy or its database
   * away: `unavailable`, or no answer in time) is tried again with capped, jittered backoff while this
   * connection lasts: until it succeeds the room would hear nothing live. A definite no (the room is gone
   * or no longer this client's) stops it.
   */
  private async rejoinPatiently(conversationId: string, firstError: unknown): Promise<void> {
    const socketId = this.socket.id;
    const current = () =>
      !this.stopped && this.socket.connected && this.socket.id === socketId && this.joined.has(conversationId);
    let err = firstError;
    for (let attempt = 0; ; attempt++) {
      const code = (err as { code?: string }).code;
      if ((code !== undefined && code !== 'unavailable') || !current()) return;
      await new Promise((r) => setTimeout(r, backoff(250, attempt, this.options.retryMaxMs)));
      if (!current()) return;
      try {
        return await this.rejoin(conversationId);
      } catch (e) {
        err = e;
      }
    }
  }

  private async rejoin(conversationId: string): Promise<void> {
    const res = await this.socket
      .timeout(this.ackTimeoutMs)
      .emitWithAck('room:join', { conversationId, lastSeq: this.seqOf(conversationId) });
    if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code });
    this.apply(conversationId, res.events);
    if (res.hasMore) await this.syncFrom(conversationId);
  }

  private async receive(e: RoomEvent): Promise<void> {
    const room = e.conversationId;
    for (;;) {
      if (e.eventSeq <= this.seqOf(room)) return; // already delivered
      const running = this.syncing.get(room);
      if (running) {
        // A sync that began before this event was sent may not include it: wait, then look again.
        await running;
        continue;
      }
      if (e.eventSeq === this.seqOf(room) + 1) {
        this.apply(room, [e]); // also delivers what was held behind it
        return;
      }
      this.hold(e);
      return;
    }
  }

  /**
   * A gap: something before this event has not reached us yet (frames from two processes overtaking each
   * other) or is hidden from us (an internal note for a visitor). Hold it for the grace; the missing
   * frames usually arrive meanwhile and `apply` delivers in order. Only then ask the server.
   */
  private hold(e: RoomEvent): void {
    const room = e.conversationId;
    const held = this.held.get(room) ?? new Map<number, RoomEvent>();
    this.held.set(room, held);
    held.set(e.eventSeq, e);
    if (!this.graceTimers.has(room)) this.endGraceIn(room, this.options.reorderGraceMs ?? 250);
  }

  private endGraceIn(room: string, ms: number): void {
    const timer = setTimeout(() => {
      this.graceTimers.delete(room);
      if (this.stopped || !this.held.get(room)?.size) return;
      this.syncFrom(room).then(
        () => {
          // The answer holds everything up to the held events; a gap it leaves is hidden from us.
          const rest = this.held.get(room);
          this.held.delete(room);
          if (rest) this.apply(room, [...rest.values()]);
        },
        // No answer in time (the server's database away): try again shortly, still holding them.
        () => {
          if (!this.graceTimers.has(room)) this.endGraceIn(room, 1000);
        },
      );
    }, ms);
    this.graceTimers.set(room, timer);
  }

  private syncFrom(conversationId: string): Promise<void> {
    const running = this.syncing.get(conversationId);
    if (running) return running;
    const run = (async () => {
      for (;;) {
        const res = await this.socket
          .timeout(this.ackTimeoutMs)
          .emitWithAck('room:sync', { conversationId, afterSeq: this.seqOf(conversationId) });
        if (!res.ok) return;
        this.apply(conversationId, res.events);
        if (!res.hasMore) return;
      }
    })().finally(() => this.syncing.delete(conversationId));
    this.syncing.set(conversationId, run);
    return run;
  }

  private apply(conversationId: string, events: RoomEvent[]): void {
    const deliver = (e: RoomEvent) => {
      if (e.eventSeq <= this.seqOf(conversationId)) return;
      this.lastSeq.set(conversationId, e.eventSeq);
      for (const l of this.listeners) l(e);
    };
    for (const e of [...events].sort((a, b) => a.eventSeq - b.eventSeq)) deliver(e);
    // Events held behind a gap follow as soon as it is filled.
    const held = this.held.get(conversationId);
    if (held) {
      for (const seq of held.keys()) if (seq <= this.seqOf(conversationId)) held.delete(seq);
      for (let next = held.get(this.seqOf(conversationId) + 1); next; next = held.get(this.seqOf(conversationId) + 1)) {
        held.delete(next.eventSeq);
        deliver(next);
      }
      if (!held.size) {
        this.held.delete(conversationId);
        clearTimeout(this.graceTimers.get(conversationId));
        this.graceTimers.delete(conversationId);
      }
    }
    this.write('seqs', Object.fromEntries(this.lastSeq));
  }

  private read<T>(name: string, fallback: T): T {
    try {
      const raw = this.storage.getItem(`${this.key}:${name}`);
      return raw ? (JSON.parse(raw) as T) : fallback;
    } catch {
      return fallback;
    }
  }

  private write(name: string, value: unknown): void {
    this.storage.setItem(`${this.key}:${name}`, JSON.stringify(value));
  }
}

/** Capped exponential backoff with jitter: between half and all of `base·2^attempt`, at most `maxMs`. */
function backoff(baseMs: number, attempt: number, maxMs = 10_000): number {
  const cap = Math.min(baseMs * 2 ** attempt, maxMs);
  return cap / 2 + Math.random() * (cap / 2);
}
