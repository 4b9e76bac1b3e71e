import { rooms } from '@autocrm/shared';
import { canSupervise, queueInboxIds, visibleConversationIds } from '../domain/access/gate';
import { hasScope } from '../domain/actor';
import { resolveApiKeyById } from '../domain/auth/api-keys';
import { resolveSessionById } from '../domain/auth/sessions';
import type { Db } from '../storage/db';
import type { IoSocket } from './types';

const QUEUE_PREFIX = rooms.inboxQueue('');
const CONV_PREFIX = rooms.conversation('');

/**
 * Checks an open agent socket again through the gate: a session that ended or a key that was revoked
 * ends the socket; otherwise the socket keeps only the rooms its actor may still see (inbox queues,
 * conversations, the supervisor firehose) and joins queues it may now see.
 */
export async function recheckAgentSocket(db: Db, socket: IoSocket): Promise<void> {
  const d = socket.data;
  if (d.kind !== 'agent') return;
  const actor = d.sessionId
    ? (await resolveSessionById(db, d.sessionId))?.actor
    : d.actor.kind === 'api_key'
      ? await resolveApiKeyById(db, d.actor.id)
      : undefined;
  if (!actor || !hasScope(actor, 'conversations:read')) {
    socket.emit('session:ended', { code: 'unauthenticated', message: 'your access has ended' });
    socket.disconnect(true);
    return;
  }
  // The handlers hold this same object, so later checks see the new role at once.
  d.actor = actor;
  if (actor.kind === 'user') d.name = actor.name;

  const inboxIds = await queueInboxIds(db, actor);
  const queues = new Set(inboxIds.map((id) => rooms.inboxQueue(id)));
  const held = [...socket.rooms];
  for (const r of held) if (r.startsWith(QUEUE_PREFIX) && !queues.has(r)) socket.leave(r);
  socket.join([...queues]);
  if (!canSupervise(actor)) socket.leave(rooms.supervisors);

  const convIds = held.filter((r) => r.startsWith(CONV_PREFIX)).map((r) => r.slice(CONV_PREFIX.length));
  const keep = new Set(await visibleConversationIds(db, { actor, ids: convIds }));
  for (const id of convIds) if (!keep.has(id)) socket.leave(rooms.conversation(id));
}
