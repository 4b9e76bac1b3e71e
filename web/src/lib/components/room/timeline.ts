import type { RoomNotice } from '@autocrm/shared/room-state';
import { language, t } from '$lib/strings';
import type { Message, StatusChange } from '$lib/types';
import { continuesGroup, dayKey, dayLabel, interleaveMerged } from './grouping';

export type TimelineItem =
  | {
      kind: 'msg';
      m: Message;
      at: string /** Continues the previous message's group: no name or avatar again. */;
      grouped?: boolean;
    }
  | { kind: 'sys'; text: string; at: string; key: string }
  | { kind: 'day'; label: string; at: string; key: string };

/**
 * The room's history as shown: messages by seq, with status changes (stored, and those seen live) placed
 * by time. Internal lines the system writes (automation firings, auto-resolve) read as system lines, not notes.
 * Messages moved in by a merge keep the seqs they were given after the merge (the room's delivery order),
 * but read where they happened: each is placed by its time among the room's own messages.
 */
export function buildTimeline(props: {
  messages: Message[];
  statusHistory: StatusChange[];
  /** Older messages exist: stored status changes before the first shown message wait for them. */
  hasOlder: boolean;
  notices: RoomNotice[];
  statusName: (id: string | null) => string;
  userName: (id: string) => string;
  /** For "Today" and "Yesterday" on the day separators. */
  now?: number;
}): TimelineItem[] {
  const first = props.messages[0]?.createdAt ?? '';
  const ordered = interleaveMerged(props.messages);
  const rank = new Map(ordered.map((m, i) => [m.id, i]));
  const items: TimelineItem[] = [
    ...ordered.map((m) =>
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
  const order = (x: TimelineItem) => (x.kind === 'msg' ? (rank.get(x.m.id) ?? 0) : 0);
  items.sort((a, b) => (a.kind === 'msg' && b.kind === 'msg' ? order(a) - order(b) : a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return withDaysAndGroups(items, props.now ?? Date.now());
}

/** A separator before the first item of each day, and `grouped` on messages that continue their author's group. */
function withDaysAndGroups(items: TimelineItem[], now: number): TimelineItem[] {
  const out: TimelineItem[] = [];
  let day = '';
  let prev: Message | null = null;
  for (const item of items) {
    const d = dayKey(item.at);
    if (d !== day) {
      day = d;
      prev = null;
      out.push({ kind: 'day', key: `day-${d}`, at: item.at, label: dayLabel(item.at, now, t.room, language()) });
    }
    if (item.kind === 'msg') {
      const m = item.m;
      const key = (x: Message) => ({ authorKind: x.authorKind, authorId: x.authorId, private: x.private, at: x.createdAt });
      // A message moved in by a merge starts its own group: its "from #N" sits with the name.
      const sameOrigin = !!prev && (prev.meta?.mergedFrom?.number ?? null) === (m.meta?.mergedFrom?.number ?? null);
      out.push({
        ...item,
        grouped: !m.deletedAt && sameOrigin && continuesGroup(prev && !prev.deletedAt ? key(prev) : null, key(m)),
      });
      prev = m;
    } else {
      out.push(item);
      prev = null;
    }
  }
  return out;
}

/** A change seen live, in the workspace's words. */
function noticeText(n: RoomNotice, userName: (id: string) => string): string {
  if (n.kind === 'owner') return n.owner === 'bot' ? t.room.botAnswering : t.room.handedToPerson;
  if (n.kind === 'assignee') return n.assigneeId ? t.queue.assignedTo(userName(n.assigneeId)) : t.queue.unassignedLabel;
  return t.room.statusChanged(n.fromName ?? '?', n.toName ?? '?');
}
