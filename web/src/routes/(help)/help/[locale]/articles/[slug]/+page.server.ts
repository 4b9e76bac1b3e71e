import { error, fail } from '@sveltejs/kit';
import { helpApi } from '$lib/server/help';
import { htmlToText, renderMarkdown } from '$lib/server/markdown';
import type { Actions, PageServerLoad } from './$types';

const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/;

export const load: PageServerLoad = async (event) => {
  const { locale, slug } = event.params;
  const { data: a, response } = await helpApi(event).GET('/help/articles/{slug}', {
    params: { path: { slug }, query: { locale } },
  });
  // 400: a slug that cannot exist (the API validates its shape).
  if (response.status === 404 || response.status === 400) error(404, 'article not found');
  if (!a) error(502, 'help center unavailable');
  const steps =
    a.kind === 'tutorial' && a.steps?.length
      ? a.steps.map((st) => ({
          id: st.id,
          title: st.title,
          html: renderMarkdown(st.body),
          image: st.image ?? null,
          imageAlt: st.imageAlt ?? '',
          choices: st.choices ?? [],
          next: st.next ?? null,
        }))
      : null;
  const description = htmlToText(a.bodyHtml) || (steps ? htmlToText(steps[0]?.html ?? '') : '');
  return {
    article: {
      slug: a.slug,
      kind: a.kind,
      locale: a.locale,
      title: a.title,
      // Sanitized by the server when the article was saved.
      bodyHtml: a.bodyHtml,
      category: a.category,
      updatedAt: a.updatedAt,
      locales: a.locales,
      url: a.url,
      description,
    },
    steps,
  };
};

export const actions: Actions = {
  /** "Was this helpful?" / "Did this solve it?": a vote, or (after a No) a comment. Works without JavaScript. */
  feedback: async (event) => {
    const form = await event.request.formData();
    const vote = String(form.get('helpful') ?? '');
    if (vote !== 'yes' && vote !== 'no') return fail(400, { feedbackError: true });
    const helpful = vote === 'yes';
    const sent = String(form.get('locale') ?? '');
    const locale = LOCALE.test(sent) ? sent : event.params.locale;
    const comment = String(form.get('comment') ?? '')
      .trim()
      .slice(0, 2000);
    const feedbackId = Number(form.get('feedbackId') ?? 0);
    // A comment after a "No" belongs to that vote: it is added to it, never counted as a second vote.
    const help = helpApi(event);
    if (comment && Number.isInteger(feedbackId) && feedbackId > 0) {
      const { response } = await help.POST('/help/feedback/{id}/comment', {
        params: { path: { id: feedbackId } },
        body: { comment },
      });
      if (response.status !== 204) return fail(response.status === 404 ? 404 : 502, { feedbackError: true });
      return { feedback: { helpful, commented: true, id: feedbackId } };
    }
    const { data, response } = await help.POST('/help/articles/{slug}/feedback', {
      params: { path: { slug: event.params.slug } },
      body: { locale, helpful, ...(comment ? { comment } : {}) },
    });
    if (response.status === 404 || response.status === 400) return fail(response.status, { feedbackError: true });
    if (!data) return fail(502, { feedbackError: true });
    return { feedback: { helpful, commented: Boolean(comment), id: data.id } };
  },
};
