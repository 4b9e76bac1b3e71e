import type { MessengerTag } from '@autocrm/shared';
import type { z } from 'zod';
import { postGraphMessage } from '../graph/graph-api';
import type { ProviderOutcome } from '../messaging/channel-sender';
import type { MessengerInbox } from './messenger-settings';

/** What one message is on Messenger's Send API: text, or a file by URL. */
export type MessengerOutgoing =
  | { text: string }
  | { attachment: { type: 'image' | 'video' | 'audio' | 'file'; payload: { url: string; is_reusable: false } } };

/**
 * One message through the Send API (`POST /{page-id}/messages`, the page access token), for Messenger
 * and Instagram alike. Inside the 24-hour window it is a RESPONSE; after it only with a message tag.
 */
export function sendMessenger(
  baseUrl: string,
  inbox: MessengerInbox,
  recipient: string,
  message: MessengerOutgoing,
  tag?: z.infer<typeof MessengerTag> | null,
): Promise<ProviderOutcome> {
  return postGraphMessage({
    url: `${baseUrl.replace(/\/$/, '')}/${encodeURIComponent(inbox.pageId)}/messages`,
    accessToken: inbox.pageAccessToken,
    body: {
      recipient: { id: recipient },
      messaging_type: tag ? 'MESSAGE_TAG' : 'RESPONSE',
      ...(tag ? { tag } : {}),
      message,
    },
    product: 'Messenger',
    idOf: (answer) => (typeof answer.message_id === 'string' ? answer.message_id : undefined),
  });
}
