import type { WidgetConversation } from '@autocrm/shared';
import type { PendingMessage } from '@autocrm/shared/realtime-client';
import { html, nothing } from 'lit';
import type { ComposerController } from '../composer';
import type { CsatController } from '../csat';
import type { WidgetHost } from '../host';
import type { PushOptIn } from '../push';
import { store } from '../storage';
import type { Config, PendingStart } from '../types';
import type { UploadsController } from '../uploads';
import { messageView, plain } from './message';

/** The controllers the chat view draws from. */
export interface ChatParts {
  uploads: UploadsController;
  csat: CsatController;
  composer: ComposerController;
  push: PushOptIn;
  handingOff: ReadonlySet<string>;
}

const isDone = (conv: WidgetConversation | undefined) => conv?.statusCategory === 'resolved' || conv?.statusCategory === 'closed';

/** The open conversation: the log, what is being sent, the bot's stream, the queue, typing, the composer. */
export function chatView(w: WidgetHost, p: ChatParts, c: Config, conv: WidgetConversation | undefined) {
  const id = w.current;
  const list = w.rooms.messages(id);
  const known = new Set(list.map((m) => m.clientId).filter(Boolean));
  const pending: (PendingMessage | PendingStart)[] = [
    ...(id ? (w.client?.pending() ?? []).filter((x) => x.conversationId === id && !known.has(x.clientId)) : []),
    ...(w.pendingStart && !id ? [w.pendingStart] : []),
  ];
  const lastMine = [...list].reverse().find((m) => m.authorKind === 'contact');
  const seenUpTo = w.rooms.agentReadUpTo(id);
  const resolved = isDone(conv);
  // A person has it (or it is over): the place in line it had is history, not something to show.
  const q = id && !resolved && !w.rooms.assigneeOf(id) ? w.rooms.queue(id) : undefined;
  const typing = resolved ? undefined : w.rooms.typing(id);
  const visible = list.filter((m) => !m.deletedAt);
  const botOwns = !resolved && w.rooms.ownerOf(id) === 'bot';
  // "Talk to a person" sits under the bot's latest message while the bot has the room.
  const lastBot = botOwns ? [...visible].reverse().find((m) => m.authorKind === 'bot') : undefined;
  const offer = lastBot?.meta?.actions?.includes('handoff') ? lastBot : undefined;
  const stream = w.rooms.stream(id);
  const busy = !!id && p.handingOff.has(id);
  return html`<div class="body chat" role="log" aria-live="polite" aria-label=${c.title}>
      ${c.agentsOnline === 0 ? offlineView(w, c) : nothing}
      ${c.greeting && !list.length ? html`<div class="msg greeting"><div class="text">${c.greeting}</div></div>` : nothing}
      ${visible.map((m) => messageView(w, m, m === lastMine && seenUpTo >= m.seq, m === offer, busy))}
      ${pending.map(
        (x) => html`<div class="msg contact pending">
          <div class="text">${x.body}</div>
          <div class="meta">${w.s('sending')}</div>
        </div>`,
      )}
      ${
        stream
          ? html`<div class="msg bot streaming" aria-busy="true">
            <span class="who">${w.botName()} <span class="tag">${w.s('botTag')}</span></span>
            <div class="text">${plain(stream)}</div>
          </div>`
          : nothing
      }
      ${resolved ? nothing : p.push.render(!!lastMine || pending.length > 0)}
      ${resolved ? p.csat.render(c, conv!) : nothing}
      ${conv && visible.length ? p.csat.renderTranscript(conv.id) : nothing}
      ${p.uploads.renderProgress()}
      ${w.notice ? html`<div class="notice" role="alert">${w.notice}</div>` : nothing}
    </div>
    ${
      q?.position
        ? html`<div class="notice info queue" role="status">
          ${w.s('queue', { position: q.position })}${q.etaMinutes ? ` (${w.s('eta', { minutes: Math.max(1, q.etaMinutes) })})` : ''}
        </div>`
        : nothing
    }
    <div class="typing" aria-live="polite">${typing !== undefined ? w.s('typing', { name: typing ?? w.s('someone') }) : ''}</div>
    ${p.composer.render(c)}`;
}

/** "We are away": the reply time, the hours, and the email the answer should reach. */
function offlineView(w: WidgetHost, c: Config) {
  const saved = store.get<string>(w.key('email'));
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const email = String(new FormData(e.target as HTMLFormElement).get('email') ?? '').trim();
    if (!email) return;
    await w.profile({ email });
    store.set(w.key('email'), email);
    w.requestUpdate();
  };
  return html`<div class="notice offline" role="status">
    <div>${w.s('offline')} ${c.replyTime ? w.s('replyTime', { time: c.replyTime }) : ''}</div>
    ${c.businessHours ? html`<div>${c.businessHours}</div>` : nothing}
    ${
      c.features.emailCapture
        ? saved
          ? html`<div>${w.s('saved', { email: saved })}</div>`
          : html`<form @submit=${submit}>
            <label for="offline-email">${w.s('leaveEmail')}</label>
            <div class="row">
              <input id="offline-email" name="email" type="email" autocomplete="email" required />
              <button class="primary" type="submit">${w.s('save')}</button>
            </div>
          </form>`
        : nothing
    }
  </div>`;
}
