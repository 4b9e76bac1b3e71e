import type {
  AutomationTrigger,
  AutomationTriggerType,
  ConversationUpdateField,
  DomainEvent,
  DomainEventPayloads,
} from '@autocrm/shared';

/** What an event means for automation: the conversation, the trigger types it may start, and a filter. */
export interface TriggerMatch {
  conversationId: string;
  types: AutomationTriggerType[];
  /** Does a rule's trigger (of one of `types`) accept this event? */
  accepts: (t: AutomationTrigger) => boolean;
  /** The text conditions read: the message for message events. */
  text?: string;
}

const all = () => true;

/** The conversation's fields an update event names (`changed` lists Conversation keys). */
const FIELD_OF: Record<string, ConversationUpdateField> = {
  priority: 'priority',
  teamId: 'team',
  tags: 'tags',
  customFields: 'custom_fields',
  subject: 'subject',
};
export const updatedFields = (changed: readonly string[]): ConversationUpdateField[] =>
  changed.flatMap((k) => (FIELD_OF[k] ? [FIELD_OF[k]] : []));
const data = <K extends keyof DomainEventPayloads>(e: DomainEvent, _k: K) => e.data as DomainEventPayloads[K];

/** Maps a domain event to the automation triggers it fires, or null when it fires none. */
export function triggersOf(event: DomainEvent): TriggerMatch | null {
  switch (event.type) {
    case 'conversation.created':
      return {
        conversationId: data(event, 'conversation.created').conversation.id,
        types: ['conversation_created'],
        accepts: all,
      };
    case 'message.created': {
      const { message } = data(event, 'message.created');
      if (message.private) return null;
      const type =
        message.authorKind === 'contact' ? 'customer_message' : message.authorKind === 'agent' ? 'agent_message' : null;
      if (!type) return null;
      return { conversationId: message.conversationId, types: [type], accepts: all, text: message.bodyText ?? '' };
    }
    case 'conversation.status_changed': {
      const { conversation } = data(event, 'conversation.status_changed');
      return {
        conversationId: conversation.id,
        types: ['status_changed'],
        accepts: (t) => t.type === 'status_changed' && (!t.toCategory || t.toCategory === conversation.status.category),
      };
    }
    case 'conversation.assigned': {
      const { conversation, toAssigneeId } = data(event, 'conversation.assigned');
      return { conversationId: conversation.id, types: [toAssigneeId ? 'assigned' : 'unassigned'], accepts: all };
    }
    case 'conversation.updated': {
      const { conversation, addedTags, changed } = data(event, 'conversation.updated');
      const fields = updatedFields(changed);
      const types: AutomationTriggerType[] = [
        ...(addedTags?.length ? (['tag_added'] as const) : []),
        ...(fields.length ? (['conversation_updated'] as const) : []),
      ];
      if (!types.length) return null;
      return {
        conversationId: conversation.id,
        types,
        accepts: (t) =>
          (t.type === 'tag_added' && !!addedTags?.length && (!t.tag || addedTags.includes(t.tag))) ||
          (t.type === 'conversation_updated' && fields.length > 0 && (!t.fields || t.fields.some((f) => fields.includes(f)))),
      };
    }
    case 'conversation.reopened': {
      const { conversation, followUpId } = data(event, 'conversation.reopened');
      return { conversationId: followUpId ?? conversation.id, types: ['reopened'], accepts: all };
    }
    case 'conversation.snooze_ended':
      return { conversationId: data(event, 'conversation.snooze_ended').conversation.id, types: ['snooze_ended'], accepts: all };
    case 'sla.warning':
      return { conversationId: data(event, 'sla.warning').conversationId, types: ['sla_warning'], accepts: all };
    case 'sla.breached':
      return { conversationId: data(event, 'sla.breached').conversationId, types: ['sla_breached'], accepts: all };
    default:
      return null;
  }
}

/** The events the listener subscribes to (the ones `triggersOf` reads). */
export const TRIGGER_EVENTS = [
  'conversation.created',
  'message.created',
  'conversation.status_changed',
  'conversation.assigned',
  'conversation.updated',
  'conversation.reopened',
  'conversation.snooze_ended',
  'sla.warning',
  'sla.breached',
] as const;
