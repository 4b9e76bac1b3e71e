import type { Message, Participant, RoomEvent, WidgetConversation } from '@autocrm/shared';
import { type PendingMessage, RoomClient } from '@autocrm/shared/realtime-client';
import { css, html, LitElement, nothing, svg, type TemplateResult } from 'lit';
import { createDispatcher, type Dispatcher, drainQueue } from './api';
import { HelpView } from './help';
import { isRtl, loadLocale, pickLocale, type Strings, t } from './i18n';
import { renderMode, safeHref, textSegments } from './render';
import { richFragment } from './rich';

interface Config {
  title: string;
  color: string;
  position: 'left' | 'right';
  greeting: string | null;
  businessHours: string | null;
  replyTime: string | null;
  features: { csat: boolean; history: boolean; emailCapture: boolean; attachments: boolean };
  preChatForm: { enabled: boolean; requireEmail?: boolean; questions?: { id: string; label: string; required: boolean }[] };
  identityRequired: boolean;
  proactive: { urlContains: string; afterSeconds: number; message: string }[];
  agentsOnline: number;
  /** The inbox's bot, when the server tells (its name); otherwise the translated "Assistant". */
  bot?: { enabled?: boolean; name?: string | null } | null;
}
interface User {
  id?: string;
  email?: string;
  name?: string;
  hash?: string;
  /** Or a JWT (HS256, the inbox's identity secret, sub = user id, exp required) from the site's backend. */
  token?: string;
  attributes?: Record<string, string | number | boolean>;
}
/** The `sub` claim of a JWT, unverified (the server verifies). */
function subjectOf(token: string): string | null {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? `jwt:${sub}` : null;
  } catch {
    return null;
  }
}
interface BootOptions {
  websiteToken: string;
  user?: User;
  locale?: string;
  hideLauncher?: boolean;
}
interface PendingStart {
  clientId: string;
  body: string;
}
type View = 'list' | 'chat' | 'prechat';
type Tab = 'chat' | 'help';
type Owner = 'bot' | 'human';

/** An agent's "typing" without a repeat for this long is gone; visitors repeat theirs more often than that. */
const TYPING_FADE_MS = 6000;
const TYPING_REPEAT_MS = 2500;

const size = (n: number) => (n < 1e6 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1048576).toFixed(1)} MB`);

const CLIP = svg`<path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z" />`;

/**
 * The RoomClient keeps unsent messages in localStorage (they survive a refresh and are sent again),
 * but not its last seen seqs: a fresh page has no messages in memory, so it joins from seq 0 and the
 * server replays the history.
 */
const outboxOnly = {
  getItem: (k: string) => (k.endsWith(':seqs') ? null : localStorage.getItem(k)),
  setItem: (k: string, v: string) => {
    if (!k.endsWith(':seqs')) localStorage.setItem(k, v);
  },
  removeItem: (k: string) => localStorage.removeItem(k),
};

const store = {
  get<T>(key: string): T | undefined {
    try {
      const raw = localStorage.getItem(key);
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch {
      return undefined;
    }
  },
  set(key: string, value: unknown) {
    try {
      if (value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // storage full or blocked: the widget still works for this page view
    }
  },
};

export class AutoCrmWidget extends LitElement {
  static override styles = css`
    .root {
      all: initial;
      position: fixed;
      bottom: 20px;
      right: 20px;
      z-index: 2147483000;
      font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
      color: #111827;
      --c: #2563eb;
    }
    .root.left { right: auto; left: 20px; }
    * { box-sizing: border-box; font: inherit; color: inherit; }
    button { cursor: pointer; border: 0; background: none; min-height: 44px; min-width: 44px; }
    button:focus-visible, textarea:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
    .launcher {
      width: 60px; height: 60px; border-radius: 50%; background: var(--c); color: #fff;
      box-shadow: 0 6px 20px rgba(0,0,0,.25); display: grid; place-items: center; position: relative;
    }
    .launcher svg { width: 28px; height: 28px; fill: #fff; }
    .badge {
      position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; border-radius: 11px; padding: 0 6px;
      background: #b91c1c; color: #fff; font-size: 12px; font-weight: 700; display: grid; place-items: center;
    }
    .bubble {
      position: absolute; bottom: 72px; right: 0; width: 260px; background: #fff; color: #111827; padding: 12px 14px;
      border-radius: 12px; box-shadow: 0 6px 24px rgba(0,0,0,.18); text-align: start; min-height: 0;
    }
    .left .bubble { right: auto; left: 0; }
    .panel {
      position: fixed; bottom: 92px; right: 20px; width: 380px; height: min(620px, calc(100vh - 120px));
      background: #fff; color: #111827; border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.25);
      display: flex; flex-direction: column; overflow: hidden;
    }
    .left .panel { right: auto; left: 20px; }
    header { background: var(--c); color: #fff; padding: 10px 12px; display: flex; align-items: center; gap: 8px; }
    header h2 { margin: 0; font-size: 16px; font-weight: 700; }
    header .sub { font-size: 12px; opacity: .95; }
    header .grow { flex: 1; min-width: 0; }
    header button { color: #fff; font-size: 22px; border-radius: 8px; }
    [dir='rtl'] .back { transform: scaleX(-1); }
    .body { flex: 1; overflow-y: auto; padding: 12px; background: #f9fafb; }
    .notice { background: #fff7ed; color: #7c2d12; border: 1px solid #fed7aa; border-radius: 10px; padding: 10px; margin-bottom: 10px; }
    .notice.info { background: #eff6ff; color: #1e3a8a; border-color: #bfdbfe; }
    .msg { max-width: 80%; margin: 6px 0; display: flex; flex-direction: column; }
    .msg .who { font-size: 12px; color: #4b5563; margin: 0 4px 2px; }
    .msg .text { padding: 8px 12px; border-radius: 14px; background: #fff; border: 1px solid #e5e7eb; white-space: pre-wrap; overflow-wrap: anywhere; }
    .msg .text p { margin: 0 0 6px; } .msg .text p:last-child { margin: 0; }
    /* The bot's quoted passage of a help article: set apart from its own words, in the brand colour. */
    .msg .text blockquote { margin: 4px 0 8px; padding: 6px 10px; border-left: 3px solid var(--c); background: rgba(255,255,255,.7); border-radius: 4px 8px 8px 4px; }
    .msg .text blockquote p { margin: 0 0 4px; }
    .msg .text ul { margin: 0 0 6px; padding-left: 18px; }
    .msg.contact { margin-inline-start: auto; align-items: flex-end; }
    .msg.contact .text { background: var(--c); color: #fff; border-color: transparent; }
    .msg.contact .text a { color: #fff; }
    .msg .text a { color: #1d4ed8; text-decoration: underline; }
    .msg.system { max-width: 100%; align-items: center; color: #4b5563; font-style: italic; font-size: 13px; }
    .msg.system .text { background: none; border: 0; }
    .meta { font-size: 11px; color: #4b5563; margin: 2px 4px 0; }
    .notice.queue { margin: 0; border-radius: 0; border-width: 1px 0 0; padding: 8px 12px; }
    .typing { font-size: 12px; color: #4b5563; padding: 2px 4px; min-height: 18px; }
    form.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e5e7eb; background: #fff; align-items: flex-end; }
    textarea, input {
      flex: 1; resize: none; border: 1px solid #9ca3af; border-radius: 10px; padding: 10px; min-height: 44px; max-height: 120px;
      background: #fff; color: #111827; width: 100%;
    }
    .primary { background: var(--c); color: #fff; border-radius: 10px; padding: 0 16px; font-weight: 600; }
    .list button.conv { display: block; width: 100%; text-align: start; background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 10px 12px; margin: 6px 0; }
    .list button.conv.primary { background: var(--c); color: #fff; border-color: transparent; text-align: center; font-weight: 600; }
    .list h3 { font-size: 14px; margin: 12px 0 4px; }
    .stars { display: flex; gap: 4px; margin: 8px 0; }
    .stars button { font-size: 24px; color: #4b5563; border-radius: 8px; }
    .stars button[aria-pressed='true'] { color: #b45309; }
    label { display: block; margin: 8px 0 4px; font-weight: 600; font-size: 13px; }
    .row { display: flex; gap: 8px; margin-top: 6px; }
    .attach { min-width: 44px; min-height: 44px; display: grid; place-items: center; cursor: pointer; border-radius: 10px; font-size: 20px; position: relative; }
    .attach:focus-within { outline: 3px solid #f59e0b; }
    .text a.file { display: block; margin-top: 6px; }
    .attach svg, a.file svg { width: 20px; height: 20px; fill: currentColor; vertical-align: middle; }
    .text img { max-width: 100%; max-height: 200px; border-radius: 8px; display: block; }
    b, strong { font-weight: 700; } i, em { font-style: italic; } code { font-family: ui-monospace, monospace; font-size: 13px; }
    .tabs { display: flex; background: #fff; border-bottom: 1px solid #e5e7eb; }
    .tabs button { flex: 1; border-bottom: 3px solid transparent; color: #4b5563; font-weight: 600; }
    .tabs button[aria-selected='true'] { border-bottom-color: var(--c); color: #111827; }
    .tag { display: inline-block; font-size: 10px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; background: #ede9fe; color: #5b21b6; border-radius: 4px; padding: 0 5px; margin-inline-start: 4px; vertical-align: 1px; line-height: 16px; }
    .msg.bot .text { background: #f5f3ff; border-color: #ddd6fe; }
    .msg.bot .text ul { margin: 4px 0 0; padding-inline-start: 18px; white-space: normal; }
    .msg.streaming .text::after { content: '▍'; opacity: .6; }
    button.handoff, .pill, .ghost, .choice { background: #fff; border: 1px solid #9ca3af; border-radius: 10px; padding: 0 14px; font-weight: 600; }
    button.handoff { margin-top: 6px; align-self: flex-start; border-radius: 22px; }
    button:disabled { opacity: .6; cursor: default; }
    .help h3.cap { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: #4b5563; margin: 10px 2px 2px; }
    .help .status { font-size: 13px; color: #4b5563; min-height: 20px; margin: 4px 2px; }
    ul.hits { list-style: none; margin: 0; padding: 0; }
    button.hit { display: block; width: 100%; text-align: start; background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 10px 12px; margin: 6px 0; }
    .hit .t { font-weight: 600; }
    .hit .snip { display: block; font-size: 13px; color: #4b5563; margin-top: 2px; }
    mark { background: #fef08a; border-radius: 2px; }
    article.kb { background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 12px 14px; overflow-wrap: anywhere; }
    article.kb h3 { font-size: 17px; font-weight: 700; margin: 0 0 8px; }
    .kb h1, .kb h2, .kb h4 { font-size: 15px; font-weight: 700; margin: 12px 0 4px; }
    .kb p { margin: 0 0 8px; } .kb ul, .kb ol { margin: 0 0 8px; padding-inline-start: 20px; }
    .kb a, a.ext { color: #1d4ed8; text-decoration: underline; }
    .kb img { max-width: 100%; border-radius: 8px; display: block; margin: 6px 0; }
    .kb h3:focus, .kb h4:focus { outline: none; }
    .step { border-top: 1px solid #e5e7eb; margin-top: 8px; padding-top: 8px; }
    .step h4 { margin: 2px 0 6px; } .step .meta { margin: 0; }
    .step .md p { white-space: pre-line; }
    .step .row button.primary { margin-inline-start: auto; }
    .choices { display: flex; flex-direction: column; gap: 6px; margin: 8px 0; }
    .choice { text-align: start; }
    .fb { display: flex; align-items: center; flex-wrap: wrap; gap: 8px; border-top: 1px solid #e5e7eb; margin: 12px 0 0; padding-top: 10px; }
    .fb p { margin: 0; flex-basis: 100%; }
    .fb span { flex: 1; font-weight: 600; }
    a.ext { display: inline-block; margin: 10px 2px 0; font-size: 13px; }
    .more { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-top: 14px; padding: 8px 8px 8px 12px; background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; }
    .transcript { display: flex; align-items: center; flex-wrap: wrap; gap: 8px; margin-top: 10px; font-size: 13px; color: #4b5563; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    @media (max-width: 640px) {
      .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; bottom: 0; right: 0; }
      .left .panel { left: 0; }
      .root.open .launcher, .root.open .bubble { display: none; }
      textarea, input { font-size: 16px; } /* 16px keeps iOS from zooming into the field */
    }
  `;

  // -- state --
  origin = '';
  opts: BootOptions | undefined;
  config: Config | undefined;
  locale = 'en';
  client: RoomClient | undefined;
  api: Dispatcher | undefined;
  conversations: WidgetConversation[] = [];
  current: string | null = null;
  view: View = 'list';
  tab: Tab = 'chat';
  readonly help = new HelpView(this);
  isOpen = false;
  readonly messages = new Map<string, Map<string, Message>>();
  readonly joined = new Set<string>();
  readonly names = new Map<string, string>();
  readonly typingBy = new Map<string, string | null>();
  readonly agentRead = new Map<string, number>();
  readonly assignee = new Map<string, Participant | null>();
  readonly queue = new Map<string, { position?: number; etaMinutes?: number }>();
  /** Who answers each room, as the server last said (conversation:updated). */
  readonly owner = new Map<string, Owner>();
  /** The bot's answer being written, per room: the text so far. */
  readonly streams = new Map<string, { id: string; text: string }>();
  readonly handingOff = new Set<string>();
  myRead: Record<string, number> = {};
  pendingStart: PendingStart | undefined;
  proactive: string | null = null;
  notice: string | null = null;
  csatDraft = { rating: 0, comment: '' };
  /** The last transcript request's answer, per conversation (shown under the button). */
  readonly transcripts = new Map<string, string>();
  uploading: { name: string; pct: number } | null = null;
  private visitorToken = '';
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private typingSent = false;
  private typingAt = 0;
  private readonly typingExpiry = new Map<string, ReturnType<typeof setTimeout>>();
  private timers: ReturnType<typeof setTimeout>[] = [];
  private richCache = new Map<string, HTMLElement>();
  private lastUnread = -1;
  private readyEmitted = false;
  private readonly liveRooms = new Set<string>();

  private key(name: string) {
    return `autocrm:${name}:${this.opts?.websiteToken ?? ''}`;
  }
  s(key: keyof Strings, vars?: Record<string, string | number>) {
    return t(this.locale, key, vars);
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
    this.config = (await res.json()) as Config;
    this.myRead = store.get(this.key('read')) ?? {};
    this.pendingStart = store.get(this.key('start'));
    await this.ensureVisitor(false);
    // The page and browser this visitor is on, for the agent's contact card (best effort).
    void fetch(`${this.origin}/widget-api/v1/context`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        websiteToken: opts.websiteToken,
        visitorToken: this.visitorToken,
        pageUrl: location.href.slice(0, 2000),
        pageTitle: document.title.slice(0, 300),
        referrer: document.referrer.slice(0, 2000),
        language: navigator.language,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }),
    }).catch(() => {});
    await strings;
    this.connect();
    this.scheduleProactive();
    this.requestUpdate();
  }

  shutdown(forget = true) {
    this.client?.close();
    this.client = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (forget && this.opts) {
      // The next person on this browser starts fresh: no token, no unsent messages of the last one.
      store.set(this.key('visitor'), undefined);
      store.set(this.key('start'), undefined);
    }
    this.messages.clear();
    this.joined.clear();
    this.liveRooms.clear();
    this.forgetRooms();
    this.conversations = [];
    this.current = null;
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
    this.requestUpdate();
  }

  /** A signed (hash) or different user means another visitor; otherwise the details go on this contact. */
  async identify(user: User) {
    if (!this.opts) return;
    const before = this.opts.user;
    this.opts = { ...this.opts, user: { ...before, ...user } };
    if (user.hash || user.token || (user.id && user.id !== before?.id)) {
      this.client?.close();
      this.messages.clear();
      this.joined.clear();
      this.liveRooms.clear();
      this.forgetRooms();
      this.current = null;
      await this.ensureVisitor(true);
      this.connect();
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
    this.owner.clear();
    this.streams.clear();
    this.handingOff.clear();
    this.help.reset();
  }

  // -- connection --
  private async ensureVisitor(force: boolean) {
    const opts = this.opts!;
    // Which user this browser's visitor token belongs to: the claimed id, or the identity token's subject
    // (read, not trusted: the server verifies the token; this only decides whether to ask again).
    const wanted = opts.user?.id ?? (opts.user?.token ? subjectOf(opts.user.token) : null);
    const stored = store.get<{ token: string; userId: string | null }>(this.key('visitor'));
    if (!force && stored && stored.userId === wanted) {
      this.visitorToken = stored.token;
      return;
    }
    const res = await fetch(`${this.origin}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken: opts.websiteToken, ...(opts.user ? { user: opts.user } : {}) }),
    });
    if (res.status !== 201) throw new Error(`AutoCRM: visitor ${res.status}`);
    const body = (await res.json()) as { visitorToken: string };
    this.visitorToken = body.visitorToken;
    store.set(this.key('visitor'), { token: body.visitorToken, userId: wanted });
  }

  private connect() {
    const client = new RoomClient({
      url: this.origin,
      namespace: '/widget',
      auth: { websiteToken: this.opts!.websiteToken, visitorToken: this.visitorToken },
      storage: outboxOnly,
    });
    this.client = client;
    const socket = client.socket;
    let refusedOnce = false;
    client.onEvent((e) => this.onRoomEvent(e));
    socket.on('connect', () => void this.refresh());
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      // A token the server no longer knows (database reset, another site): get a new one, once.
      if (err.data?.code !== 'unauthenticated' || refusedOnce) return;
      refusedOnce = true;
      client.close();
      void this.ensureVisitor(true).then(() => this.connect());
    });
    // Merged into another contact: the same visitor token now speaks for the survivor once reconnected.
    socket.on('session:ended', (e) => {
      if (e.code === 'conflict') setTimeout(() => socket.connect(), 200);
    });
    socket.on('typing', (e) => {
      if (e.participant.kind === 'contact') return;
      if (e.participant.id && e.participant.name) this.names.set(e.participant.id, e.participant.name);
      clearTimeout(this.typingExpiry.get(e.conversationId));
      if (e.typing) {
        this.typingBy.set(e.conversationId, e.participant.name);
        // Typing agents repeat the signal every few seconds; one that stops (closed tab, lost network) fades.
        this.typingExpiry.set(
          e.conversationId,
          setTimeout(() => {
            this.typingBy.delete(e.conversationId);
            this.requestUpdate();
          }, TYPING_FADE_MS),
        );
      } else this.typingBy.delete(e.conversationId);
      this.requestUpdate();
    });
    socket.on('read', (e) => {
      if (e.participant.kind !== 'agent') return;
      this.agentRead.set(e.conversationId, Math.max(this.agentRead.get(e.conversationId) ?? 0, e.seq));
      this.requestUpdate();
    });
    socket.on('viewers', (e) => {
      for (const v of e.viewers) if (v.id && v.name) this.names.set(v.id, v.name);
      this.requestUpdate();
    });
    socket.on('conversation:updated', (e) => {
      const name = e.assignee?.id ? this.names.get(e.assignee.id) : undefined;
      this.assignee.set(e.conversationId, e.assignee ? { ...e.assignee, name: name ?? e.assignee.name } : null);
      if (e.assignee?.id && !name) this.learnNames();
      if (e.owner) this.owner.set(e.conversationId, e.owner);
      if (e.owner === 'human') this.streams.delete(e.conversationId);
      const conv = this.conversations.find((c) => c.id === e.conversationId);
      // Reopened: the rating asked for belonged to the round that ended, so the next resolution asks again.
      const wasDone = conv?.statusCategory === 'resolved' || conv?.statusCategory === 'closed';
      if (conv && wasDone && e.statusCategory !== 'resolved' && e.statusCategory !== 'closed')
        store.set(this.key(`csat:${conv.id}`), undefined);
      if (conv) conv.statusCategory = e.statusCategory;
      if (e.statusCategory === 'resolved' || e.statusCategory === 'closed') {
        this.typingBy.delete(e.conversationId);
        this.queue.delete(e.conversationId);
      }
      // Written to after the reopen window: the conversation continues in a new one, opened here.
      if (e.continuedIn) void this.followTo(e.conversationId, e.continuedIn);
      this.requestUpdate();
    });
    // The bot's answer as it is written: the full text so far, shown as text (never HTML).
    socket.on('bot:stream', (e) => {
      if (e.done || !e.text) this.streams.delete(e.conversationId);
      else this.streams.set(e.conversationId, { id: e.streamId, text: e.text });
      this.requestUpdate();
    });
    // Queue transparency: routing sends the position and estimated wait while waiting for a person.
    socket.on('queue:position', (e) => {
      if (e?.conversationId)
        this.queue.set(e.conversationId, { position: e.position, etaMinutes: e.estimatedWaitMinutes ?? undefined });
      this.requestUpdate();
    });
  }

  private async refresh() {
    const client = this.client;
    if (!client) return;
    if (this.pendingStart) await this.startConversation(this.pendingStart);
    const res = await client.socket.timeout(10_000).emitWithAck('conversation:list', {});
    if (!res.ok) return;
    this.setConversations(res.conversations);
    // Live rooms for recent conversations: messages, unread badge, status changes.
    for (const c of res.conversations.slice(0, 5)) {
      if (!this.joined.has(c.id)) {
        this.joined.add(c.id);
        void client.join(c.id).then(
          () => this.liveRooms.add(c.id),
          () => this.joined.delete(c.id),
        );
      }
    }
    if (!this.current && this.conversations[0] && this.conversations[0].statusCategory !== 'closed') {
      this.current = this.conversations[0].id;
      if (this.view === 'list' && this.isOpen) this.view = 'chat';
    }
    if (!this.readyEmitted) {
      this.readyEmitted = true;
      this.api?.emit('ready', { conversations: this.conversations.length });
    }
    this.requestUpdate();
  }

  private setConversations(list: WidgetConversation[]) {
    this.conversations = list;
    for (const c of list) {
      for (const a of c.agents ?? []) this.names.set(a.id, a.name);
      if (c.assignee) {
        this.names.set(c.assignee.id, c.assignee.name);
        this.assignee.set(c.id, { kind: 'agent', id: c.assignee.id, name: c.assignee.name });
      }
    }
  }

  private namesTimer: ReturnType<typeof setTimeout> | undefined;
  /** An agent we cannot name yet wrote: the conversation list carries the names. */
  private learnNames() {
    clearTimeout(this.namesTimer);
    this.namesTimer = setTimeout(async () => {
      const res = await this.client?.socket
        .timeout(10_000)
        .emitWithAck('conversation:list', {})
        .catch(() => undefined);
      if (res?.ok) this.setConversations(res.conversations);
      this.requestUpdate();
    }, 300);
  }

  private onRoomEvent(e: RoomEvent) {
    const map = this.messages.get(e.conversationId) ?? new Map<string, Message>();
    this.messages.set(e.conversationId, map);
    const isNew = !map.has(e.message.id);
    map.set(e.message.id, e.message);
    const conv = this.conversations.find((c) => c.id === e.conversationId);
    if (conv) conv.lastSeq = Math.max(conv.lastSeq, e.eventSeq);
    // History replayed by the first join is not news: 'message' listeners hear what arrives after it.
    const live = this.liveRooms.has(e.conversationId);
    if (e.message.authorKind === 'bot') this.streams.delete(e.conversationId);
    if (isNew && e.message.authorKind !== 'contact') {
      this.typingBy.delete(e.conversationId);
      // A person answered: the wait is over (history replayed on joining is not; the server judged that).
      if (live && e.message.authorKind === 'agent') this.queue.delete(e.conversationId);
      if (e.message.authorId && !this.names.has(e.message.authorId)) this.learnNames();
      if (live)
        this.api?.emit('message', {
          conversationId: e.conversationId,
          authorKind: e.message.authorKind,
          text: e.message.bodyText,
        });
    }
    this.markReadIfVisible();
    this.requestUpdate();
  }

  // -- actions --
  setOpen(open: boolean) {
    if (this.isOpen === open) return;
    this.isOpen = open;
    this.proactive = null;
    if (open && this.current) this.view = 'chat';
    else if (open && !this.conversations.length && this.config) this.newConversation(this.config);
    this.api?.emit(open ? 'open' : 'close');
    this.markReadIfVisible();
    this.requestUpdate();
    if (open) void this.updateComplete.then(() => this.focusComposer());
  }

  private focusComposer() {
    // The message box first: the "We are away" email field and the rating comment are only offered.
    const q = (sel: string) => this.renderRoot.querySelector(sel) as HTMLElement | null;
    (q('.composer textarea') ?? q('.body textarea, .body input, .conv'))?.focus();
  }

  showTab(tab: Tab) {
    this.tab = tab;
    if (tab === 'help') void this.help.enter();
    this.markReadIfVisible();
    this.requestUpdate();
  }

  /** "Chat with us" from the help view: the open conversation, or a new one. */
  chat() {
    const conv = this.current ? this.conversations.find((x) => x.id === this.current) : undefined;
    this.tab = 'chat';
    if (conv && conv.statusCategory !== 'resolved' && conv.statusCategory !== 'closed') this.openConversation(conv.id);
    else if (this.config) this.newConversation(this.config);
    this.requestUpdate();
    void this.updateComplete.then(() => this.focusComposer());
  }

  visitor() {
    return this.opts && this.visitorToken ? { websiteToken: this.opts.websiteToken, visitorToken: this.visitorToken } : undefined;
  }

  botName(): string {
    // The server's default name is the English "Assistant": a name the inbox did not choose is translated.
    const name = this.config?.bot?.name?.trim();
    return name && name !== 'Assistant' ? name : this.s('bot');
  }

  /**
   * Who answers the room: what the server last said; before it said anything, the messages tell (the
   * bot wrote last: the bot; a person wrote, was assigned or the hand-off notice came after it: a person).
   */
  ownerOf(id: string | null): Owner | undefined {
    if (!id) return undefined;
    const known = this.owner.get(id);
    if (known) return known;
    if (this.assignee.get(id)) return 'human';
    let bot = -1;
    let other = -1;
    for (const m of this.messages.get(id)?.values() ?? []) {
      if (m.authorKind === 'bot') bot = Math.max(bot, m.seq);
      else if (m.authorKind !== 'contact') other = Math.max(other, m.seq);
    }
    return bot > other ? 'bot' : other >= 0 ? 'human' : undefined;
  }

  /** "Talk to a person": the bot hands the room to the team. */
  private async handoff(conversationId: string) {
    if (!this.client || this.handingOff.has(conversationId)) return;
    this.handingOff.add(conversationId);
    this.notice = null;
    this.requestUpdate();
    const res = await this.client.socket
      .timeout(10_000)
      .emitWithAck('bot:handoff', { conversationId })
      .catch(() => undefined);
    this.handingOff.delete(conversationId);
    // Handed off now, or a person already had the room: either way the bot no longer answers.
    if (res?.ok) {
      this.owner.set(conversationId, 'human');
      this.streams.delete(conversationId);
    } else this.notice = this.s('somethingWrong');
    this.requestUpdate();
  }

  private markReadIfVisible() {
    if (!this.isOpen || this.tab !== 'chat' || this.view !== 'chat' || !this.current || !this.client) return;
    const seq = this.client.seqOf(this.current);
    if (!seq || (this.myRead[this.current] ?? 0) >= seq) return;
    this.myRead = { ...this.myRead, [this.current]: seq };
    store.set(this.key('read'), this.myRead);
    this.client.socket.emit('read', { conversationId: this.current, seq });
  }

  unreadCount(): number {
    let n = 0;
    for (const [conv, map] of this.messages) {
      const read = this.myRead[conv] ?? 0;
      for (const m of map.values()) if (m.authorKind !== 'contact' && m.seq > read && !m.deletedAt) n++;
    }
    return n;
  }

  private async startConversation(p: PendingStart) {
    const client = this.client;
    if (!client?.socket.connected) return;
    const res = await client.socket
      .timeout(10_000)
      .emitWithAck('conversation:start', { ...p, locale: this.locale })
      .catch(() => undefined);
    if (!res) return; // no ack: retried with the same client id on the next connect
    this.pendingStart = undefined;
    store.set(this.key('start'), undefined);
    if (!res.ok) {
      this.notice = res.error.message;
      return;
    }
    this.current = res.conversationId;
    this.joined.add(res.conversationId);
    await client.join(res.conversationId).catch(() => {});
    this.liveRooms.add(res.conversationId);
    const list = await client.socket.timeout(10_000).emitWithAck('conversation:list', {});
    if (list.ok) this.setConversations(list.conversations);
    this.requestUpdate();
  }

  async sendText(body: string) {
    const text = body.trim();
    if (!text || !this.client) return;
    this.stopTyping();
    const conv = this.current ? this.conversations.find((c) => c.id === this.current) : undefined;
    if (this.current && conv?.statusCategory !== 'closed') {
      this.client.send(this.current, text).then(
        () => this.requestUpdate(),
        (err: Error) => {
          this.notice = err.message;
          this.requestUpdate();
        },
      );
    } else {
      this.pendingStart = { clientId: crypto.randomUUID(), body: text };
      store.set(this.key('start'), this.pendingStart);
      this.view = 'chat';
      void this.startConversation(this.pendingStart);
    }
    this.requestUpdate();
  }

  private onInput(e: InputEvent) {
    const el = e.target as HTMLTextAreaElement;
    if (!this.current || !this.client) return;
    // An emptied box is not typing; a long burst repeats the signal so the agent's indicator does not fade.
    if (!el.value.trim()) return this.stopTyping();
    if (!this.typingSent || Date.now() - this.typingAt > TYPING_REPEAT_MS) {
      this.typingSent = true;
      this.typingAt = Date.now();
      this.client.socket.emit('typing', { conversationId: this.current, typing: true });
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), 3000);
  }

  private stopTyping() {
    clearTimeout(this.typingTimer);
    if (this.typingSent && this.current && this.client) {
      this.client.socket.emit('typing', { conversationId: this.current, typing: false });
    }
    this.typingSent = false;
  }

  private async profile(p: {
    name?: string | undefined;
    email?: string | undefined;
    attributes?: Record<string, string | number | boolean> | undefined;
  }) {
    const body = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== ''));
    if (!Object.keys(body).length) return;
    await fetch(`${this.origin}/widget-api/v1/profile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken: this.opts!.websiteToken, visitorToken: this.visitorToken, ...body }),
    });
  }

  private async rate(conversationId: string) {
    const { rating, comment } = this.csatDraft;
    if (!rating) return;
    const res = await fetch(`${this.origin}/widget-api/v1/csat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        websiteToken: this.opts!.websiteToken,
        visitorToken: this.visitorToken,
        conversationId,
        rating,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      }),
    });
    if (res.ok) store.set(this.key(`csat:${conversationId}`), rating);
    this.csatDraft = { rating: 0, comment: '' };
    this.requestUpdate();
  }

  private scheduleProactive() {
    for (const rule of this.config?.proactive ?? []) {
      if (rule.urlContains && !location.href.includes(rule.urlContains)) continue;
      this.timers.push(
        setTimeout(() => {
          if (this.isOpen || this.conversations.length) return;
          this.proactive = rule.message;
          this.requestUpdate();
        }, rule.afterSeconds * 1000),
      );
    }
  }

  // -- rendering --
  override updated() {
    const n = this.unreadCount();
    if (n !== this.lastUnread) {
      this.lastUnread = n;
      this.api?.emit('unreadCount', n);
    }
    const log = this.renderRoot.querySelector('.body.chat');
    if (log) log.scrollTop = log.scrollHeight;
  }

  /** The status a visitor sees, in their language (categories, not the team's own status names). */
  private statusName(category: string): string {
    const key = ({ open: 'statusOpen', pending: 'statusPending', resolved: 'statusResolved', closed: 'statusClosed' } as const)[
      category as 'open'
    ];
    return key ? this.s(key) : category;
  }

  override render() {
    if (!this.opts || !this.config) return nothing;
    const c = this.config;
    const unread = this.unreadCount();
    return html`<div
      class="root ${c.position === 'left' ? 'left' : ''} ${this.isOpen ? 'open' : ''}"
      style="--c:${c.color}"
      dir=${isRtl(this.locale) ? 'rtl' : 'ltr'}
      lang=${this.locale}
    >
      ${this.isOpen ? this.renderPanel(c) : nothing}
      ${
        this.proactive && !this.isOpen
          ? html`<div class="bubble" role="status"><button class="conv" @click=${() => this.setOpen(true)}>${this.proactive}</button></div>`
          : nothing
      }
      ${
        this.opts.hideLauncher
          ? nothing
          : html`<button
            class="launcher"
            part="launcher"
            aria-label=${`${this.isOpen ? this.s('close') : this.s('open')}${unread ? `, ${this.s('unread', { n: unread })}` : ''}`}
            aria-expanded=${this.isOpen ? 'true' : 'false'}
            @click=${() => this.setOpen(!this.isOpen)}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              ${
                this.isOpen
                  ? svg`<path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" />`
                  : svg`<path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />`
              }
            </svg>
            ${unread && !this.isOpen ? html`<span class="badge" aria-hidden="true">${unread}</span>` : nothing}
          </button>`
      }
    </div>`;
  }

  private renderPanel(c: Config) {
    const conv = this.current ? this.conversations.find((x) => x.id === this.current) : undefined;
    const help = this.tab === 'help';
    const tab = (t: Tab, label: string) =>
      html`<button role="tab" id=${`tab-${t}`} aria-selected=${this.tab === t ? 'true' : 'false'} @click=${() => this.showTab(t)}>
        ${label}
      </button>`;
    return html`<section class="panel" role="dialog" aria-label=${c.title} part="panel">
      <header>
        ${
          help && this.help.article
            ? html`<button class="back" aria-label=${this.s('backToHelp')} @click=${() => this.help.close()}>‹</button>`
            : !help && this.view === 'chat' && c.features.history
              ? html`<button class="back" aria-label=${this.s('back')} @click=${() => this.go('list')}>‹</button>`
              : nothing
        }
        <div class="grow">
          <h2>${c.title}</h2>
          <div class="sub" aria-live="polite">
            ${help ? this.s('helpSearch') : this.view === 'chat' ? this.answering() : (c.businessHours ?? '')}
          </div>
        </div>
        <button aria-label=${this.s('close')} @click=${() => this.setOpen(false)}>×</button>
      </header>
      <div class="tabs" role="tablist">${tab('chat', this.s('tabChat'))}${tab('help', this.s('tabHelp'))}</div>
      ${
        help
          ? this.help.render()
          : this.view === 'list'
            ? this.renderList(c)
            : this.view === 'prechat'
              ? this.renderPrechat(c)
              : this.renderChat(c, conv)
      }
    </section>`;
  }

  private go(view: View) {
    this.view = view;
    this.requestUpdate();
  }

  private pickRating(n: number) {
    this.csatDraft = { ...this.csatDraft, rating: n };
    this.requestUpdate();
  }

  private answering(): string {
    if (this.ownerOf(this.current) === 'bot') return this.s('answeringBot', { name: this.botName() });
    const map = this.current ? this.messages.get(this.current) : undefined;
    const last = map ? [...map.values()].sort((a, b) => b.seq - a.seq).find((m) => m.authorKind === 'agent') : undefined;
    const assigned = this.current ? this.assignee.get(this.current) : undefined;
    const agentId = assigned?.id ?? last?.authorId;
    if (agentId) return this.s('answeringAgent', { name: this.names.get(agentId) ?? this.s('agent') });
    return this.s('answeringTeam');
  }

  private renderList(c: Config) {
    return html`<div class="body list">
      ${c.greeting ? html`<p>${c.greeting}</p>` : nothing}
      <button class="primary conv" @click=${() => this.newConversation(c)}>${this.s('newConversation')}</button>
      <button class="conv" @click=${() => this.showTab('help')}>${this.s('findAnswers')}</button>
      <slot name="help"></slot>
      ${
        this.conversations.length && c.features.history
          ? html`<h3>${this.s('conversations')}</h3>
            ${this.conversations.map(
              (x) =>
                html`<button class="conv" @click=${() => this.openConversation(x.id)}>
                  ${x.subject ?? this.s('conversation', { n: x.number })}
                  <span class="meta">· ${this.statusName(x.statusCategory)} · ${new Date(x.lastActivityAt).toLocaleDateString(this.locale)}</span>
                </button>`,
            )}`
          : nothing
      }
    </div>`;
  }

  private newConversation(c: Config) {
    this.current = null;
    this.view = c.preChatForm.enabled && !store.get(this.key('prechat')) ? 'prechat' : 'chat';
    this.requestUpdate();
  }

  private async followTo(from: string, to: string) {
    const list = await this.client?.socket
      .timeout(10_000)
      .emitWithAck('conversation:list', {})
      .catch(() => undefined);
    if (list?.ok) this.setConversations(list.conversations);
    if (this.current === from) this.openConversation(to);
    else this.requestUpdate();
  }

  private openConversation(id: string) {
    this.current = id;
    this.view = 'chat';
    if (!this.joined.has(id) && this.client) {
      this.joined.add(id);
      void this.client.join(id).then(() => this.liveRooms.add(id));
    }
    this.markReadIfVisible();
    this.requestUpdate();
  }

  private renderPrechat(c: Config) {
    const submit = async (e: SubmitEvent) => {
      e.preventDefault();
      const form = new FormData(e.target as HTMLFormElement);
      const attributes: Record<string, string> = {};
      for (const q of c.preChatForm.questions ?? []) {
        const v = String(form.get(`q_${q.id}`) ?? '').trim();
        if (v) attributes[q.id] = v;
      }
      await this.profile({
        name: String(form.get('name') ?? '').trim() || undefined,
        email: String(form.get('email') ?? '').trim() || undefined,
        attributes,
      });
      store.set(this.key('prechat'), true);
      this.view = 'chat';
      this.requestUpdate();
    };
    return html`<form class="body" @submit=${submit}>
      ${c.greeting ? html`<p>${c.greeting}</p>` : nothing}
      <label for="pc-name">${this.s('name')}</label>
      <input id="pc-name" name="name" autocomplete="name" required />
      <label for="pc-email">${this.s('email')}</label>
      <input id="pc-email" name="email" type="email" autocomplete="email" ?required=${!!c.preChatForm.requireEmail} />
      ${(c.preChatForm.questions ?? []).map(
        (q) =>
          html`<label for=${`pc-${q.id}`}>${q.label}</label><input id=${`pc-${q.id}`} name=${`q_${q.id}`} ?required=${q.required} />`,
      )}
      <div class="row"><button class="primary" type="submit">${this.s('start')}</button></div>
    </form>`;
  }

  private renderChat(c: Config, conv: WidgetConversation | undefined) {
    const id = this.current;
    const list = id ? [...(this.messages.get(id)?.values() ?? [])].sort((a, b) => a.seq - b.seq) : [];
    const known = new Set(list.map((m) => m.clientId).filter(Boolean));
    const pending: (PendingMessage | PendingStart)[] = [
      ...(id ? (this.client?.pending() ?? []).filter((p) => p.conversationId === id && !known.has(p.clientId)) : []),
      ...(this.pendingStart && !id ? [this.pendingStart] : []),
    ];
    const lastMine = [...list].reverse().find((m) => m.authorKind === 'contact');
    const seenUpTo = id ? (this.agentRead.get(id) ?? 0) : 0;
    const resolved = conv && (conv.statusCategory === 'resolved' || conv.statusCategory === 'closed');
    // A person has it (or it is over): the place in line it had is history, not something to show.
    const q = id && !resolved && !this.assignee.get(id) ? this.queue.get(id) : undefined;
    const typing = id ? this.typingBy.get(id) : undefined;
    const visible = list.filter((m) => !m.deletedAt);
    const botOwns = !resolved && this.ownerOf(id) === 'bot';
    // "Talk to a person" sits under the bot's latest message while the bot has the room.
    const lastBot = botOwns ? [...visible].reverse().find((m) => m.authorKind === 'bot') : undefined;
    const offer = lastBot?.meta?.actions?.includes('handoff') ? lastBot : undefined;
    const stream = id ? this.streams.get(id) : undefined;
    return html`<div class="body chat" role="log" aria-live="polite" aria-label=${c.title}>
        ${c.agentsOnline === 0 ? this.renderOffline(c) : nothing}
        ${c.greeting && !list.length ? html`<div class="msg greeting"><div class="text">${c.greeting}</div></div>` : nothing}
        ${visible.map((m) => this.renderMessage(m, m === lastMine && seenUpTo >= m.seq, m === offer))}
        ${pending.map(
          (p) => html`<div class="msg contact pending">
            <div class="text">${p.body}</div>
            <div class="meta">${this.s('sending')}</div>
          </div>`,
        )}
        ${
          stream
            ? html`<div class="msg bot streaming" aria-busy="true">
              <span class="who">${this.botName()} <span class="tag">${this.s('botTag')}</span></span>
              <div class="text">${this.plain(stream.text)}</div>
            </div>`
            : nothing
        }
        ${resolved ? this.renderCsat(c, conv!) : nothing}
        ${conv && visible.length ? this.renderTranscript(conv.id) : nothing}
        ${this.uploading ? html`<div class="notice info" role="status">${this.s('uploading', this.uploading)}</div>` : nothing}
        ${this.notice ? html`<div class="notice" role="alert">${this.notice}</div>` : nothing}
      </div>
      ${
        q?.position && !resolved
          ? html`<div class="notice info queue" role="status">
            ${this.s('queue', { position: q.position })}${q.etaMinutes ? ` (${this.s('eta', { minutes: Math.max(1, q.etaMinutes) })})` : ''}
          </div>`
          : nothing
      }
      <div class="typing" aria-live="polite">${typing !== undefined && !resolved ? this.s('typing', { name: typing ?? this.s('someone') }) : ''}</div>
      <form
        class="composer"
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          const ta = (e.target as HTMLFormElement).querySelector('textarea')!;
          void this.sendText(ta.value);
          ta.value = '';
        }}
      >
        ${c.features.attachments && id ? this.renderAttach() : nothing}
        <label class="sr" for="composer">${this.s('messageLabel')}</label>
        <textarea
          id="composer"
          rows="1"
          placeholder=${this.s('placeholder')}
          @input=${this.onInput}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              (e.target as HTMLTextAreaElement).form?.requestSubmit();
            }
          }}
        ></textarea>
        <button class="primary" type="submit">${this.s('send')}</button>
      </form>`;
  }

  private renderMessage(m: Message, seen: boolean, offerHandoff = false): TemplateResult {
    const who =
      m.authorKind === 'contact'
        ? this.s('you')
        : m.authorKind === 'bot'
          ? html`${this.botName()} <span class="tag">${this.s('botTag')}</span>`
          : m.authorKind === 'agent'
            ? ((m.authorId && this.names.get(m.authorId)) ?? this.s('agent'))
            : '';
    const busy = this.handingOff.has(m.conversationId);
    return html`<div class="msg ${m.authorKind}" data-seq=${m.seq}>
      ${m.authorKind !== 'system' ? html`<span class="who">${who}</span>` : nothing}
      <div class="text">${renderMode(m) === 'rich' ? this.rich(m) : this.plain(m.bodyText)}${this.files(m)}</div>
      ${
        offerHandoff
          ? html`<button class="handoff" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'} @click=${() => this.handoff(m.conversationId)}>
            ${this.s('talkToPerson')}
          </button>`
          : nothing
      }
      ${seen ? html`<div class="meta">${this.s('seen')}</div>` : nothing}
    </div>`;
  }

  private files(m: Message) {
    return m.attachments.map((a) => {
      const href = safeHref(a.url);
      if (!href) return nothing;
      return a.contentType.startsWith('image/')
        ? html`<a class="file" href=${href} target="_blank" rel="noopener noreferrer nofollow"><img src=${href} alt=${a.name} /></a>`
        : html`<a class="file" href=${href} target="_blank" rel="noopener noreferrer nofollow" download=${a.name}
              ><svg viewBox="0 0 24 24" aria-hidden="true">${CLIP}</svg> ${a.name} <small>${size(a.size)}</small></a
            >`;
    });
  }

  private renderAttach() {
    return html`<label class="attach" title=${this.s('attach')}>
      <span class="sr">${this.s('attach')}</span>
      <input
        type="file"
        class="sr"
        accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,application/zip"
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          const file = input.files?.[0];
          input.value = '';
          if (file) void this.upload(file);
        }}
      />
      <svg viewBox="0 0 24 24" aria-hidden="true">${CLIP}</svg>
    </label>`;
  }

  /** Uploads with progress (XHR: fetch has no upload progress), then sends a message carrying the file. */
  private async upload(file: File) {
    const conversationId = this.current;
    if (!conversationId || !this.client) return;
    this.uploading = { name: file.name, pct: 0 };
    this.notice = null;
    this.requestUpdate();
    try {
      const attachment = await new Promise<{ name: string; contentType: string; size: number; url: string }>(
        (resolve, reject) => {
          const xhr = new XMLHttpRequest();
          xhr.open('POST', `${this.origin}/widget-uploads`);
          xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
          xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
          xhr.setRequestHeader('x-website-token', this.opts!.websiteToken);
          xhr.setRequestHeader('x-visitor-token', this.visitorToken);
          xhr.upload.onprogress = (ev) => {
            if (ev.lengthComputable && this.uploading) {
              this.uploading = { ...this.uploading, pct: Math.round((ev.loaded / ev.total) * 100) };
              this.requestUpdate();
            }
          };
          xhr.onload = () => {
            let body: any;
            try {
              body = JSON.parse(xhr.responseText);
            } catch {
              body = undefined;
            }
            if (xhr.status === 201 && body) resolve(body);
            else reject(new Error(body?.error?.message ?? `HTTP ${xhr.status}`));
          };
          xhr.onerror = () => reject(new Error('network error'));
          xhr.send(file);
        },
      );
      this.uploading = null;
      void this.client.send(conversationId, attachment.name, { attachments: [attachment] }).then(() => this.requestUpdate());
    } catch (err) {
      this.uploading = null;
      this.notice = this.s('uploadFailed', { name: file.name, reason: (err as Error).message });
    }
    this.requestUpdate();
  }

  private plain(text: string) {
    return textSegments(text).map((s) =>
      'href' in s ? html`<a href=${s.href} target="_blank" rel="noopener noreferrer nofollow">${s.text}</a>` : s.text,
    );
  }

  private rich(m: Message) {
    const key = `${m.id}:${m.editedAt ?? ''}`;
    let el = this.richCache.get(key);
    if (!el) {
      el = document.createElement('span');
      // Images an agent pasted are stored on our server: kept; relative ones resolve against it.
      el.appendChild(richFragment(m.bodyHtml, document, { base: this.origin, imageOrigins: [this.origin] }));
      this.richCache.set(key, el);
    }
    return el;
  }

  private renderOffline(c: Config) {
    const saved = store.get<string>(this.key('email'));
    const submit = async (e: SubmitEvent) => {
      e.preventDefault();
      const email = String(new FormData(e.target as HTMLFormElement).get('email') ?? '').trim();
      if (!email) return;
      await this.profile({ email });
      store.set(this.key('email'), email);
      this.requestUpdate();
    };
    return html`<div class="notice offline" role="status">
      <div>${this.s('offline')} ${c.replyTime ? this.s('replyTime', { time: c.replyTime }) : ''}</div>
      ${c.businessHours ? html`<div>${c.businessHours}</div>` : nothing}
      ${
        c.features.emailCapture
          ? saved
            ? html`<div>${this.s('saved', { email: saved })}</div>`
            : html`<form @submit=${submit}>
              <label for="offline-email">${this.s('leaveEmail')}</label>
              <div class="row">
                <input id="offline-email" name="email" type="email" autocomplete="email" required />
                <button class="primary" type="submit">${this.s('save')}</button>
              </div>
            </form>`
          : nothing
      }
    </div>`;
  }

  /** "Email me a transcript": goes only to the address this visitor gave (profile or the away form). */
  private async transcript(conversationId: string) {
    const res = await fetch(`${this.origin}/api/v1/email/transcript`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken: this.opts!.websiteToken, visitorToken: this.visitorToken, conversationId }),
    }).catch(() => undefined);
    const outcome = res?.ok ? ((await res.json()) as { outcome: string }).outcome : 'error';
    const key = ({ queued: 'transcriptSent', no_address: 'transcriptNoAddress', too_soon: 'transcriptTooSoon' } as const)[
      outcome as 'queued'
    ];
    this.transcripts.set(conversationId, this.s(key ?? 'somethingWrong'));
    this.requestUpdate();
  }

  private renderTranscript(conversationId: string) {
    const said = this.transcripts.get(conversationId);
    return html`<div class="transcript">
      <button type="button" class="ghost" @click=${() => this.transcript(conversationId)}>${this.s('emailTranscript')}</button>
      ${said ? html`<span role="status">${said}</span>` : nothing}
    </div>`;
  }

  private renderCsat(c: Config, conv: WidgetConversation) {
    if (!c.features.csat) return html`<div class="msg system"><div class="text">${this.s('resolved')}</div></div>`;
    if (store.get(this.key(`csat:${conv.id}`))) return html`<div class="notice info" role="status">${this.s('thanks')}</div>`;
    return html`<div class="notice info csat">
      <div>${this.s('resolved')} <strong>${this.s('rate')}</strong></div>
      <div class="stars" role="group" aria-label=${this.s('rate')}>
        ${[1, 2, 3, 4, 5].map(
          (n) => html`<button
            type="button"
            aria-label=${this.s('star', { n })}
            aria-pressed=${this.csatDraft.rating >= n ? 'true' : 'false'}
            @click=${() => this.pickRating(n)}
          >
            ★
          </button>`,
        )}
      </div>
      <label for="csat-comment">${this.s('comment')}</label>
      <textarea
        id="csat-comment"
        @input=${(e: InputEvent) => (this.csatDraft.comment = (e.target as HTMLTextAreaElement).value)}
      ></textarea>
      <div class="row">
        <button class="primary" type="button" ?disabled=${!this.csatDraft.rating} @click=${() => this.rate(conv.id)}>
          ${this.s('submit')}
        </button>
      </div>
    </div>`;
  }
}

// -- start: take over from the loader's stub and replay its queue --
const TAG = 'autocrm-widget';
if (!customElements.get(TAG)) customElements.define(TAG, AutoCrmWidget);
{
  const w = window as unknown as { AutoCRM?: { q?: ArrayLike<unknown>[] } & Record<string, unknown> };
  const script = document.currentScript as HTMLScriptElement | null;
  const origin = script?.dataset.origin ?? new URL(script?.src ?? '/', location.href).origin;
  let el: AutoCrmWidget | undefined;
  const widget = () => {
    if (!el) {
      el = document.createElement(TAG) as AutoCrmWidget;
      el.origin = origin;
      el.api = api;
      document.body.appendChild(el);
    }
    return el;
  };
  const log = (msg: string) => console.warn(msg);
  const api: Dispatcher = createDispatcher(
    {
      boot: (o: BootOptions) =>
        widget()
          .boot(o)
          .catch((err) => log(String(err))),
      update: (o: Partial<BootOptions> & User) => el?.updateBoot(o),
      shutdown: () => {
        el?.shutdown();
        el?.remove();
        el = undefined;
      },
      show: () => el?.show(),
      hide: () => el?.hide(),
      identify: (u: User) => el?.identify(u),
      setLocale: (l: string) => el?.setLocale(l),
    },
    log,
  );
  const queue = w.AutoCRM?.q;
  (window as unknown as { AutoCRM: Dispatcher }).AutoCRM = api;
  drainQueue(queue, api);
}
