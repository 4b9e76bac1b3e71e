import { createHash } from 'node:crypto';
import type OpenAI from 'openai';
import type { Db } from '../../storage/db';

/** Turns text into vectors for hybrid retrieval. */
export interface Embedder {
  model: string;
  embedQuery(text: string): Promise<number[]>;
  embedMany(texts: string[]): Promise<number[][]>;
}

export function openAiEmbedder(client: OpenAI, model: string): Embedder {
  const embedMany = async (texts: string[]) => {
    const res = await client.embeddings.create({ model, input: texts });
    return [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
  };
  return {
    model,
    embedMany,
    embedQuery: async (text) => (await embedMany([text]))[0] ?? [],
  };
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
const documentText = (t: { title: string; keywords_text: string; body_text: string }) =>
  `${t.title}\n${t.keywords_text}\n${t.body_text}`.slice(0, 8000);

export type IndexEmbeddingsProps = { embedder: Embedder; batch?: number };

/**
 * Embeds every published translation whose text changed since it was last embedded (or never was).
 * Safe to run on any process at any time: it only fills in what is missing, in small batches.
 */
export async function indexEmbeddings(db: Db, { embedder, batch = 16 }: IndexEmbeddingsProps): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await db
      .selectFrom('kb_translations as t')
      .leftJoin('kb_embeddings as e', (j) => j.onRef('e.translation_id', '=', 't.id').on('e.model', '=', embedder.model))
      .select(['t.id', 't.title', 't.keywords_text', 't.body_text', 'e.content_hash'])
      .where('t.status', '=', 'published')
      .execute();
    const stale = rows.filter((r) => r.content_hash !== hashOf(documentText(r))).slice(0, batch);
    if (!stale.length) return done;
    const vectors = await embedder.embedMany(stale.map(documentText));
    for (const [i, r] of stale.entries()) {
      const v = vectors[i];
      if (!v?.length) throw new Error('the embeddings endpoint returned no vector');
      await db
        .insertInto('kb_embeddings')
        .values({
          translation_id: r.id,
          model: embedder.model,
          content_hash: hashOf(documentText(r)),
          embedding: `[${v.join(',')}]`,
        })
        .onConflict((oc) =>
          oc.column('translation_id').doUpdateSet({
            model: embedder.model,
            content_hash: hashOf(documentText(r)),
            embedding: `[${v.join(',')}]`,
          }),
        )
        .execute();
    }
    done += stale.length;
    if (stale.length < batch) return done;
  }
}
