import { html, type ReactiveController } from 'lit';
import type { WidgetHost } from './host';
import type { Config } from './types';
import type { UploadsController } from './uploads';

/** Visitors repeat their "typing" more often than an agent's indicator fades (6 s). */
const TYPING_REPEAT_MS = 2500;
const TYPING_IDLE_MS = 3000;
/** Live typing preview: the draft at most this often (the last one always follows). */
const PREVIEW_EVERY_MS = 400;

/** The message box: Enter sends, Shift+Enter is a new line, and the agent sees the visitor typing. */
export class ComposerController implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sent = false;
  private at = 0;
  /** The inbox's live typing preview setting, from the config; off unless the server says on. */
  private preview = false;
  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  private previewAt = 0;
  private previewSent = '';

  constructor(
    private readonly host: WidgetHost,
    private readonly uploads: UploadsController,
  ) {
    host.addController(this);
  }

  hostDisconnected() {
    clearTimeout(this.timer);
    clearTimeout(this.previewTimer);
  }

  /** Sends the draft for the live typing preview, throttled; never called when the inbox has it off. */
  private sendPreview(draft: string) {
    clearTimeout(this.previewTimer);
    const { client, current } = this.host;
    if (!this.preview || !current || !client || draft === this.previewSent) return;
    const wait = this.previewAt + PREVIEW_EVERY_MS - Date.now();
    if (draft && wait > 0) {
      this.previewTimer = setTimeout(() => this.sendPreview(draft), wait);
      return;
    }
    this.previewAt = Date.now();
    this.previewSent = draft;
    client.socket.emit('typing:preview', { conversationId: current, draft });
  }

  private onInput(el: HTMLTextAreaElement) {
    const { client, current } = this.host;
    if (!current || !client) return;
    // An emptied box is not typing; a long burst repeats the signal so the agent's indicator does not fade.
    // The preview follows the draft (a pause keeps it; emptied or sent, it goes).
    if (this.preview) this.sendPreview(el.value.trim() ? el.value : '');
    if (!el.value.trim()) return this.stop();
    if (!this.sent || Date.now() - this.at > TYPING_REPEAT_MS) {
      this.sent = true;
      this.at = Date.now();
      client.socket.emit('typing', { conversationId: current, typing: true });
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  stop() {
    clearTimeout(this.timer);
    const { client, current } = this.host;
    if (this.sent && current && client) client.socket.emit('typing', { conversationId: current, typing: false });
    this.sent = false;
  }

  render(c: Config) {
    this.preview = c.typingPreview === true;
    const s = this.host.s.bind(this.host);
    return html`<form
      class="composer"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const ta = (e.target as HTMLFormElement).querySelector('textarea')!;
        this.stop();
        if (this.preview) this.sendPreview('');
        void this.host.sendText(ta.value);
        ta.value = '';
      }}
    >
      ${c.features.attachments && this.host.current ? this.uploads.renderAttach() : ''}
      <label class="sr" for="composer">${s('messageLabel')}</label>
      <textarea
        id="composer"
        rows="1"
        placeholder=${s('placeholder')}
        @input=${(e: InputEvent) => this.onInput(e.target as HTMLTextAreaElement)}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            (e.target as HTMLTextAreaElement).form?.requestSubmit();
          }
        }}
      ></textarea>
      <button class="primary" type="submit">${s('send')}</button>
    </form>`;
  }
}
