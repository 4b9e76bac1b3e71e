import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/** An invitation or password-reset mail was queued: the sender looks now, not at its next round. */
export function sendAccountMails(ctx: ListenerContext): EventListener {
  return {
    name: 'send-account-mails',
    events: ['account.mail_queued'],
    afterCommit: () => ctx.accountMails.poke(),
  };
}
