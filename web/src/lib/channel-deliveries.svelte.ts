import type { ChannelStatusEvent } from '@autocrm/shared';
import type { components } from '@autocrm/shared/api-types';
import { browserApi } from '$lib/api-client';
import { roomClient } from '$lib/realtime';

type Delivery = components['schemas']['ChannelMessage'];

/**
 * The delivery states of one conversation's SMS (and other messaging-channel) messages, loaded once
 * per room and kept live from `channel:status`, shared by every message line that shows one.
 */
class RoomDeliveries {
  rows = $state<Delivery[]>([]);
  private loading: Promise<void> | undefined;
  private seenSeq = -1;

  constructor(private readonly conversationId: string) {}

  apply(e: ChannelStatusEvent): void {
    if (!this.rows.some((r) => r.id === e.channelMessageId)) return void this.load(true);
    this.rows = this.rows.map((r) => (r.id === e.channelMessageId ? { ...r, status: e.status, reason: e.reason } : r));
  }

  load(force = false): Promise<void> {
    if (this.loading && !force) return this.loading;
    this.loading = browserApi()
      .GET('/conversations/{id}/channel-messages', { params: { path: { id: this.conversationId } } })
      .then(({ data }) => {
        if (data) this.rows = data.data;
      });
    return this.loading;
  }

  /** The room moved on (a new message may have been queued): look again, once per seq for the whole room. */
  sync(seq: number): void {
    if (seq <= this.seenSeq) return;
    this.seenSeq = seq;
    void this.load(true);
  }

  /** A reply split into several texts shows its least advanced part (a failed part wins). */
  of(messageId: string): Delivery | undefined {
    const parts = this.rows.filter((r) => r.messageId === messageId);
    return parts.find((p) => p.status === 'failed' || p.status === 'undelivered' || p.status === 'skipped') ?? parts[0];
  }
}

const rooms = new Map<string, RoomDeliveries>();

// One listener on the tab's socket for every room (not one per room opened, which would pile up).
let listening = false;

export function roomDeliveries(conversationId: string): RoomDeliveries {
  if (!listening) {
    listening = true;
    roomClient().socket.on('channel:status', (e: ChannelStatusEvent) => rooms.get(e.conversationId)?.apply(e));
  }
  let r = rooms.get(conversationId);
  if (!r) {
    r = new RoomDeliveries(conversationId);
    rooms.set(conversationId, r);
  }
  return r;
}
