import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { Db } from '../../storage/db';
import type { EmailInbox, StoredImap } from './inbox-addresses';
import type { SecretBox } from './secret-box';

/** Waits between reconnects double from this up to RECONNECT_MAX_MS. */
const RECONNECT_BASE_MS = 1000;
const RECONNECT_MAX_MS = 5 * 60_000;
/** A server that never says anything is still checked this often (IDLE is restarted too). */
const RECHECK_MS = 5 * 60_000;

export interface MailboxDeps {
  db: Db;
  box: SecretBox;
  logger: Logger;
  /** This process's name on the lease: writes stop counting once another process holds it. */
  owner: string;
  /** Stores one mail (deduplicated by Message-ID); throws when it could not be stored. */
  receive: (inbox: EmailInbox, raw: Buffer) => Promise<unknown>;
}

export function imapClient(imap: StoredImap, box: SecretBox) {
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.passwordSealed ? box.open(imap.passwordSealed) : '' },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: RECHECK_MS + 60_000,
  });
}

/**
 * One IMAP mailbox watched for one inbox by the process that holds its lease: import what arrived
 * since the last UID (kept in the database, so a restart neither imports twice nor misses mail), then
 * IDLE until the server says something new arrived. A mail is marked seen (or moved) only after it is
 * stored. A dropped connection is reopened with a doubling wait.
 */
export class ImapMailbox {
  private stopped = false;
  private client: ImapFlow | undefined;
  private wake: (() => void) | undefined;
  private sleepTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** The server announced mail while a sync was running: sync again before idling. */
  private dirty = false;
  /** Lost the lease mid-sync: the owner stops this watcher. */
  lostLease = false;

  constructor(
    readonly inbox: EmailInbox & { imap: StoredImap },
    private readonly deps: MailboxDeps,
  ) {}

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sleepTimer);
    this.wake?.();
    const client = this.client;
    if (client) await client.logout().catch(() => client.close());
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped && !this.lostLease) {
      try {
        await this.session(() => {
          failures = 0;
        });
      } catch (err) {
        if (this.stopped) break;
        const e = err as { responseText?: string; message?: string };
        const reason = String(e.responseText ?? e.message ?? 'the IMAP server did not answer').slice(0, 300);
        this.deps.logger.warn({ inboxId: this.inbox.id, reason }, 'imap mailbox disconnected');
        await this.deps.db
          .updateTable('email_imap_state')
          .set({ last_error: reason })
          .where('inbox_id', '=', this.inbox.id)
          .where('leased_by', '=', this.deps.owner)
          .execute()
          .catch(() => undefined);
      }
      if (this.stopped || this.lostLease) break;
      failures++;
      await this.sleep(Math.min(RECONNECT_BASE_MS * 2 ** (failures - 1), RECONNECT_MAX_MS));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.sleepTimer = setTimeout(resolve, ms);
      this.sleepTimer.unref();
    });
  }

  private async session(onConnected: () => void): Promise<void> {
    const client = imapClient(this.inbox.imap, this.deps.box);
    this.client = client;
    // Errors also close the connection; the close ends this session and the loop reconnects.
    client.on('error', (err: Error) => this.deps.logger.debug({ err, inboxId: this.inbox.id }, 'imap error'));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    try {
      await client.connect();
      const mailbox = await client.mailboxOpen(this.inbox.imap.mailbox);
      onConnected();
      client.on('exists', () => {
        this.dirty = true;
        this.wake?.();
      });
      while (!this.stopped && !this.lostLease && client.usable) {
        this.dirty = false;
        await this.sync(client, String(mailbox.uidValidity));
        if (this.stopped || this.lostLease) break;
        if (this.dirty) continue;
        // IDLE ends by itself when the next command (the sync) is sent.
        void client.idle().catch(() => undefined);
        await Promise.race([this.sleep(RECHECK_MS), closed]);
      }
    } finally {
      this.client = undefined;
      if (client.usable) await client.logout().catch(() => client.close());
    }
    if (!this.stopped && !this.lostLease) throw new Error('the IMAP server closed the connection');
  }

  private async sync(client: ImapFlow, uidValidity: string): Promise<void> {
    const { db, owner } = this.deps;
    const state = await db
      .selectFrom('email_imap_state')
      .select(['uid_validity', 'last_uid'])
      .where('inbox_id', '=', this.inbox.id)
      .executeTakeFirst();
    let uids: number[];
    if (!state || state.uid_validity === null || String(state.uid_validity) !== uidValidity) {
      // A mailbox seen for the first time (or renumbered by the server, which voids every UID we
      // kept): what is unread is new to us; read mail was handled before we were connected. A mail we
      // stored already is recognized by its Message-ID.
      const found = await client.search({ seen: false }, { uid: true });
      uids = found || [];
      const updated = await db
        .updateTable('email_imap_state')
        .set({ uid_validity: uidValidity, last_uid: 0 })
        .where('inbox_id', '=', this.inbox.id)
        .where('leased_by', '=', owner)
        .executeTakeFirst();
      if (!Number(updated.numUpdatedRows)) {
        this.lostLease = true;
        return;
      }
    } else {
      const last = Number(state.last_uid);
      // `n:*` always names the newest mail, even when its UID is below n.
      const found = await client.search({ uid: `${last + 1}:*` }, { uid: true });
      uids = (found || []).filter((u) => u > last);
    }
    uids.sort((a, b) => a - b);
    for (const uid of uids) {
      if (this.stopped) return;
      const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (msg && msg.source !== undefined) await this.deps.receive(this.inbox, msg.source);
      const advanced = await db
        .updateTable('email_imap_state')
        .set({ last_uid: uid, last_error: null, last_synced_at: new Date() })
        .where('inbox_id', '=', this.inbox.id)
        .where('leased_by', '=', owner)
        .executeTakeFirst();
      if (!Number(advanced.numUpdatedRows)) {
        this.lostLease = true;
        return;
      }
      if (!msg) continue;
      if (this.inbox.imap.moveTo) await client.messageMove(String(uid), this.inbox.imap.moveTo, { uid: true });
      else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    }
    await db
      .updateTable('email_imap_state')
      .set({ last_synced_at: new Date(), last_error: null })
      .where('inbox_id', '=', this.inbox.id)
      .where('leased_by', '=', owner)
      .execute();
  }
}
