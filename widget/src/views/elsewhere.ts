import { html, nothing } from 'lit';
import type { WidgetHost } from '../host';
import { plain } from './message';

/** A conversation of another channel, read only: its public messages, and that the answer goes there. */
export function elsewhereView(w: WidgetHost) {
  const t = w.elsewhere.open;
  return html`<div class="body chat" aria-busy=${t ? 'false' : 'true'}>
    <div class="notice info">${w.s('readOnlyElsewhere')}</div>
    ${
      t
        ? t.messages.map(
            (m) => html`<div class="msg ${m.from === 'you' ? 'contact' : m.from}" data-seq=${m.seq}>
              ${
                m.from === 'system'
                  ? nothing
                  : html`<span class="who">${m.from === 'you' ? w.s('you') : m.from === 'bot' ? w.botName() : (m.authorName ?? w.s('agent'))}</span>`
              }
              <div class="text">${plain(m.bodyText)}</div>
            </div>`,
          )
        : nothing
    }
  </div>`;
}
