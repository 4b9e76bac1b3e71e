import { html, nothing, svg } from 'lit';
import type { WidgetHost } from '../host';
import { isRtl } from '../i18n';
import { store } from '../storage';
import type { Config, Tab } from '../types';
import { type ChatParts, chatView } from './chat';
import { elsewhereView } from './elsewhere';

/** The status a visitor sees, in their language (categories, not the team's own status names). */
function statusName(w: WidgetHost, category: string): string {
  const key = ({ open: 'statusOpen', pending: 'statusPending', resolved: 'statusResolved', closed: 'statusClosed' } as const)[
    category as 'open'
  ];
  return key ? w.s(key) : category;
}

/** The header's second line in a chat: who answers (the bot, the assignee, the last agent, the team). */
function answering(w: WidgetHost): string {
  const id = w.current;
  if (w.rooms.ownerOf(id) === 'bot') return w.s('answeringBot', { name: w.botName() });
  const last = [...w.rooms.messages(id)].reverse().find((m) => m.authorKind === 'agent');
  const agentId = w.rooms.assigneeOf(id) ?? last?.authorId;
  if (agentId) return w.s('answeringAgent', { name: w.rooms.names.get(agentId) ?? w.s('agent') });
  return w.s('answeringTeam');
}

/** The launcher (with the unread badge), the proactive bubble and, when open, the panel. */
export function rootView(w: WidgetHost, p: ChatParts, c: Config, unread: number) {
  return html`<div
    class="root ${c.position === 'left' ? 'left' : ''} ${w.isOpen ? 'open' : ''}"
    style="--c:${c.color}"
    dir=${isRtl(w.locale) ? 'rtl' : 'ltr'}
    lang=${w.locale}
  >
    ${w.isOpen ? panelView(w, p, c) : nothing}
    ${
      w.proactive && !w.isOpen
        ? html`<div class="bubble" role="status"><button class="conv" @click=${() => w.setOpen(true)}>${w.proactive}</button></div>`
        : nothing
    }
    ${w.isOpen || w.proactive ? nothing : w.news.slice(0, 1).map((n) => html`<div class="bubble" role="status" data-news=${n.id}><b>${n.title}</b><br>${n.body}<button class="x" aria-label=${w.s('close')} @click=${() => w.dismissNews(n.id)}>×</button></div>`)}
    ${
      w.opts?.hideLauncher
        ? nothing
        : html`<button
          class="launcher"
          part="launcher"
          aria-label=${`${w.isOpen ? w.s('close') : w.s('open')}${unread ? `, ${w.s('unread', { n: unread })}` : ''}`}
          aria-expanded=${w.isOpen ? 'true' : 'false'}
          @click=${() => w.setOpen(!w.isOpen)}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            ${
              w.isOpen
                ? svg`<path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" />`
                : svg`<path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />`
            }
          </svg>
          ${unread && !w.isOpen ? html`<span class="badge" aria-hidden="true">${unread}</span>` : nothing}
        </button>`
    }
  </div>`;
}

function panelView(w: WidgetHost, p: ChatParts, c: Config) {
  const conv = w.current ? w.conversations.find((x) => x.id === w.current) : undefined;
  const help = w.tab === 'help';
  const tab = (t: Tab, label: string) =>
    html`<button role="tab" id=${`tab-${t}`} aria-selected=${w.tab === t ? 'true' : 'false'} @click=${() => w.showTab(t)}>
      ${label}
    </button>`;
  return html`<section class="panel" role="dialog" aria-label=${c.title} part="panel">
    <header>
      ${
        help && w.help?.article
          ? html`<button class="back" aria-label=${w.s('backToHelp')} @click=${() => w.help?.close()}>‹</button>`
          : !help && (w.view === 'chat' || w.view === 'past') && c.features.history
            ? html`<button class="back" aria-label=${w.s('back')} @click=${() => (w.view = 'list')}>‹</button>`
            : nothing
      }
      <div class="grow">
        <h2>${c.title}</h2>
        <div class="sub" aria-live="polite">
          ${help ? w.s('helpSearch') : w.view === 'chat' ? answering(w) : (c.businessHours ?? '')}
        </div>
      </div>
      <button aria-label=${w.s('close')} @click=${() => w.setOpen(false)}>×</button>
    </header>
    <div class="tabs" role="tablist">${tab('chat', w.s('tabChat'))}${tab('help', w.s('tabHelp'))}</div>
    ${
      help
        ? (w.help?.render() ?? html`<div class="body help" aria-busy="true"></div>`)
        : w.view === 'list'
          ? listView(w, c)
          : w.view === 'prechat'
            ? prechatView(w, c)
            : w.view === 'past'
              ? elsewhereView(w)
              : chatView(w, p, c, conv)
    }
  </section>`;
}

function listView(w: WidgetHost, c: Config) {
  return html`<div class="body list">
    ${c.greeting ? html`<p>${c.greeting}</p>` : nothing}
    <button class="primary conv" @click=${() => w.newConversation(c)}>${w.s('newConversation')}</button>
    <button class="conv" @click=${() => w.showTab('help')}>${w.s('findAnswers')}</button>
    <slot name="help"></slot>
    ${
      w.conversations.length && c.features.history
        ? html`<h3>${w.s('conversations')}</h3>
          ${w.conversations.map((x) =>
            convButton(w, x.subject ?? w.s('conversation', { n: x.number }), x.statusCategory, x.lastActivityAt, () =>
              w.openConversation(x.id),
            ),
          )}`
        : nothing
    }
    ${
      w.elsewhere.tickets.length && c.features.history
        ? html`<h3>${w.s('elsewhere')}</h3>
          ${w.elsewhere.tickets.map((t) =>
            convButton(w, t.subject ?? w.s('conversation', { n: t.number }), t.status.category, t.lastActivityAt, () =>
              w.elsewhere.read(t.id),
            ),
          )}`
        : nothing
    }
  </div>`;
}

function convButton(w: WidgetHost, title: string, category: string, at: string, open: () => void) {
  return html`<button class="conv" @click=${open}>
    ${title}
    <span class="meta">· ${statusName(w, category)} · ${new Date(at).toLocaleDateString(w.locale)}</span>
  </button>`;
}

/** The pre-chat form: name, email and the inbox's questions, asked once per browser. */
function prechatView(w: WidgetHost, c: Config) {
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const attributes: Record<string, string> = {};
    for (const q of c.preChatForm.questions ?? []) {
      const v = String(form.get(`q_${q.id}`) ?? '').trim();
      if (v) attributes[q.id] = v;
    }
    await w.profile({
      name: String(form.get('name') ?? '').trim() || undefined,
      email: String(form.get('email') ?? '').trim() || undefined,
      attributes,
    });
    store.set(w.key('prechat'), true);
    w.view = 'chat';
  };
  return html`<form class="body" @submit=${submit}>
    ${c.greeting ? html`<p>${c.greeting}</p>` : nothing}
    <label for="pc-name">${w.s('name')}</label>
    <input id="pc-name" name="name" autocomplete="name" required />
    <label for="pc-email">${w.s('email')}</label>
    <input id="pc-email" name="email" type="email" autocomplete="email" ?required=${!!c.preChatForm.requireEmail} />
    ${(c.preChatForm.questions ?? []).map(
      (q) =>
        html`<label for=${`pc-${q.id}`}>${q.label}</label><input id=${`pc-${q.id}`} name=${`q_${q.id}`} ?required=${q.required} />`,
    )}
    <div class="row"><button class="primary" type="submit">${w.s('start')}</button></div>
  </form>`;
}
