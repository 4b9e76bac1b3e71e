import { randomUUID } from 'node:crypto';
import { AppError, type Message } from '@autocrm/shared';
import { assertCanSeeConversation } from '../../domain/access/gate';
import type { Actor } from '../../domain/actor';
import { appendMessage, inSendTransaction } from '../../domain/messages/append-message';
import type { Db } from '../../storage/db';
import type { SecretBox } from '../email/secret-box';
import { TEMPLATE_CLIENT_PREFIX } from './queue-whatsapp';
import { customerAddress, renderTemplate } from './service-window';
import { loadWhatsAppInbox } from './whatsapp-settings';

/**
 * Sends one of the inbox's approved templates (the only thing WhatsApp delivers outside the 24-hour
 * window): the filled-in text is stored as the agent's message in the room and queued as a template
 * message in the same transaction.
 */
export async function sendWhatsAppTemplate(
  db: Db,
  props: { actor: Actor; conversationId: string; name: string; params: string[]; box: SecretBox },
): Promise<Message> {
  const { actor } = props;
  if (actor.kind !== 'user') throw new AppError('forbidden', 'templates are sent by a person signed in to the workspace');
  const { inboxId } = await assertCanSeeConversation(db, { actor, conversationId: props.conversationId });
  const inbox = await loadWhatsAppInbox(db, props.box, inboxId);
  if (!inbox) throw new AppError('validation_failed', 'this conversation is not in a connected WhatsApp inbox');
  const template = inbox.templates.find((t) => t.name === props.name);
  if (!template)
    throw new AppError('validation_failed', 'no such template in this inbox', [{ path: 'name', message: 'unknown template' }]);
  const rendered = renderTemplate(template.body, props.params);
  if ('error' in rendered) throw new AppError('validation_failed', rendered.error, [{ path: 'params', message: rendered.error }]);
  const address = await customerAddress(db, props.conversationId);
  if (!address) throw new AppError('validation_failed', 'the customer has no WhatsApp number in this conversation');
  return inSendTransaction(db, async (trx) => {
    const { message } = await appendMessage(trx, {
      conversationId: props.conversationId,
      authorKind: 'agent',
      authorId: actor.id,
      body: rendered.text,
      clientId: `${TEMPLATE_CLIENT_PREFIX}${randomUUID()}`,
    });
    await trx
      .insertInto('channel_messages')
      .values({
        inbox_id: inboxId,
        conversation_id: props.conversationId,
        message_id: message.id,
        provider: 'whatsapp',
        direction: 'out',
        from_address: address.to,
        to_address: address.from,
        body: rendered.text,
        payload: JSON.stringify({ template: { name: template.name, language: template.language, params: props.params } }),
        status: 'queued',
        next_attempt_at: new Date(),
      })
      .execute();
    return message;
  });
}
