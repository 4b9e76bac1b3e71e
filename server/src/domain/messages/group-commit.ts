import type { DomainEvent } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { type AppendMessageProps, type AppendResult, appendMessage, inSendTransaction } from './append-message';

export interface GroupCommitOptions {
  /** Transactions in flight at once (Postgres: a few pool connections; PGlite has one). */
  maxInFlight: number;
  /** Sends in one transaction at most. */
  maxGroup: number;
  /** Right after a transaction commits, with the events it wrote (the writer's own fan-out). */
  onCommitted?: (events: DomainEvent<'message.created'>[]) => void;
}

interface Pending {
  props: AppendMessageProps;
  resolve: (r: AppendResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the message path: sends that arrive while transactions are in flight wait and then
 * share one transaction (one BEGIN and one COMMIT, one commit flush, for the whole group); a send that
 * finds the path idle goes at once, so a quiet room waits for nobody. Each send is still its own
 * `appendMessage` (seq bump, insert, outbox event), and nobody is acked before the group commits.
 *
 * A group is all or nothing, so one send that fails (a client id racing its resend, a conversation
 * that vanished) must not take the others with it: on any error the group rolls back and every send
 * runs again on its own, where it succeeds or fails alone, as it did before groups.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Db,
    private readonly options: GroupCommitOptions,
  ) {}

  send(props: AppendMessageProps): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ props, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length) {
      const group = this.queue.splice(0, this.options.maxGroup);
      this.inFlight++;
      this.run(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(group: Pending[]): Promise<void> {
    if (group.length === 1) {
      await this.alone(group[0] as Pending);
      return;
    }
    // Rows are locked in one order (by conversation) by every group, so two groups never deadlock; the
    // sort is stable, so sends to one room keep their arrival order (and get their seqs in it).
    const ordered = [...group].sort((a, b) =>
      a.props.conversationId < b.props.conversationId ? -1 : a.props.conversationId > b.props.conversationId ? 1 : 0,
    );
    let results: AppendResult[];
    try {
      results = await this.db.transaction().execute(async (trx) => {
        const out: AppendResult[] = [];
        for (const p of ordered) out.push(await appendMessage(trx, p.props));
        return out;
      });
    } catch {
      for (const p of ordered) await this.alone(p);
      return;
    }
    this.committed(results);
    for (const [i, p] of ordered.entries()) p.resolve(results[i] as AppendResult);
  }

  private async alone(p: Pending): Promise<void> {
    try {
      const result = await inSendTransaction(this.db, (trx) => appendMessage(trx, p.props));
      this.committed([result]);
      p.resolve(result);
    } catch (err) {
      p.reject(err);
    }
  }

  private committed(results: AppendResult[]): void {
    const events = results.flatMap((r) => (r.event ? [r.event] : []));
    if (events.length && this.options.onCommitted) {
      try {
        this.options.onCommitted(events);
      } catch {
        // The early fan-out is an optimisation: the relay fans out whatever it did not reach.
      }
    }
  }
}
