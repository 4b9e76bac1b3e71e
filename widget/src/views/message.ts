import type { Message } from '@autocrm/shared';
import { html, nothing, type TemplateResult } from 'lit';
import type { WidgetHost } from '../host';
import { renderMode, textSegments } from '../render';
import { richFragment } from '../rich';
import { files } from '../uploads';

/** Customer text (and the bot's stream) as text: web links become safe links, markup shows as typed. */
export const plain = (text: string) =>
  textSegments(text).map((s) =>
    'href' in s ? html`<a href=${s.href} target="_blank" rel="noopener noreferrer nofollow">${s.text}</a>` : s.text,
  );

// Sanitized once per revision: re-rendering the log must not rebuild every rich message.
const richCache = new Map<string, HTMLElement>();
function rich(origin: string, m: Message) {
  const key = `${m.id}:${m.editedAt ?? ''}`;
  let el = richCache.get(key);
  if (!el) {
    el = document.createElement('span');
    // Images an agent pasted are stored on our server: kept; relative ones resolve against it.
    el.appendChild(richFragment(m.bodyHtml, document, { base: origin, imageOrigins: [origin] }));
    richCache.set(key, el);
  }
  return el;
}

/** One stored message; "Talk to a person" under the bot's latest while the bot has the room. */
export function messageView(w: WidgetHost, m: Message, seen: boolean, offerHandoff: boolean, busy: boolean): TemplateResult {
  const who =
    m.authorKind === 'contact'
      ? w.s('you')
      : m.authorKind === 'bot'
        ? html`${w.botName()} <span class="tag">${w.s('botTag')}</span>`
        : m.authorKind === 'agent'
          ? ((m.authorId && w.rooms.names.get(m.authorId)) ?? w.s('agent'))
          : '';
  return html`<div class="msg ${m.authorKind}" data-seq=${m.seq}>
    ${m.authorKind !== 'system' ? html`<span class="who">${who}</span>` : nothing}
    <div class="text">${renderMode(m) === 'rich' ? rich(w.origin, m) : plain(m.bodyText)}${files(m)}</div>
    ${
      offerHandoff
        ? html`<button class="handoff" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'} @click=${() => w.handoff(m.conversationId)}>
          ${w.s('talkToPerson')}
        </button>`
        : nothing
    }
    ${seen ? html`<div class="meta">${w.s('seen')}</div>` : nothing}
  </div>`;
}
