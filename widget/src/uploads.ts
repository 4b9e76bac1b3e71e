import type { Message } from '@autocrm/shared';
import { html, nothing, type ReactiveController, svg } from 'lit';
import type { WidgetHost } from './host';
import { safeHref } from './render';

const CLIP = svg`<path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z" />`;
const size = (n: number) => (n < 1e6 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1048576).toFixed(1)} MB`);
type Attachment = { name: string; contentType: string; size: number; url: string };

/** The paper clip: a file goes up with progress, then into the room as a message carrying it. */
export class UploadsController implements ReactiveController {
  uploading: { name: string; pct: number } | null = null;
  private xhr: XMLHttpRequest | undefined;

  constructor(private readonly host: WidgetHost) {
    host.addController(this);
  }

  /** The widget went away (shutdown): an upload in flight has no room to go to. */
  hostDisconnected() {
    this.xhr?.abort();
  }

  private set(u: { name: string; pct: number } | null) {
    this.uploading = u;
    this.host.requestUpdate();
  }

  /** XHR: fetch has no upload progress. */
  private send(file: File): Promise<Attachment> {
    const who = this.host.visitor()!;
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      this.xhr = xhr;
      xhr.open('POST', `${this.host.origin}/widget-uploads`);
      xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
      xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
      xhr.setRequestHeader('x-website-token', who.websiteToken);
      xhr.setRequestHeader('x-visitor-token', who.visitorToken);
      xhr.upload.onprogress = (ev) => {
        if (ev.lengthComputable && this.uploading) this.set({ ...this.uploading, pct: Math.round((ev.loaded / ev.total) * 100) });
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
      xhr.onerror = xhr.onabort = () => reject(new Error('network error'));
      xhr.send(file);
    });
  }

  async upload(file: File) {
    const { host } = this;
    const conversationId = host.current;
    if (!conversationId || !host.client) return;
    host.notice = null;
    this.set({ name: file.name, pct: 0 });
    try {
      const attachment = await this.send(file);
      this.set(null);
      void host.client.send(conversationId, attachment.name, { attachments: [attachment] }).then(() => host.requestUpdate());
    } catch (err) {
      host.notice = host.s('uploadFailed', { name: file.name, reason: (err as Error).message });
      this.set(null);
    }
  }

  renderProgress() {
    return this.uploading
      ? html`<div class="notice info" role="status">${this.host.s('uploading', this.uploading)}</div>`
      : nothing;
  }

  renderAttach() {
    const label = this.host.s('attach');
    return html`<label class="attach" title=${label}>
      <span class="sr">${label}</span>
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
}

/** A message's files: images inline, others as a download link with their size. */
export function files(m: Message) {
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
