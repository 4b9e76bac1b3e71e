import { AppError, CsatInput, EmailTranscriptRequest, Id } from '@autocrm/shared';
import { escapeUTF8 } from 'entities';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { assertVisitorCanSeeConversation } from '../../domain/access/gate';
import { presentConversation } from '../../domain/conversations/present-conversation';
import { getVisibleConversation } from '../../domain/conversations/status-history';
import { rateConversation } from '../../domain/widget/csat';
import { resolveVisitor } from '../../domain/widget/visitors';
import { actorOf } from '../../http/actor-of';
import type { App, AppDeps } from '../../http/context';
import { json, jsonBody, publicRoute, secured } from '../../http/openapi';
import { CsatTokens } from './csat-token';
import { CSAT_LABELS, queueTranscript } from './queue-composed';
import { loadChannelSecret, ThreadTokens } from './thread-token';

const tags = ['Email'];
const Token = z.string().min(1).max(200);
const TranscriptResult = z
  .object({
    outcome: z
      .enum(['queued', 'no_address', 'no_server', 'too_soon'])
      .meta({ description: 'queued, or why not: no address for the customer, no outgoing server, one was sent a minute ago' }),
  })
  .meta({ id: 'EmailTranscriptResult' });
const WidgetTranscriptRequest = z
  .strictObject({ websiteToken: Token, visitorToken: Token, conversationId: Id })
  .meta({ id: 'WidgetTranscriptRequest' });

/** The small page a rating link opens: thanks, and an optional comment. Self-contained, no scripts. */
function ratingPage(props: { token: string; rating: number | null; comment?: string | null; message: string }) {
  const buttons = CSAT_LABELS.map(
    (label, i) =>
      `<label style="display:inline-block;margin:0 6px 6px 0"><input type="radio" name="rating" value="${i + 1}"${props.rating === i + 1 ? ' checked' : ''}> ${i + 1} · ${label}</label>`,
  ).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Thank you</title></head>
<body style="margin:0;background:#f5f6f8;font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2430">
<main style="max-width:480px;margin:48px auto;padding:28px;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.08)">
<h1 style="font-size:20px;margin:0 0 8px" data-csat-message>${escapeUTF8(props.message)}</h1>
${
  props.rating === null
    ? ''
    : `<form method="post" action="${escapeUTF8(props.token)}" style="margin-top:16px">
<fieldset style="border:0;padding:0;margin:0 0 12px"><legend style="font-size:14px;color:#5b6472;margin-bottom:6px">Your rating</legend>${buttons}</fieldset>
<label for="comment" style="display:block;font-size:14px;color:#5b6472;margin-bottom:6px">Anything you want to add? (optional)</label>
<textarea id="comment" name="comment" rows="4" maxlength="2000" style="width:100%;box-sizing:border-box;padding:8px;border:1px solid #d5dae1;border-radius:8px;font:inherit">${escapeUTF8(props.comment ?? '')}</textarea>
<button type="submit" style="margin-top:12px;padding:10px 16px;border:0;border-radius:8px;background:#4338ca;color:#fff;font:inherit;font-weight:600;cursor:pointer">Send</button>
</form>`
}
</main></body></html>`;
}

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

/**
 * Email around the chat: a transcript on request (the agent, or the visitor from the widget), and the
 * pages the CSAT mail's one-click rating links open. The rating is the widget's rating (same command,
 * same events), and clicking again (or another rating) replaces it.
 */
export function aroundChatRoutes(app: App, { db, config }: AppDeps) {
  let secret: Promise<string> | undefined;
  const loadSecret = () => (secret ??= loadChannelSecret(db));

  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/email/transcript',
      operationId: 'sendConversationTranscript',
      tags,
      summary: 'Mail the customer a transcript of the conversation',
      description: "Queues a transcript (HTML and text) to the customer's email address; at most one a minute per conversation.",
      request: { params: z.object({ id: Id }), body: jsonBody(EmailTranscriptRequest) },
      responses: { 200: json(TranscriptResult, 'Whether the transcript was queued') },
    }),
    async (c) => {
      const conversation = await getVisibleConversation(db, { actor: actorOf(c), id: c.req.valid('param').id });
      const tokens = new ThreadTokens(await loadSecret());
      return c.json({ outcome: await queueTranscript(db, { config, tokens, conversation }) }, 200);
    },
  );

  // The widget calls this from customers' sites; it authenticates with its tokens, not cookies.
  app.use('/email/transcript', cors({ origin: '*', allowMethods: ['POST'], allowHeaders: ['content-type'], credentials: false }));
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/email/transcript',
      operationId: 'requestWidgetTranscript',
      security: [],
      tags,
      summary: 'A widget visitor asks for a transcript of their conversation',
      description:
        'Authenticated by the website and visitor tokens. The transcript goes only to the address the visitor gave (profile or offline form), never to one named in the request.',
      request: { body: jsonBody(WidgetTranscriptRequest) },
      responses: { 200: json(TranscriptResult, 'Whether the transcript was queued') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const visitor = await resolveVisitor(db, input);
      if (!visitor) throw new AppError('unauthenticated', 'unknown visitor for this website');
      await assertVisitorCanSeeConversation(db, { visitor, conversationId: input.conversationId });
      const conversation = await presentConversation(db, input.conversationId);
      if (!conversation) throw new AppError('not_found', 'conversation not found');
      const tokens = new ThreadTokens(await loadSecret());
      return c.json({ outcome: await queueTranscript(db, { config, tokens, conversation }) }, 200);
    },
  );

  const rate = async (token: string, rating: number, comment: string | undefined) => {
    const conversationId = new CsatTokens(await loadSecret()).verify(token);
    const conv = conversationId
      ? await db
          .selectFrom('conversations')
          .select(['id', 'contact_id', 'inbox_id'])
          .where('id', '=', conversationId)
          .executeTakeFirst()
      : undefined;
    if (!conv) return { status: 404 as const, message: 'This rating link is not valid.' };
    try {
      await rateConversation(db, {
        visitor: { visitorId: '', contactId: conv.contact_id, inboxId: conv.inbox_id, name: null },
        conversationId: conv.id,
        rating,
        comment,
      });
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') {
        return { status: 409 as const, message: 'This conversation is open again, so it cannot be rated yet.' };
      }
      throw err;
    }
    return { status: 200 as const, message: comment ? 'Thank you for your feedback!' : 'Thank you for your rating!' };
  };

  // Plain pages, not API operations: what a customer's browser opens from the mail.
  app.get('/email/csat/:token', async (c) => {
    const parsed = CsatInput.shape.rating.safeParse(Number(c.req.query('rating')));
    const token = c.req.param('token');
    if (!parsed.success)
      return c.html(ratingPage({ token, rating: null, message: 'Pick a rating from the mail.' }), 400, PAGE_HEADERS);
    const r = await rate(token, parsed.data, undefined);
    return c.html(
      ratingPage({ token, rating: r.status === 200 ? parsed.data : null, message: r.message }),
      r.status,
      PAGE_HEADERS,
    );
  });

  app.post('/email/csat/:token', async (c) => {
    const body = await c.req.parseBody();
    const token = c.req.param('token');
    const parsed = CsatInput.safeParse({
      rating: Number(body.rating),
      comment: typeof body.comment === 'string' ? body.comment : undefined,
    });
    if (!parsed.success)
      return c.html(ratingPage({ token, rating: null, message: 'Pick a rating from the mail.' }), 400, PAGE_HEADERS);
    const r = await rate(token, parsed.data.rating, parsed.data.comment || undefined);
    return c.html(
      ratingPage({
        token,
        rating: r.status === 200 ? parsed.data.rating : null,
        comment: parsed.data.comment,
        message: r.message,
      }),
      r.status,
      PAGE_HEADERS,
    );
  });
}
