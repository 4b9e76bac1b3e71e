import type { PortalTicket, PortalTicketDetail, WidgetConversation } from '@autocrm/shared';
import type { Strings } from './i18n';
import type { Config, View } from './types';

/** What the controller needs of the element (not WidgetHost: host.ts names this controller's type). */
interface ElsewhereHost {
  readonly origin: string;
  readonly config: Config | undefined;
  readonly conversations: WidgetConversation[];
  view: View;
  notice: string | null;
  s(key: keyof Strings): string;
  visitor(): { websiteToken: string; visitorToken: string } | undefined;
  requestUpdate(): void;
}

/**
 * The visitor's conversations on other channels and in other inboxes (an email, a portal ticket ...):
 * the contact's tickets as the customer portal lists them (/widget-api/v1/tickets), minus the ones this
 * website's widget chats in. They are read here, not answered: a reply belongs to their own channel.
 * The view is views/elsewhere.ts.
 */
export class ElsewhereController {
  tickets: PortalTicket[] = [];
  /** The one being read (null while it loads). */
  open: PortalTicketDetail | null = null;

  constructor(private readonly host: ElsewhereHost) {}

  clear() {
    this.tickets = [];
    this.open = null;
  }

  private post(path: string) {
    const { host } = this;
    return fetch(`${host.origin}/widget-api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(host.visitor() ?? {}),
    }).catch(() => undefined);
  }

  /** After the live list: the contact's other tickets (best effort: the live list works without them). */
  async refresh() {
    const { host } = this;
    if (!host.config?.features.history) return;
    const res = await this.post('/tickets');
    if (!res?.ok) return;
    const { data } = (await res.json()) as { data: PortalTicket[] };
    const live = new Set(host.conversations.map((c) => c.id));
    this.tickets = data.filter((t) => !live.has(t.id));
    host.requestUpdate();
  }

  async read(id: string) {
    const { host } = this;
    this.open = null;
    host.view = 'past';
    const res = await this.post(`/tickets/${id}`);
    if (res?.ok) this.open = (await res.json()) as PortalTicketDetail;
    else host.notice = host.s('somethingWrong');
    host.requestUpdate();
  }
}
