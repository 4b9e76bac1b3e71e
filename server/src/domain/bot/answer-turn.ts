import { randomUUID } from 'node:crypto';
import type { BotStreamEvent, KbSearchHit, MessageMeta } from '@autocrm/shared';
import { languageOf, stringsFor } from '@autocrm/shared/strings';
import { escapeUTF8 } from 'entities';
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import type { Db } from '../../storage/db';
import { type HandoffReason, handOffToPerson } from '../conversations/hand-off';
import { detectLanguage } from '../kb/detect-language';
import { recordGap } from '../kb/gaps';
import { publishedLocales } from '../kb/published-locales';
import type { KbSearchContext } from '../kb/search';
import { appendMessage } from '../messages/append-message';
import { botSettingsOf } from '../widget/settings';
import { bestPassage } from './best-passage';
import { clarifyHtml, composeArticleAnswer } from './compose-answer';
import { CLARIFY_AT, closeOthers, decideReply, type ReplyDecision } from './decide-reply';
import { guardBotOutput } from './guard-output';
import { guardStreamText, type StreamGuardOptions } from './guard-stream';
import { saysUnhelpful } from './intents';
import { asksForPerson } from './person-request';
import { buildPrompt, NO_ANSWER } from './prompt';

export interface BotContext {
  db: Db;
  logger: Logger;
  kb: KbSearchContext;
  llm: OpenAI | null;
  model: string;
  timeoutMs: number;
  /** Absolute origin of the help center, for links in the room (the widget runs on other sites). */
  publicBaseUrl(): string;
  /**
   * PUBLIC_URL unset: the address people reach us by is unknown (the bound one is often localhost), so
   * links are stored site-relative and each client resolves them against the server it talks to.
   */
  relativeLinks?: boolean;
  linkAllowlist: string[];
  companyName: string;
  stream(event: BotStreamEvent): void;
  /** Aborts the answer in flight when the room changes hands (set by the engine). */
  signalFor(conversationId: string): AbortSignal | undefined;
}

export type TurnOutcome =
  | 'answered'
  | 'articles'
  | 'not_bot'
  | 'superseded'
  | 'preempted'
  | 'clarify'
  | `handoff:${HandoffReason}`;

/** One customer message in a room the bot owns: hand off, answer from the knowledge base, or say so. */
export async function answerTurn(ctx: BotContext, turn: { conversationId: string; messageId: string }): Promise<TurnOutcome> {
  const { db } = ctx;
  const conv = await readTurn(db, turn);
  if (conv?.owner !== 'bot') return 'not_bot';
  if (conv.superseded) return 'superseded';
  const kbLocales = await publishedLocales(db);
  const language = detectLanguage({ text: conv.body_text, candidates: kbLocales, fallback: conv.locale ?? ctx.kb.defaultLocale });
  // What the bot says (hand-off, clarify, the article answer's frame) is in the visitor's language.
  // Detection only chooses among the knowledge base's languages, so a language the widget gave that
  // the KB lacks (a Japanese visitor, an English KB) is kept: the search still runs in `language`.
  const speaks =
    conv.locale && !kbLocales.includes(conv.locale) && conv.locale === languageOf(conv.locale) ? conv.locale : language;
  // Saved beside the search rather than before it (a round trip the first token need not wait for).
  const localeSaved =
    speaks !== conv.locale
      ? db.updateTable('conversations').set({ locale: speaks }).where('id', '=', conv.id).execute()
      : undefined;
  try {
    return await replyTo(ctx, { conv, language, speaks, kbLocales });
  } finally {
    await localeSaved;
  }
}

type TurnRoom = NonNullable<Awaited<ReturnType<typeof readTurn>>>;

/**
 * The room, the message and what the turn needs to know about the messages around it, in one round
 * trip (this runs before the bot's first token: every query here is latency the customer sees).
 */
function readTurn(db: Db, turn: { conversationId: string; messageId: string }) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .innerJoin('messages as m', (j) => j.onRef('m.conversation_id', '=', 'c.id').on('m.id', '=', turn.messageId))
    .select(['c.id', 'c.owner', 'c.locale', 'c.bot_unhelpful_turns', 'i.settings', 'm.seq', 'm.body_text'])
    .select(({ exists, selectFrom }) => [
      // The customer wrote again before we answered: only the newest message is answered.
      exists(
        selectFrom('messages as n')
          .select('n.id')
          .whereRef('n.conversation_id', '=', 'c.id')
          .where('n.author_kind', '=', 'contact')
          .whereRef('n.seq', '>', 'm.seq'),
      ).as('superseded'),
      exists(
        selectFrom('messages as b')
          .select('b.id')
          .whereRef('b.conversation_id', '=', 'c.id')
          .where('b.author_kind', '=', 'bot')
          .whereRef('b.seq', '<', 'm.seq'),
      ).as('bot_answered_before'),
      selectFrom('messages as p')
        .select('p.body_text')
        .whereRef('p.conversation_id', '=', 'c.id')
        .where('p.author_kind', '=', 'contact')
        .whereRef('p.seq', '<', 'm.seq')
        .orderBy('p.seq', 'desc')
        .limit(1)
        .as('previous_text'),
    ])
    .where('c.id', '=', turn.conversationId)
    .executeTakeFirst();
}

/** The reply to the room's newest customer message, in `speaks` (searched in `language`). */
async function replyTo(
  ctx: BotContext,
  { conv, language, speaks, kbLocales }: { conv: TurnRoom; language: string; speaks: string; kbLocales: string[] },
): Promise<TurnOutcome> {
  const { db } = ctx;
  const msg = { seq: conv.seq, body_text: conv.body_text };
  const settings = botSettingsOf(conv.settings);

  const handoff = async (reason: HandoffReason, gap = false): Promise<TurnOutcome> => {
    await db.transaction().execute(async (trx) => {
      if (gap) await recordGap(trx, { caps: ctx.kb.caps, conversationId: conv.id, question: msg.body_text, language });
      await handOffToPerson(trx, { conversationId: conv.id, reason, language: speaks });
    });
    return `handoff:${reason}`;
  };

  if (asksForPerson(msg.body_text)) return handoff('customer_request');

  if (conv.bot_answered_before && saysUnhelpful(msg.body_text)) {
    const unhelpful = conv.bot_unhelpful_turns + 1;
    await db.updateTable('conversations').set({ bot_unhelpful_turns: unhelpful }).where('id', '=', conv.id).execute();
    if (unhelpful >= settings.handoffAfterUnhelpful) return handoff('unhelpful');
    const stored = await storeBotMessage(ctx, conv.id, `<p>${escapeUTF8(stringsFor('bot', speaks).unhelpful)}</p>`, {
      actions: ['handoff'],
    });
    return stored ? 'clarify' : 'preempted';
  }

  // A short follow-up ("and on Android?") is searched together with the customer's previous message.
  let query = msg.body_text;
  if (query.split(/\s+/).length < 4 && conv.previous_text) query = `${conv.previous_text} ${query}`;
  // The prompt's conversation so far is read beside the search (a round trip before the first token). A
  // turn that does not answer never waits for it, so its failure counts only where it is awaited.
  const historyRead = ctx.llm ? recentHistory(db, conv.id, msg.seq) : undefined;
  historyRead?.catch(() => {});
  const decision = await decideReply(ctx.kb, { text: query, language, kbLocales });
  if (decision.action === 'person') return handoff('customer_request');
  if (decision.action === 'handoff') return handoff('no_answer', true);
  const base = ctx.publicBaseUrl();
  const abs = (h: KbSearchHit) => {
    const u = new URL(h.url, base);
    return ctx.relativeLinks ? `${u.pathname}${u.search}${u.hash}` : u.toString();
  };
  // Not sure enough for an answer: a clarifying question, with or without an LLM (never a guess).
  if (!ctx.llm || decision.action === 'clarify') {
    const stored = await storeBotMessage(ctx, conv.id, ...(await noLlmReply(ctx, decision, query, speaks, abs)));
    return stored ? (decision.action === 'answer' ? 'articles' : 'clarify') : 'preempted';
  }
  const relevant = decision.hits.filter((h) => h.relevance >= CLARIFY_AT);

  // With an LLM: a grounded answer, streamed into the room as it is written, from the articles' text
  // and the conversation so far (read beside the search).
  const [articles, history] = await Promise.all([
    db
      .selectFrom('kb_translations')
      .select(['article_id', 'locale', 'title', 'body_text'])
      .where(
        'article_id',
        'in',
        relevant.map((h) => h.articleId),
      )
      .where('status', '=', 'published')
      .execute(),
    historyRead ?? recentHistory(db, conv.id, msg.seq),
  ]);
  const retrieved = relevant.map((h, i) => {
    const a = articles.find((x) => x.article_id === h.articleId && x.locale === h.locale);
    return { n: i + 1, hit: h, title: h.title, url: abs(h), text: a?.body_text ?? '' };
  });
  const messages = buildPrompt({
    companyName: ctx.companyName,
    language,
    articles: retrieved,
    history: history.reverse().map((h) => ({ role: h.author_kind === 'contact' ? 'customer' : 'bot', text: h.body_text })),
  });

  const streamId = randomUUID();
  const allowedHosts = [new URL(base).host, ...ctx.linkAllowlist];
  const knownText = `${retrieved.map((r) => r.text).join('\n')}\n${history.map((h) => h.body_text).join('\n')}`;
  let text = '';
  try {
    text = await streamCompletion(ctx, conv.id, streamId, messages, { allowedHosts, knownText });
  } catch (err) {
    ctx.stream({ conversationId: conv.id, streamId, text: '', done: true });
    if (ctx.signalFor(conv.id)?.aborted) return 'preempted';
    ctx.logger.warn({ ...llmErrorCode(err), conversationId: conv.id }, 'bot: LLM call failed, handing off');
    return handoff('llm_failed');
  }
  ctx.stream({ conversationId: conv.id, streamId, text: '', done: true });
  if (!text.trim() || text.trim().startsWith(NO_ANSWER)) return handoff('no_answer', true);

  const cited = [...new Set([...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))]
    .map((n) => retrieved.find((r) => r.n === n))
    .filter((r) => r !== undefined);
  const sources = cited.length ? cited : retrieved.slice(0, 1);
  const guarded = guardBotOutput(text, { allowedHosts, knownText });
  if (guarded.removed.length)
    ctx.logger.warn({ conversationId: conv.id, removed: guarded.removed }, 'bot: output guard removed content');
  const list = sources.map((s) => `<li><a href="${escapeUTF8(s.url)}">${escapeUTF8(s.title)}</a></li>`).join('');
  const body = `${guarded.html}<p>${escapeUTF8(stringsFor('bot', language).sources)}:</p><ul>${list}</ul>`;
  const stored = await storeBotMessage(ctx, conv.id, body, {
    citations: sources.map((s) => ({ articleId: s.hit.articleId, title: s.title, url: s.url })),
    actions: ['handoff'],
  });
  return stored ? 'answered' : 'preempted';
}

/** The room's last public customer and bot messages up to `seq`, newest first (the prompt's history). */
function recentHistory(db: Db, conversationId: string, seq: number) {
  return db
    .selectFrom('messages')
    .select(['author_kind', 'body_text'])
    .where('conversation_id', '=', conversationId)
    .where('private', '=', false)
    .where('author_kind', 'in', ['contact', 'bot'])
    .where('seq', '<=', seq)
    .orderBy('seq', 'desc')
    .limit(10)
    .execute();
}

/**
 * Streams a chat completion, sending the guarded text so far into the room a few times a second.
 * Only an answer the model finished (`finish_reason: stop`) counts: a stream that stalls past the
 * timeout (the client then ends it quietly), ends without a finish reason, or is cut at max_tokens
 * throws, so nothing half-written is stored and the room goes to a person.
 */
async function streamCompletion(
  ctx: BotContext,
  conversationId: string,
  streamId: string,
  messages: ReturnType<typeof buildPrompt>,
  guard: StreamGuardOptions,
): Promise<string> {
  const llm = ctx.llm as OpenAI;
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const room = ctx.signalFor(conversationId);
  const signal = room ? AbortSignal.any([timeout, room]) : timeout;
  const stream = await llm.chat.completions.create(
    { model: ctx.model, messages, stream: true, temperature: 0.2, max_tokens: 500 },
    { signal },
  );
  let text = '';
  let lastSent = 0;
  let shown = '';
  let finish: string | null | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    // The NO_ANSWER sentinel is never shown to the customer.
    if (Date.now() - lastSent > 100 && !NO_ANSWER.startsWith(text.trim().slice(0, NO_ANSWER.length))) {
      const safe = guardStreamText(text, guard);
      if (safe && safe !== shown) {
        lastSent = Date.now();
        shown = safe;
        ctx.stream({ conversationId, streamId, text: safe, done: false });
      }
    }
  }
  if (finish !== 'stop') throw new IncompleteAnswer(finish ?? (signal.aborted ? 'timeout' : 'no_finish_reason'));
  return text;
}

class IncompleteAnswer extends Error {
  constructor(readonly code: string) {
    super(`the LLM answer did not finish (${code})`);
  }
}

/**
 * What the log says about a failed LLM call: a code and the HTTP status, never the upstream's body or
 * message (a misbehaving upstream may echo the request, Authorization header included).
 */
function llmErrorCode(err: unknown): { code: string; status?: number } {
  if (err instanceof IncompleteAnswer) return { code: err.code };
  const e = err as { status?: unknown; code?: unknown; name?: unknown };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const code = typeof e?.code === 'string' && /^[\w.-]{1,40}$/.test(e.code) ? e.code : String(e?.name ?? 'error').slice(0, 40);
  return { code, ...(status !== undefined ? { status } : {}) };
}

/**
 * Stores the bot's message only if the bot still owns the room: an agent who took over while the
 * answer was being written wins, and the late answer is dropped.
 */
async function storeBotMessage(ctx: BotContext, conversationId: string, html: string, meta: MessageMeta): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const c = await trx
      .selectFrom('conversations')
      .select('owner')
      .where('id', '=', conversationId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (c.owner !== 'bot') return false;
    await appendMessage(trx, { conversationId, authorKind: 'bot', authorId: null, body: html, meta });
    return true;
  });
}

/**
 * Without an LLM: the best article's most relevant passage, its link, close alternatives and the person
 * button; or, when nothing was sure enough, a clarifying question with the person button.
 */
async function noLlmReply(
  ctx: BotContext,
  decision: Extract<ReplyDecision, { action: 'answer' | 'clarify' }>,
  question: string,
  language: string,
  abs: (h: KbSearchHit) => string,
): Promise<[string, MessageMeta]> {
  const top = decision.hits[0];
  if (decision.action === 'clarify' || !top) return [clarifyHtml(language), { actions: ['handoff'] }];
  const article = await ctx.db
    .selectFrom('kb_translations')
    .select(['locale', 'body_markdown', 'body_text', 'steps'])
    .where('article_id', '=', top.articleId)
    .where('locale', '=', top.locale)
    .executeTakeFirst();
  const steps = (article?.steps ?? null) as { title: string; body: string }[] | null;
  const passageHtml = article ? await bestPassage(ctx.db, { article: { ...article, steps }, question }) : '';
  const others = closeOthers(decision.hits);
  const html = composeArticleAnswer({
    language,
    passageHtml,
    best: { title: top.title, url: abs(top) },
    others: others.map((h) => ({ title: h.title, url: abs(h) })),
  });
  return [
    html,
    { citations: [top, ...others].map((h) => ({ articleId: h.articleId, title: h.title, url: abs(h) })), actions: ['handoff'] },
  ];
}
