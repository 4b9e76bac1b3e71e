import { sql } from 'kysely';
import { answerTurn, type BotContext } from '../domain/bot/answer-turn';
import { requestPerson } from '../domain/bot/request-person';
import { PollLoop } from '../events/poll-loop';
import type { WorkerContext } from './context';

/** How long a claimed turn stays claimed; a process that died mid-answer frees it after this. */
const LEASE_MS = 60_000;
/** Answers written at once by one process (each mostly waits on the LLM). */
const PARALLEL = 4;

/**
 * The bot as a worker. A customer message in a room the bot owns becomes a `bot_turns` row in the same
 * transaction that dispatches the event (listeners/queue-bot-turn.ts, so none is lost or doubled), and
 * any process claims and answers it. A hand-off aborts the answer this process is writing for that room.
 */
export class BotEngine {
  private readonly loop: PollLoop;
  private readonly inFlight = new Map<string, AbortController>();

  constructor(
    private readonly ctx: Omit<BotContext, 'signalFor'>,
    options: { pollMs: number },
  ) {
    this.loop = new PollLoop({
      pollMs: options.pollMs,
      run: () => this.round(),
      logger: ctx.logger,
      failure: 'bot round failed',
    });
  }

  start(): void {
    this.loop.start();
  }
  async stop(): Promise<void> {
    for (const c of this.inFlight.values()) c.abort();
    await this.loop.stop();
  }
  poke(): void {
    this.loop.poke();
  }
  /** The room was handed to a person: stop the answer this process is writing for it. */
  abortTurn(conversationId: string): void {
    this.inFlight.get(conversationId)?.abort();
  }
  /** Resolves when the round in flight and every turn being answered are over (tests). */
  async idle(): Promise<void> {
    await this.loop.idle();
  }

  /**
   * Claims what the free slots allow and starts those turns without waiting for them: a turn that arrives
   * while others stream their answers (seconds, on the LLM) starts at once rather than after the slowest.
   * Each finished turn pokes the loop, so a turn waiting for a slot or for its room's previous turn follows.
   */
  private async round(): Promise<void> {
    for (;;) {
      const free = PARALLEL - this.loop.busySlots;
      if (free <= 0) return;
      const turns = await this.claim(free);
      if (!turns.length) return;
      for (const t of turns)
        this.loop.runBeside(() => this.run(t), { failure: 'bot turn failed', context: { conversationId: t.conversation_id } });
      // Fewer than asked for: nothing else was claimable. A turn stored since then pokes the loop (another
      // round follows this one), so claiming again now would only cost the database a statement.
      if (turns.length < free) return;
    }
  }

  /** Claims pending turns (or ones whose lease ran out), never two of one room at once. */
  private async claim(n: number) {
    const rows = await sql<{ id: number; conversation_id: string; message_id: string; attempts: number }>`
      UPDATE bot_turns SET status = 'running', attempts = attempts + 1,
        locked_until = now() + ${`${LEASE_MS} milliseconds`}::interval
      WHERE id IN (
        SELECT t.id FROM bot_turns t
        WHERE (t.status = 'pending' OR (t.status = 'running' AND t.locked_until < now()))
          AND NOT EXISTS (SELECT 1 FROM bot_turns r WHERE r.conversation_id = t.conversation_id
                          AND r.status = 'running' AND r.locked_until >= now() AND r.id <> t.id)
        ORDER BY t.id LIMIT ${n} FOR UPDATE SKIP LOCKED)
      RETURNING id, conversation_id, message_id, attempts`.execute(this.ctx.db);
    // Two turns of one room in one claim: keep the oldest now, the other waits for the next claim.
    const seen = new Set<string>();
    const mine = [];
    for (const r of rows.rows.sort((a, b) => a.id - b.id)) {
      if (seen.has(r.conversation_id)) {
        await this.ctx.db.updateTable('bot_turns').set({ status: 'pending' }).where('id', '=', r.id).execute();
        continue;
      }
      seen.add(r.conversation_id);
      mine.push(r);
    }
    return mine;
  }

  private async run(turn: { id: number; conversation_id: string; message_id: string; attempts: number }) {
    const abort = new AbortController();
    this.inFlight.set(turn.conversation_id, abort);
    let outcome: string;
    let status: 'done' | 'failed' | 'pending' = 'done';
    try {
      outcome = await answerTurn(
        { ...this.ctx, signalFor: (id) => (id === turn.conversation_id ? abort.signal : undefined) },
        { conversationId: turn.conversation_id, messageId: turn.message_id },
      );
    } catch (err) {
      this.ctx.logger.error({ err, conversationId: turn.conversation_id }, 'bot turn failed');
      outcome = 'error';
      // A database hiccup: try again a few times, then leave the room to a person.
      status = turn.attempts < 3 ? 'pending' : 'failed';
      if (status === 'failed') await this.giveUp(turn.conversation_id);
    } finally {
      this.inFlight.delete(turn.conversation_id);
    }
    await this.ctx.db
      .updateTable('bot_turns')
      .set({ status, outcome, finished_at: status === 'pending' ? null : new Date(), locked_until: null })
      .where('id', '=', turn.id)
      .execute();
  }

  private async giveUp(conversationId: string) {
    await requestPerson(this.ctx.db, { conversationId, reason: 'llm_failed' }).catch(() => {});
  }
}

/** The registry's entry (workers/index.ts): the bot answers from the knowledge base, with the LLM when configured. */
export function botTurns(ctx: WorkerContext): BotEngine {
  const { config } = ctx;
  return new BotEngine(
    {
      db: ctx.db,
      logger: ctx.logger,
      kb: ctx.kb,
      llm: ctx.llm,
      model: config.OPENAI_MODEL,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      publicBaseUrl: ctx.publicBaseUrl,
      relativeLinks: !config.PUBLIC_URL,
      linkAllowlist: config.BOT_LINK_ALLOWLIST.split(',')
        .map((h) => h.trim())
        .filter(Boolean),
      companyName: config.COMPANY_NAME,
      stream: (e) => ctx.realtime()?.emitBotStream(e),
    },
    { pollMs: Math.max(config.OUTBOX_POLL_MS * 4, 1000) },
  );
}
