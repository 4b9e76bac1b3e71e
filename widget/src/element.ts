import type { WidgetConversation } from '@autocrm/shared';
import type { RoomClient } from '@autocrm/shared/realtime-client';
import { LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { Dispatcher } from './api';
import { ComposerController } from './composer';
import { ConnectionController, type ConnectionHost } from './connection';
import { CsatController } from './csat';
import { ElsewhereController } from './elsewhere';
import type { HelpView } from './help';
import { loadHelpView } from './help-load';
import { postAs, type WidgetHost } from './host';
import { loadLocale, pickLocale, type Strings, t } from './i18n';
import { PushOptIn } from './push';
import { RoomsController } from './rooms';
import { store } from './storage';
import { styles } from './styles';
import type { BootOptions, Config, PendingStart, Tab, User, Vars, View } from './types';
import { UploadsController } from './uploads';
import { rootView } from './views/panel';

const isDone = (category: string | undefined) => category === 'resolved' || category === 'closed';

/**
 * The widget element: the visitor, the socket and the conversations, and which view shows. The rooms'
 * live state, the composer, uploads and CSAT are controllers; the markup is in views/. Assigning a
 * reactive property (below) re-renders; controllers ask for an update when their own state changes.
 */
export class AutoCrmWidget extends LitElement implements ConnectionHost {
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    config: { state: true },
    locale: { state: true },
    conversations: { state: true },
    current: { state: true },
    view: { state: true },
    tab: { state: true },
    isOpen: { state: true },
    notice: { state: true },
    proactive: { state: true },
    news: { state: true },
    pendingStart: { state: true },
  };

  origin = '';
  opts: BootOptions | undefined;
  config: Config | undefined;
  locale = 'en';
  api: Dispatcher | undefined;
  conversations: WidgetConversation[] = [];
  current: string | null = null;
  view: View = 'list';
  tab: Tab = 'chat';
  isOpen = false;
  notice: string | null = null;
  proactive: string | null = null;
  news: { id: string; title: string; body: string }[] = [];
  pendingStart: PendingStart | undefined;
  help: HelpView | undefined;
  private helpLoading: Promise<HelpView> | undefined;
  readonly rooms = new RoomsController(this);
  readonly elsewhere: ElsewhereController = new ElsewhereController(this);
  private readonly uploads = new UploadsController(this);
  private readonly csat = new CsatController(this);
  private readonly push = new PushOptIn(this);
  private readonly composer = new ComposerController(this, this.uploads);
  private readonly connection: ConnectionController = new ConnectionController(this);
  private readonly handingOff = new Set<string>();
  private myRead: Record<string, number> = {};
  private timers: ReturnType<typeof setTimeout>[] = [];
  private lastUnread = -1;

  key(name: string) {
    return `autocrm:${name}:${this.opts?.websiteToken ?? ''}`;
  }
  s(key: keyof Strings, vars?: Vars) {
    return t(this.locale, key, vars);
  }
  get client(): RoomClient | undefined {
    return this.connection.client;
  }
  visitor() {
    const token = this.connection.visitorToken;
    return this.opts && token ? { websiteToken: this.opts.websiteToken, visitorToken: token } : undefined;
  }
  reopened(conversationId: string) {
    this.csat.reopened(conversationId);
  }

  // -- JS API --
  async boot(opts: BootOptions) {
    if (!opts?.websiteToken) throw new Error('AutoCRM boot: websiteToken is required');
    if (this.opts) this.shutdown(false);
    this.opts = opts;
    this.locale = pickLocale(opts.locale, navigator.languages ?? [navigator.language]);
    const strings = loadLocale(this.origin, this.locale);
    const res = await fetch(
      `${this.origin}/widget-api/v1/config?websiteToken=${encodeURIComponent(opts.websiteToken)}&locale=${this.locale}`,
    );
    if (!res.ok) throw new Error(`AutoCRM: config ${res.status}`);
    const config = (await res.json()) as Config;
    this.myRead = store.get(this.key('read')) ?? {};
    this.pendingStart = store.get(this.key('start'));
    await this.connection.ensureVisitor(false);
    // The page and browser this visitor is on, for the agent's contact card (best effort), again on every page
    // change of a single-page site (the server keeps the pages of the visit).
    let page = '';
    const report = () => {
      if (location.href === page) return;
      page = location.href;
      void postAs(this, '/widget-api/v1/context', {
        pageUrl: page.slice(0, 2000),
        pageTitle: document.title.slice(0, 300),
        referrer: document.referrer.slice(0, 2000),
        language: navigator.language,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }).catch(() => {});
    };
    report();
    setInterval(report, 2000);
    await strings;
    // The first render waits for the config and the language's strings: no English flash.
    this.config = config;
    this.connection.connect();
    this.scheduleProactive();
    // Announcements for this visitor (proactive messages from the team), as dismissible cards.
    void postAs(this, '/widget-api/v1/announcements', { language: navigator.language })
      .then((r) => (r.ok ? r.json() : undefined))
      .then((j) => {
        if (j) this.news = j.data;
      })
      .catch(() => {});
  }

  dismissNews(id: string) {
    this.news = this.news.filter((n) => n.id !== id);
    void postAs(this, `/widget-api/v1/announcements/${id}/dismiss`, {}).catch(() => {});
  }

  shutdown(forget = true) {
    this.connection.close();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (forget && this.opts) {
      // The next person on this browser starts fresh: no token, no unsent messages of the last one.
      store.set(this.key('visitor'), undefined);
      store.set(this.key('start'), undefined);
    }
    this.forgetRooms();
    this.conversations = [];
    this.isOpen = false;
    this.opts = undefined;
    this.requestUpdate();
  }

  show() {
    this.setOpen(true);
  }
  hide() {
    this.setOpen(false);
  }
  setLocale(locale: string) {
    this.locale = pickLocale(locale, []);
    void loadLocale(this.origin, this.locale).then(() => this.requestUpdate());
  }

  /** A signed (hash) or different user means another visitor; otherwise the details go on this contact. */
  async identify(user: User) {
    if (!this.opts) return;
    const before = this.opts.user;
    this.opts = { ...this.opts, user: { ...before, ...user } };
    if (user.hash || user.token || (user.id && user.id !== before?.id)) {
      this.connection.close();
      this.forgetRooms();
      await this.connection.ensureVisitor(true);
      this.connection.connect();
    } else {
      await this.profile({ name: user.name, email: user.email, attributes: user.attributes });
    }
  }

  async updateBoot(opts: Partial<BootOptions> & User) {
    if (opts.locale) this.setLocale(opts.locale);
    const { locale: _l, websiteToken: _w, hideLauncher: _h, user, ...rest } = opts;
    const u = { ...user, ...rest };
    if (Object.keys(u).length) await this.identify(u);
  }

  /** Another visitor (or none): nothing of the last one's rooms or personal suggestions stays. */
  private forgetRooms() {
    this.rooms.clear();
    this.elsewhere.clear();
    this.connection.forget();
    this.handingOff.clear();
    this.help?.reset();
    this.current = null;
  }

  // -- actions --
  setOpen(open: boolean) {
    if (this.isOpen === open) return;
    this.isOpen = open;
    this.proactive = null;
    if (open && this.current) this.view = 'chat';
    // Nothing to come back to: straight into a new chat (with conversations on other channels, the list).
    else if (open && !this.conversations.length && !this.elsewhere.tickets.length && this.config)
      this.newConversation(this.config);
    this.api?.emit(open ? 'open' : 'close');
    this.markReadIfVisible();
    if (open) void this.updateComplete.then(() => this.focusComposer());
  }

  private focusComposer() {
    // The message box first: the "We are away" email field and the rating comment are only offered.
    const q = (sel: string) => this.renderRoot.querySelector(sel) as HTMLElement | null;
    (q('.composer textarea') ?? q('.body textarea, .body input, .conv'))?.focus();
  }

  showTab(tab: Tab) {
    this.tab = tab;
    if (tab === 'help')
      void this.loadHelp().then(
        (help) => help.enter(),
        () => {
          this.notice = this.s('somethingWrong');
        },
      );
    this.markReadIfVisible();
  }

  /** The help view's code comes on first use (most visitors only chat); a failed fetch is tried again next time. */
  private loadHelp(): Promise<HelpView> {
    this.helpLoading ??= loadHelpView(this).then(
      (help) => {
        this.help = help;
        this.requestUpdate();
        return help;
      },
      (err) => {
        this.helpLoading = undefined;
        throw err;
      },
    );
    return this.helpLoading;
  }

  /** "Chat with us" from the help view: the open conversation, or a new one. */
  chat() {
    const conv = this.current ? this.conversations.find((x) => x.id === this.current) : undefined;
    this.tab = 'chat';
    if (conv && !isDone(conv.statusCategory)) this.openConversation(conv.id);
    else if (this.config) this.newConversation(this.config);
    void this.updateComplete.then(() => this.focusComposer());
  }

  botName(): string {
    // The server's default name is the English "Assistant": a name the inbox did not choose is translated.
    const name = this.config?.bot?.name?.trim();
    return name && name !== 'Assistant' ? name : this.s('bot');
  }

  /** "Talk to a person": the bot hands the room to the team. */
  async handoff(conversationId: string) {
    if (!this.client || this.handingOff.has(conversationId)) return;
    this.handingOff.add(conversationId);
    this.notice = null;
    const res = await this.client.socket
      .timeout(10_000)
      .emitWithAck('bot:handoff', { conversationId })
      .catch(() => undefined);
    this.handingOff.delete(conversationId);
    // Handed off now, or a person already had the room: either way the bot no longer answers.
    if (res?.ok) this.rooms.status(conversationId, { owner: 'human' });
    else this.notice = this.s('somethingWrong');
    this.requestUpdate();
  }

  markReadIfVisible() {
    if (!this.isOpen || this.tab !== 'chat' || this.view !== 'chat' || !this.current || !this.client) return;
    const seq = this.client.seqOf(this.current);
    if (!seq || (this.myRead[this.current] ?? 0) >= seq) return;
    this.myRead = { ...this.myRead, [this.current]: seq };
    store.set(this.key('read'), this.myRead);
    this.client.socket.emit('read', { conversationId: this.current, seq });
  }

  async sendText(body: string) {
    const text = body.trim();
    if (!text || !this.client) return;
    const conv = this.current ? this.conversations.find((c) => c.id === this.current) : undefined;
    if (this.current && conv?.statusCategory !== 'closed') {
      this.client.send(this.current, text).then(
        () => this.requestUpdate(),
        (err: Error) => {
          this.notice = err.message;
        },
      );
      this.requestUpdate(); // the client's outbox shows it as sending
    } else {
      this.pendingStart = { clientId: crypto.randomUUID(), body: text };
      store.set(this.key('start'), this.pendingStart);
      this.view = 'chat';
      void this.connection.startConversation(this.pendingStart);
    }
  }

  async profile(p: Parameters<WidgetHost['profile']>[0]) {
    const body = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== ''));
    if (Object.keys(body).length) await postAs(this, '/widget-api/v1/profile', body);
  }

  newConversation(c: Config) {
    this.current = null;
    this.view = c.preChatForm.enabled && !store.get(this.key('prechat')) ? 'prechat' : 'chat';
  }

  openConversation(id: string) {
    this.current = id;
    this.view = 'chat';
    this.connection.join(id);
    this.markReadIfVisible();
  }

  private scheduleProactive() {
    for (const rule of this.config?.proactive ?? []) {
      if (rule.urlContains && !location.href.includes(rule.urlContains)) continue;
      this.timers.push(
        setTimeout(() => {
          if (!this.isOpen && !this.conversations.length) this.proactive = rule.message;
        }, rule.afterSeconds * 1000),
      );
    }
  }

  // -- rendering --
  override updated() {
    const n = this.rooms.unread(this.myRead);
    if (n !== this.lastUnread) {
      this.lastUnread = n;
      this.api?.emit('unreadCount', n);
    }
    const log = this.renderRoot.querySelector('.body.chat');
    if (log) log.scrollTop = log.scrollHeight;
  }

  override render() {
    if (!this.opts || !this.config) return nothing;
    const parts = {
      uploads: this.uploads,
      csat: this.csat,
      composer: this.composer,
      push: this.push,
      handingOff: this.handingOff,
    };
    return rootView(this, parts, this.config, this.rooms.unread(this.myRead));
  }
}
