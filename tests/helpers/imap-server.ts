import { createRequire } from 'node:module';
import type { AddressInfo, Server, Socket } from 'node:net';

interface HoodiecrowMessage {
  uid: number;
  flags: string[];
  raw: string;
}
interface Hoodiecrow {
  server: Server;
  listen(port: number, host: string, cb: () => void): void;
  close(cb: () => void): void;
  getMailbox(path: string): { messages: HoodiecrowMessage[]; uidvalidity: number } | undefined;
  appendMessage(mailbox: string, flags: string[], internaldate: false, raw: string): void;
}

const hoodiecrow = createRequire(import.meta.url)('hoodiecrow-imap') as (options: unknown) => Hoodiecrow;

/**
 * A mail provider's IMAP server on loopback (hoodiecrow speaks the real protocol: LOGIN, SELECT,
 * UID SEARCH/FETCH/STORE, IDLE, MOVE), with one user and an INBOX and an Archive folder.
 */
export async function startImapServer(opts: { user: string; pass: string }) {
  const server = hoodiecrow({
    plugins: ['IDLE', 'UIDPLUS', 'ENABLE', 'ID', 'MOVE', 'SPECIAL-USE', 'LITERALPLUS'],
    users: { [opts.user]: { password: opts.pass } },
    storage: { INBOX: { messages: [] }, '': { separator: '/', folders: { Archive: { messages: [] } } } },
  });
  const sockets = new Set<Socket>();
  let connections = 0;
  server.server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  const inbox = () => server.getMailbox('INBOX')!;
  return {
    port,
    /** A mail arrives in the INBOX (anyone IDLE on it is told). */
    deliver: (raw: string) => server.appendMessage('INBOX', [], false, raw),
    inbox: () => inbox().messages,
    folder: (path: string) => server.getMailbox(path)?.messages ?? [],
    /** Connections opened so far, and open now. */
    connections: () => ({ total: connections, open: sockets.size }),
    /** The provider drops every connection (a restart, a network cut). */
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A plain RFC 5322 mail, as a provider stores it. */
export const rawMail = (m: { from: string; to: string; subject: string; messageId: string; text: string }) =>
  [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${m.subject}`,
    `Message-ID: ${m.messageId}`,
    'Date: Sun, 06 Dec 2026 01:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.text,
    '',
  ].join('\r\n');
