import type { RoomNotice } from '@autocrm/shared/room-state';
import { t } from '$lib/strings';
import type { Message, StatusChange } from './types';

export type TimelineItem = { kind: 'msg'; m: Message; at: string } | { kind: 'sys'; text: string; at: string; key: string };

/**
 * The room's history as shown: messages by seq, with status changes (stored, and those seen live) placed
 * by time. Internal lines the system writes (automation firings, auto-resolve) read as system lines, not notes.
 */
export function buildTimeline(props: {
  messages: Message[];
  statusHistory: StatusChange[];
  /** Older messages exist: stored status changes before the first shown message wait for them. */
  hasOlder: boolean;
  notices: RoomNotice[];
  statusName: (id: string | null) => string;
  userName: (id: string) => string;
}): TimelineItem[] {
  const first = props.messages[0]?.createdAt ?? '';
  const items: TimelineItem[] = [
    ...props.messages.map((m) =>
      m.authorKind === 'system' && m.private && !m.deletedAt
        ? { kind: 'sys' as const, key: m.id, at: m.createdAt, text: m.bodyText }
        : { kind: 'msg' as const, m, at: m.createdAt },
    ),
    ...props.statusHistory
      .filter((h) => !props.hasOlder || h.at >= first)
      .map((h) => ({
        kind: 'sys' as const,
        key: h.id,
        at: h.at,
        text: h.fromStatusId
          ? t.room.statusChanged(props.statusName(h.fromStatusId), props.statusName(h.toStatusId))
          : t.room.statusSet(props.statusName(h.toStatusId)),
      })),
    ...props.notices.map((n, i) => ({ kind: 'sys' as const, key: `live-${i}`, at: n.at, text: noticeText(n, props.userName) })),
  ];
  return items.sort((a, b) =>
    a.kind === 'msg' && b.kind === 'msg' ? a.m.seq - b.m.seq : a.at < b.at ? -1 : a.at > b.at ? 1 : 0,
  );
}

/** A change seen live, in the workspace's words. */
function noticeText(n: RoomNotice, userName: (id: string) => string): string {
  if (n.kind === 'owner') return n.owner === 'bot' ? t.room.botAnswering : t.room.handedToPerson;
  if (n.kind === 'assignee') return n.assigneeId ? t.queue.assignedTo(userName(n.assigneeId)) : t.queue.unassignedLabel;
  return t.room.statusChanged(n.fromName ?? '?', n.toName ?? '?');
}
