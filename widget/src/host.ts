import type { WidgetConversation } from '@autocrm/shared';
import type { RoomClient } from '@autocrm/shared/realtime-client';
import type { ReactiveControllerHost } from 'lit';
import type { ElsewhereController } from './elsewhere';
import type { HelpView } from './help';
import type { Strings } from './i18n';
import type { RoomsController } from './rooms';
import type { BootOptions, Config, PendingStart, Tab, Vars, View } from './types';

/**
 * What the widget element offers its controllers and views. They import this, never the element
 * (which imports them), so there is no import circle.
 */
export interface WidgetHost extends ReactiveControllerHost {
  readonly origin: string;
  readonly locale: string;
  readonly opts: BootOptions | undefined;
  readonly config: Config | undefined;
  readonly client: RoomClient | undefined;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly rooms: RoomsController;
  readonly elsewhere: ElsewhereController;
  /** The help view once its module has loaded (the first time the Help tab opens). */
  readonly help: HelpView | undefined;
  conversations: WidgetConversation[];
  current: string | null;
  view: View;
  tab: Tab;
  isOpen: boolean;
  notice: string | null;
  proactive: string | null;
  news: { id: string; title: string; body: string }[];
  dismissNews(id: string): void;
  pendingStart: PendingStart | undefined;
  s(key: keyof Strings, vars?: Vars): string;
  /** A localStorage key of this site's widget. */
  key(name: string): string;
  /** Who is asking, for the widget API; undefined before boot. */
  visitor(): { websiteToken: string; visitorToken: string } | undefined;
  botName(): string;
  setOpen(open: boolean): void;
  showTab(tab: Tab): void;
  newConversation(c: Config): void;
  openConversation(id: string): void;
  sendText(body: string): Promise<void>;
  handoff(conversationId: string): Promise<void>;
  profile(p: {
    name?: string | undefined;
    email?: string | undefined;
    attributes?: Record<string, string | number | boolean> | undefined;
  }): Promise<void>;
}

/** A POST to the widget API as this visitor (JSON in; the response as it comes). */
export function postAs(host: WidgetHost, path: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${host.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...host.visitor(), ...body }),
  });
}
