import type { KbSearchHit, PublicArticle } from '@autocrm/shared';
import { css, html, nothing, type TemplateResult } from 'lit';
import { isRtl, type Strings } from './i18n';
import { type Inline, markdownBlocks, markSegments, safeHref } from './render';
import { richFragment } from './rich';

/** What the help view needs from the widget element. */
export interface HelpHost {
  origin: string;
  locale: string;
  s(key: keyof Strings, vars?: Record<string, string | number>): string;
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** "Chat with us": over to the chat. */
  chat(): void;
  /** Who is asking, for personal suggestions; undefined before boot. */
  visitor(): { websiteToken: string; visitorToken: string } | undefined;
}

/** The help view's look, added to the widget's shadow root when this module loads (styles.ts has the rest). */
export const helpStyles = css`
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
`;

type Hit = Pick<KbSearchHit, 'slug' | 'locale' | 'title' | 'kind' | 'snippet' | 'url'>;

const inline = (parts: Inline[]) =>
  parts.map((p) =>
    p.href
      ? html`<a href=${p.href} target="_blank" rel="noopener noreferrer nofollow">${p.text}</a>`
      : p.bold
        ? html`<strong>${p.text}</strong>`
        : p.code
          ? html`<code>${p.text}</code>`
          : p.text,
  );

/** Article text is in the article's language, which may not be the widget's (a fallback to the default one). */
const dirOf = (locale: string) => (isRtl(locale.slice(0, 2)) ? 'rtl' : 'ltr');

/** Tutorial step Markdown as templates: text nodes only, links checked. */
const markdown = (text: string) =>
  markdownBlocks(text).map((b) =>
    b.kind === 'p'
      ? html`<p>${inline(b.parts)}</p>`
      : b.kind === 'ul'
        ? html`<ul>${b.items.map((i) => html`<li>${inline(i)}</li>`)}</ul>`
        : html`<ol>${b.items.map((i) => html`<li>${inline(i)}</li>`)}</ol>`,
  );

/**
 * The widget's help view: search (debounced) with suggestions before the visitor types, articles
 * read inside the widget with "was this helpful?", and tutorials walked through one step at a time.
 * Everything comes from the public help API (open CORS, no credentials).
 */
export class HelpView {
  query = '';
  hits: Hit[] | null = null;
  suggestions: Hit[] = [];
  article: PublicArticle | null = null;
  /** Tutorial steps taken, the current one last. */
  trail: string[] = [];
  voted: boolean | null = null;
  loading = false;
  failed = false;
  private body: HTMLElement | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private suggestedFor = '';

  constructor(private readonly host: HelpHost) {}

  /** Forgets everything (another visitor: suggestions are personal). */
  reset() {
    clearTimeout(this.timer);
    this.seq++;
    this.query = '';
    this.hits = null;
    this.suggestions = [];
    this.article = null;
    this.body = null;
    this.trail = [];
    this.voted = null;
    this.loading = false;
    this.failed = false;
    this.suggestedFor = '';
  }

  private get api() {
    return `${this.host.origin}/api/v1/help`;
  }
  private s(key: keyof Strings, vars?: Record<string, string | number>) {
    return this.host.s(key, vars);
  }
  private update() {
    this.host.requestUpdate();
  }
  private focus(selector: string) {
    void this.host.updateComplete.then(() => (this.host.renderRoot.querySelector(selector) as HTMLElement | null)?.focus());
  }

  /** The help view is shown: fetch suggestions for this page (once per page and language). */
  async enter() {
    const who = this.host.visitor();
    if (!who) return;
    // Path only: query strings and fragments can carry tokens or personal data.
    const pageUrl = `${location.origin}${location.pathname}`.slice(0, 2000);
    const key = `${pageUrl} ${this.host.locale}`;
    if (this.suggestedFor === key) return;
    this.suggestedFor = key;
    try {
      const res = await fetch(`${this.host.origin}/widget-api/v1/help/suggestions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...who, pageUrl, pageTitle: document.title.slice(0, 300), locale: this.host.locale }),
      });
      const body = res.ok ? ((await res.json()) as { hits?: Hit[] }) : undefined;
      this.suggestions = Array.isArray(body?.hits) ? body.hits.slice(0, 5) : [];
    } catch {
      this.suggestions = []; // no suggestions is fine: the search box is there
    }
    this.update();
  }

  private onInput(value: string) {
    this.query = value;
    clearTimeout(this.timer);
    if (!value.trim()) {
      this.seq++;
      this.hits = null;
      this.loading = false;
      this.update();
      return;
    }
    this.timer = setTimeout(() => void this.search(), 250);
    this.update();
  }

  private async search() {
    clearTimeout(this.timer);
    const q = this.query.trim();
    if (!q) return;
    const seq = ++this.seq;
    this.loading = true;
    this.failed = false;
    this.update();
    try {
      const params = new URLSearchParams({ q: q.slice(0, 500), locale: this.host.locale, limit: '5' });
      const res = await fetch(`${this.api}/search?${params}`);
      if (!res.ok) throw new Error(String(res.status));
      const body = (await res.json()) as { hits: Hit[] };
      if (seq === this.seq) this.hits = body.hits;
    } catch {
      if (seq === this.seq) {
        this.hits = [];
        this.failed = true;
      }
    }
    if (seq === this.seq) this.loading = false;
    this.update();
  }

  async open(hit: Pick<Hit, 'slug' | 'locale'>) {
    this.failed = false;
    this.loading = true;
    this.update();
    try {
      const res = await fetch(`${this.api}/articles/${encodeURIComponent(hit.slug)}?locale=${encodeURIComponent(hit.locale)}`);
      if (!res.ok) throw new Error(String(res.status));
      const a = (await res.json()) as PublicArticle;
      this.body = document.createElement('div');
      this.body.lang = a.locale;
      this.body.dir = dirOf(a.locale);
      this.body.appendChild(richFragment(a.bodyHtml, document, { article: true, base: this.host.origin }));
      this.article = a;
      this.trail = a.steps?.[0] ? [a.steps[0].id] : [];
      this.voted = null;
      this.focus('#kb-title');
    } catch {
      this.failed = true;
    }
    this.loading = false;
    this.update();
  }

  /** Back from an article to the search (or suggestions). */
  close() {
    this.article = null;
    this.body = null;
    this.update();
    this.focus('#help-q');
  }

  private goStep(id: string, back = false) {
    if (back) this.trail = this.trail.slice(0, -1);
    else this.trail = [...this.trail, id];
    this.voted = null;
    this.update();
    this.focus('#step-title');
  }

  private vote(helpful: boolean) {
    const a = this.article;
    if (!a) return;
    this.voted = helpful;
    this.update();
    void fetch(`${this.api}/articles/${encodeURIComponent(a.slug)}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: a.locale, helpful }),
    }).catch(() => {});
  }

  render(): TemplateResult {
    return html`<div class="body help">
      ${this.article ? this.renderArticle(this.article) : this.renderSearch()}
      ${this.failed ? html`<div class="notice" role="alert">${this.s('somethingWrong')}</div>` : nothing}
      ${
        this.article?.kind === 'tutorial' && this.voted === false
          ? nothing
          : html`<div class="more">
            <span>${this.s('stillNeedHelp')}</span>
            <button class="primary" @click=${() => this.host.chat()}>${this.s('chatWithUs')}</button>
          </div>`
      }
    </div>`;
  }

  private renderSearch() {
    const q = this.query.trim();
    const list = q ? (this.hits ?? []) : this.suggestions;
    return html`<form
        role="search"
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          void this.search();
        }}
      >
        <label class="sr" for="help-q">${this.s('helpSearch')}</label>
        <input
          id="help-q"
          type="search"
          autocomplete="off"
          placeholder=${this.s('helpPlaceholder')}
          .value=${this.query}
          @input=${(e: InputEvent) => this.onInput((e.target as HTMLInputElement).value)}
        />
      </form>
      <div class="status" role="status">
        ${this.loading ? this.s('searching') : q && this.hits && !this.hits.length && !this.failed ? this.s('noResults', { q }) : ''}
      </div>
      ${!q && list.length ? html`<h3 class="cap">${this.s('suggested')}</h3>` : nothing}
      ${
        list.length
          ? html`<ul class="hits">
            ${list.map(
              (h) =>
                html`<li>
                  <button class="hit" lang=${h.locale} dir="auto" @click=${() => this.open(h)}>
                    <span class="t">${h.title}</span>
                    ${h.kind === 'tutorial' ? html`<span class="tag">${this.s('tutorial')}</span>` : nothing}
                    ${
                      h.snippet
                        ? html`<span class="snip">${markSegments(h.snippet).map((p) => (p.mark ? html`<mark>${p.text}</mark>` : p.text))}</span>`
                        : nothing
                    }
                  </button>
                </li>`,
            )}
          </ul>`
          : nothing
      }`;
  }

  private renderArticle(a: PublicArticle) {
    let href: string | null = null;
    try {
      href = safeHref(new URL(a.url, this.host.origin).href);
    } catch {
      href = null;
    }
    const tutorial = a.kind === 'tutorial' && a.steps?.length;
    return html`<article class="kb" aria-labelledby="kb-title">
        <h3 id="kb-title" tabindex="-1" lang=${a.locale} dir=${dirOf(a.locale)}>${a.title}</h3>
        ${tutorial ? this.renderTutorial(a) : html`${this.body}${this.renderVote(this.s('helpful'))}`}
      </article>
      ${href ? html`<a class="ext" href=${href} target="_blank" rel="noopener noreferrer">${this.s('openInHelpCenter')}</a>` : nothing}`;
  }

  private renderTutorial(a: PublicArticle) {
    const steps = a.steps ?? [];
    const id = this.trail[this.trail.length - 1];
    const step = steps.find((x) => x.id === id) ?? steps[0];
    if (!step) return nothing;
    const end = !step.next && !step.choices?.length;
    const image = step.image && /^https:/i.test(step.image) ? step.image : null;
    return html`${this.trail.length <= 1 && a.bodyHtml ? this.body : nothing}
      <section class="step" aria-labelledby="step-title">
        <div class="meta">${this.s('step', { n: this.trail.length })}</div>
        <div lang=${a.locale} dir=${dirOf(a.locale)}>
          <h4 id="step-title" tabindex="-1">${step.title}</h4>
          <div class="md">${markdown(step.body)}</div>
        </div>
        ${image ? html`<img src=${image} alt=${step.imageAlt ?? ''} loading="lazy" />` : nothing}
        ${
          step.choices?.length
            ? html`<div class="choices" role="group" aria-labelledby="step-title" lang=${a.locale} dir=${dirOf(a.locale)}>
              ${step.choices.map((c) => html`<button class="choice" @click=${() => this.goStep(c.next)}>${c.label}</button>`)}
            </div>`
            : nothing
        }
        <div class="row">
          ${this.trail.length > 1 ? html`<button class="ghost" @click=${() => this.goStep('', true)}>${this.s('prevStep')}</button>` : nothing}
          ${step.next ? html`<button class="primary" @click=${() => this.goStep(step.next!)}>${this.s('next')}</button>` : nothing}
        </div>
      </section>
      ${end ? this.renderVote(this.s('solved'), true) : nothing}`;
  }

  private renderVote(question: string, tutorial = false) {
    if (this.voted === true || (this.voted === false && !tutorial))
      return html`<p class="fb" role="status">${tutorial ? this.s('gladItHelped') : this.s('thanks')}</p>`;
    if (this.voted === false)
      return html`<div class="fb" role="status">
        <p>${this.s('notSolved')}</p>
        <button class="primary" @click=${() => this.host.chat()}>${this.s('chatWithUs')}</button>
      </div>`;
    return html`<div class="fb" role="group" aria-labelledby="fb-q">
      <span id="fb-q">${question}</span>
      <button class="pill" @click=${() => this.vote(true)}>${this.s('yes')}</button>
      <button class="pill" @click=${() => this.vote(false)}>${this.s('no')}</button>
    </div>`;
  }
}
