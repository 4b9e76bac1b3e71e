import type { WidgetConversation } from '@autocrm/shared';
import { html, nothing, type ReactiveController } from 'lit';
import { postAs, type WidgetHost } from './host';
import { store } from './storage';
import type { Config } from './types';

/**
 * After the conversation ends: "How did we do?" (stars and a comment, asked once per round: a reopen
 * asks again), and "Email me a transcript" for any conversation with messages.
 */
export class CsatController implements ReactiveController {
  draft = { rating: 0, comment: '' };
  /** The last transcript request's answer, per conversation (shown under the button). */
  private readonly transcripts = new Map<string, string>();

  constructor(private readonly host: WidgetHost) {
    host.addController(this);
  }

  /** The widget went away (shutdown, another visitor): a half-given rating is not theirs. */
  hostDisconnected() {
    this.draft = { rating: 0, comment: '' };
  }

  /** Reopened: the rating asked for belonged to the round that ended, so the next resolution asks again. */
  reopened(conversationId: string) {
    store.set(this.host.key(`csat:${conversationId}`), undefined);
  }

  private pick(n: number) {
    this.draft = { ...this.draft, rating: n };
    this.host.requestUpdate();
  }

  private async rate(conversationId: string) {
    const { rating, comment } = this.draft;
    if (!rating) return;
    const res = await postAs(this.host, '/widget-api/v1/csat', {
      conversationId,
      rating,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    });
    if (res.ok) store.set(this.host.key(`csat:${conversationId}`), rating);
    this.draft = { rating: 0, comment: '' };
    this.host.requestUpdate();
  }

  /** Goes only to the address this visitor gave (profile or the away form). */
  private async transcript(conversationId: string) {
    const res = await postAs(this.host, '/api/v1/email/transcript', { conversationId }).catch(() => undefined);
    const outcome = res?.ok ? ((await res.json()) as { outcome: string }).outcome : 'error';
    const key = ({ queued: 'transcriptSent', no_address: 'transcriptNoAddress', too_soon: 'transcriptTooSoon' } as const)[
      outcome as 'queued'
    ];
    this.transcripts.set(conversationId, this.host.s(key ?? 'somethingWrong'));
    this.host.requestUpdate();
  }

  renderTranscript(conversationId: string) {
    const said = this.transcripts.get(conversationId);
    return html`<div class="transcript">
      <button type="button" class="ghost" @click=${() => this.transcript(conversationId)}>${this.host.s('emailTranscript')}</button>
      ${said ? html`<span role="status">${said}</span>` : nothing}
    </div>`;
  }

  render(c: Config, conv: WidgetConversation) {
    const s = this.host.s.bind(this.host);
    if (!c.features.csat) return html`<div class="msg system"><div class="text">${s('resolved')}</div></div>`;
    if (store.get(this.host.key(`csat:${conv.id}`))) return html`<div class="notice info" role="status">${s('thanks')}</div>`;
    return html`<div class="notice info csat">
      <div>${s('resolved')} <strong>${s('rate')}</strong></div>
      <div class="stars" role="group" aria-label=${s('rate')}>
        ${[1, 2, 3, 4, 5].map(
          (n) => html`<button
            type="button"
            aria-label=${s('star', { n })}
            aria-pressed=${this.draft.rating >= n ? 'true' : 'false'}
            @click=${() => this.pick(n)}
          >
            ★
          </button>`,
        )}
      </div>
      <label for="csat-comment">${s('comment')}</label>
      <textarea
        id="csat-comment"
        @input=${(e: InputEvent) => (this.draft.comment = (e.target as HTMLTextAreaElement).value)}
      ></textarea>
      <div class="row">
        <button class="primary" type="button" ?disabled=${!this.draft.rating} @click=${() => this.rate(conv.id)}>
          ${s('submit')}
        </button>
      </div>
    </div>`;
  }
}
