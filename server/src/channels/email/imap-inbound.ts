import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { PollLoop } from '../../events/poll-loop';
import type { Db } from '../../storage/db';
import { ImapMailbox, type MailboxDeps } from './imap-mailbox';
import { type EmailInbox, listEmailInboxes, type StoredImap } from './inbox-addresses';
import type { SecretBox } from './secret-box';

/**
 * IMAP for every email inbox that has a mailbox configured. Among many processes exactly one watches
 * each mailbox: it holds a lease on the mailbox's row (a conditional UPDATE, as the job runner claims a
 * run) and renews it every round; a process that dies lets its lease run out and another takes over,
 * resuming from the last UID stored.
 */
export class ImapInbound {
  readonly owner = `imap:${randomUUID()}`;
  private readonly loop: PollLoop;
  private readonly watching = new Map<string, { mailbox: ImapMailbox; config: string }>();
  private readonly leaseMs: number;
  /** Rounds run so far (tests wait for one to have run). */
  rounds = 0;

  constructor(
    private readonly deps: {
      db: Db;
      box: SecretBox;
      logger: Logger;
      receive: MailboxDeps['receive'];
    },
    roundMs: number,
  ) {
    this.leaseMs = Math.max(30_000, roundMs * 6);
    this.loop = new PollLoop({ pollMs: roundMs, run: () => this.round(), logger: deps.logger, failure: 'imap round failed' });
  }

  start(): void {
    this.loop.start();
  }

  /** Settings changed: pick up new or changed mailboxes now rather than at the next round. */
  poke(): void {
    this.loop.poke();
  }

  /** Inboxes whose mailbox this process watches (tests and the health view). */
  watched(): string[] {
    return [...this.watching.keys()];
  }

  private loopStopped = false;

  async stop(): Promise<void> {
    this.loopStopped = true;
    await this.loop.stop();
    const ids = [...this.watching.keys()];
    await Promise.all(ids.map((id) => this.unwatch(id)));
  }

  private async round(): Promise<void> {
    const inboxes = (await listEmailInboxes(this.deps.db)).filter((i): i is EmailInbox & { imap: StoredImap } => Boolean(i.imap));
    for (const id of this.watching.keys()) {
      const inbox = inboxes.find((i) => i.id === id);
      const w = this.watching.get(id)!;
      if (!inbox || imapKey(inbox) !== w.config || w.mailbox.lostLease) await this.unwatch(id);
    }
    for (const inbox of inboxes) {
      if (!(await this.lease(inbox))) {
        if (this.watching.has(inbox.id)) await this.unwatch(inbox.id, false);
        continue;
      }
      if (this.watching.has(inbox.id)) continue;
      if (this.loopStopped) return;
      const mailbox = new ImapMailbox(inbox, { ...this.deps, owner: this.owner });
      this.watching.set(inbox.id, { mailbox, config: imapKey(inbox) });
      mailbox.start();
    }
    this.rounds++;
  }

  /** Takes or renews this process's lease on the inbox's mailbox; false while another holds it. */
  private async lease(inbox: EmailInbox & { imap: StoredImap }): Promise<boolean> {
    const { db } = this.deps;
    await db
      .insertInto('email_imap_state')
      .values({ inbox_id: inbox.id, mailbox: inbox.imap.mailbox })
      .onConflict((oc) => oc.column('inbox_id').doNothing())
      .execute();
    const now = new Date();
    const won = await db
      .updateTable('email_imap_state')
      .set({ leased_by: this.owner, lease_until: new Date(now.getTime() + this.leaseMs) })
      .where('inbox_id', '=', inbox.id)
      .where((eb) => eb.or([eb('leased_by', '=', this.owner), eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return Number(won.numUpdatedRows) > 0;
  }

  private async unwatch(id: string, release = true): Promise<void> {
    const w = this.watching.get(id);
    this.watching.delete(id);
    await w?.mailbox.stop();
    if (!release) return;
    // Let another process take over at once instead of after the lease runs out.
    await this.deps.db
      .updateTable('email_imap_state')
      .set({ leased_by: null, lease_until: null })
      .where('inbox_id', '=', id)
      .where('leased_by', '=', this.owner)
      .execute()
      .catch(() => undefined);
  }
}

/** What the watcher depends on: a change here restarts it, a new signature does not. */
const imapKey = (inbox: EmailInbox) => JSON.stringify([inbox.address, inbox.imap]);
