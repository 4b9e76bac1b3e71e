import { indexEmbeddings } from '../domain/kb/embeddings';
import { PollLoop } from '../events/poll-loop';
import type { WorkerContext } from './context';

/** Embeds new article text for hybrid search; absent without embeddings. */
export function kbEmbeddings(ctx: WorkerContext): PollLoop | undefined {
  const { embedder } = ctx.kb;
  if (!embedder) return undefined;
  return new PollLoop({
    pollMs: 5 * 60_000,
    run: () => indexEmbeddings(ctx.db, { embedder }),
    logger: ctx.logger,
    failure: 'knowledge-base embedding failed (search falls back to full text)',
  });
}
