import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

const providers: { destroy(): void }[] = [];

/** A provider that connects with this session's cookie (Node's ws stands in for the browser's WebSocket). */
export function connectDraft(url: string, documentName: string, cookie: string | undefined, origin?: string) {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  class CookieWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const doc = new Y.Doc();
  const events = { synced: false, authFailed: '' as string, closes: 0 };
  // With `url`, the provider makes (and owns) its websocket; WebSocketPolyfill is handed on to it.
  const provider = new HocuspocusProvider({
    url: `${url.replace(/^http/, 'ws')}/collab`,
    WebSocketPolyfill: CookieWebSocket,
    name: documentName,
    document: doc,
    onSynced: () => {
      events.synced = true;
    },
    onAuthenticationFailed: ({ reason }) => {
      events.authFailed = reason || 'failed';
    },
    onClose: () => {
      events.closes++;
    },
  } as ConstructorParameters<typeof HocuspocusProvider>[0]);
  providers.push(provider);
  return { doc, provider, events, text: doc.getText('body') };
}

export function destroyDrafts() {
  for (const p of providers.splice(0)) p.destroy();
}
