import type { KbSearchHit } from '@autocrm/shared';
import { notFound } from '@autocrm/shared';
import type OpenAI from 'openai';
import { assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { type KbSearchContext, searchKb } from '../kb/search';
import { guardBotOutput } from './guard-output';
import { buildPrompt, NO_ANSWER } from './prompt';

export interface AgentAssist {
  articles: KbSearchHit[];
  /** A draft reply from the articles (HTML), when an LLM is configured and the articles answer it. */
  suggestedReply: string | null;
  language: string;
}

export type AgentAssistProps = { actor: Actor; conversationId: string };

/** For the conversation an agent has open: articles that match what the customer asked, and a draft. */
export async function agentAssist(
  ctx: { kb: KbSearchContext; llm: OpenAI | null; model: string; companyName: string; timeoutMs: number; baseUrl: string },
  { actor, conversationId }: AgentAssistProps,
): Promise<AgentAssist> {
  const { db } = ctx.kb;
  const conv = await db
    .selectFrom('conversations')
    .select(['id', 'inbox_id', 'locale', 'subject'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!conv) throw notFound('conversation');
  await assertCanSeeInbox(db, { actor, inboxId: conv.inbox_id });
  const recent = await db
    .selectFrom('messages')
    .select(['author_kind', 'body_text'])
    .where('conversation_id', '=', conv.id)
    .where('private', '=', false)
    .where('deleted_at', 'is', null)
    .orderBy('seq', 'desc')
    .limit(10)
    .execute();
  const customer = recent.filter((m) => m.author_kind === 'contact').slice(0, 3);
  const language = conv.locale ?? ctx.kb.defaultLocale;
  const q = [conv.subject ?? '', ...customer.map((m) => m.body_text)].join(' ').slice(0, 500).trim();
  if (!q) return { articles: [], suggestedReply: null, language };
  const { hits } = await searchKb(ctx.kb, { q, locale: language, limit: 5 });
  if (!ctx.llm || !hits.length) return { articles: hits, suggestedReply: null, language };

  const texts = await db
    .selectFrom('kb_translations')
    .select(['article_id', 'locale', 'body_text'])
    .where(
      'article_id',
      'in',
      hits.slice(0, 3).map((h) => h.articleId),
    )
    .execute();
  const articles = hits.slice(0, 3).map((h, i) => ({
    n: i + 1,
    title: h.title,
    url: new URL(h.url, ctx.baseUrl).toString(),
    text: texts.find((t) => t.article_id === h.articleId && t.locale === h.locale)?.body_text ?? '',
  }));
  try {
    const res = await ctx.llm.chat.completions.create(
      {
        model: ctx.model,
        messages: buildPrompt({
          companyName: ctx.companyName,
          language,
          articles,
          history: recent
            .reverse()
            .map((m) => ({ role: m.author_kind === 'contact' ? ('customer' as const) : ('bot' as const), text: m.body_text })),
        }),
        temperature: 0.2,
        max_tokens: 500,
      },
      { signal: AbortSignal.timeout(ctx.timeoutMs) },
    );
    const text = res.choices[0]?.message?.content ?? '';
    if (!text.trim() || text.trim().startsWith(NO_ANSWER)) return { articles: hits, suggestedReply: null, language };
    const { html } = guardBotOutput(text.replace(/\s*\[(\d+)\]/g, ''), {
      allowedHosts: [new URL(ctx.baseUrl).host],
      knownText: articles.map((a) => a.text).join('\n'),
    });
    return { articles: hits, suggestedReply: html, language };
  } catch {
    // The draft is a convenience: without it the agent still has the articles.
    return { articles: hits, suggestedReply: null, language };
  }
}
