import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideReply } from '../server/src/domain/bot/decide-reply';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// A long article full of everyday words next to short focused ones: the ranking must weigh rare words
// (idf), saturate repeats, normalise by length and favour titles and words that stand together.
// The long article: everyday words, many distinct ones (a real long article's length), and each question word once.
const FILLER = `Make sure you get back what you like. ${Array.from({ length: 400 }, (_, i) => `topic${i}`).join(' ')} `;
// The short ones use the everyday words too, as real articles do, so those words carry little weight.
const COMMON = ' Make sure you get it right, and come back if you like.';
const ARTICLES = [
  {
    slug: 'everything-guide',
    title: 'The big guide to everything',
    body: `${FILLER.repeat(3)} Password, invoice, export and facebook are all covered somewhere.`,
  },
  {
    slug: 'reset-password',
    title: 'Reset a forgotten password',
    body: `Open the sign-in page and choose Forgot password. We email a link that is valid for one hour.${COMMON}`,
  },
  { slug: 'printer', title: 'Print an invoice', body: `Open an invoice and choose Print.${COMMON}` },
  { slug: 'profile', title: 'Your profile', body: `Your name and photo live on the profile page.${COMMON}` },
  {
    slug: 'export-invoices',
    title: 'Export invoices',
    body: `Select invoices and choose Export to get a PDF per invoice or one CSV table.${COMMON}`,
  },
  {
    slug: 'social-login',
    title: 'Sign in with Facebook',
    body: 'Connect your Facebook account on the profile page to sign in with one click.',
  },
  {
    slug: 'kb-basics',
    title: 'What the KB is',
    body: 'The KB (knowledge base) holds all help articles. Use it to answer questions yourself.',
  },
  {
    slug: 'time-zone',
    title: 'Change the time zone',
    body: `Your time zone sets when reminders go out. Pick a zone under Settings, then Profile.${COMMON}`,
  },
  // Everyday words in the title: they must not make this the answer to any question that says "I need".
  {
    slug: 'wishes',
    title: 'What you want and need',
    body: 'Tell us what you want and what you need. We want you to get what you need.',
  },
  { slug: 'nonprofit', title: 'Nonprofit discount', body: 'Registered charities get half off every plan.' },
  { slug: 'zone-notes', title: 'Notes', body: 'Time passes. A zone of calm is where notes are kept. Change happens.' },
  { slug: 'send-a-quote', title: 'Send a quote', body: 'Write the quote and send it to your client for approval.' },
];

describe(`knowledge-base ranking, short words, typos, synonyms and the bot's decision (${BACKEND})`, () => {
  let s: TestServer;
  const search = async (q: string, locale = 'en') =>
    (await s.req('GET', `/kb/search?q=${encodeURIComponent(q)}&locale=${locale}&limit=5`, { auth: s.admin })).body.hits as {
      slug: string;
      relevance: number;
    }[];
  const slugs = async (q: string) => (await search(q)).map((h) => h.slug);

  beforeAll(async () => {
    s = await startTestServer();
    for (const a of ARTICLES) {
      const res = await s.req('POST', '/kb/articles', { auth: s.admin, body: { ...a, locale: 'en', status: 'published' } });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it('ranks a short focused article above a long one that mentions every word (length, idf, tf saturation)', async () => {
    expect((await slugs('make sure I get my password back'))[0]).toBe('reset-password');
    expect((await slugs('how do I export an invoice'))[0]).toBe('export-invoices');
  });

  it('weighs the words of asking ("I need", "I want to get") far below the words of the topic', async () => {
    expect((await slugs('I need to print'))[0]).toBe('printer');
    expect((await slugs('i want to get my invoices exported'))[0]).toBe('export-invoices');
  });

  it('matches words written apart to the word the articles write as one', async () => {
    expect((await slugs('non profit'))[0]).toBe('nonprofit');
    expect((await slugs('discount for a non profit'))[0]).toBe('nonprofit');
  });

  it('gives a bonus to question words that stand together in the article', async () => {
    // Both articles have "change", "time" and "zone"; only one has "time zone" as a phrase.
    expect((await slugs('change time zone'))[0]).toBe('time-zone');
  });

  it('finds two-letter words and abbreviations', async () => {
    expect((await slugs('kb'))[0]).toBe('kb-basics');
    expect((await slugs('what is the kb'))[0]).toBe('kb-basics');
  });

  it('corrects a typo only in words the knowledge base does not know', async () => {
    expect((await slugs('pasword'))[0]).toBe('reset-password');
    expect((await slugs('expotr invoices'))[0]).toBe('export-invoices');
    // "custom" is a real word the articles lack: it must not turn into a near word they use.
    expect(await slugs('custom robots')).toEqual([]);
  });

  it('finds a word the articles lack through a shorter word of its family, and only for unknown words', async () => {
    // "quotation" is four edits from "quote" (no typo); its stem begins with the stem the article uses.
    expect((await slugs('quotations'))[0]).toBe('send-a-quote');
    expect((await slugs('approve a quotation'))[0]).toBe('send-a-quote');
    // A short stem is no family: "custom" must not become a word that merely begins like it.
    expect(await slugs('customs')).toEqual([]);
  });

  it('keeps term statistics current when an article is unpublished', async () => {
    const row = async () =>
      s.deps.db
        .selectFrom('kb_term_stats')
        .select('df')
        .where('lexeme', '=', 'facebook')
        .where(sql`search_config::text`, '=', 'autocrm_english')
        .executeTakeFirst();
    expect((await row())?.df).toBe(2);
    const list = await s.req('GET', '/kb/articles?q=facebook', { auth: s.admin });
    const id = list.body.data.find((a: { slug: string }) => a.slug === 'social-login').id;
    const res = await s.req('PUT', `/kb/articles/${id}/translations/en`, {
      auth: s.admin,
      body: { title: 'Sign in with Facebook', body: 'Connect your Facebook account.', status: 'draft' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await row())?.df).toBe(1);
    await s.req('PUT', `/kb/articles/${id}/translations/en`, {
      auth: s.admin,
      body: {
        title: 'Sign in with Facebook',
        body: 'Connect your Facebook account on the profile page to sign in with one click.',
        status: 'published',
      },
    });
    expect((await row())?.df).toBe(2);
  });

  it('applies admins’ synonyms per locale at query time, and refuses bad or duplicate ones', async () => {
    expect(await slugs('fb')).toEqual([]);
    const bad = await s.req('POST', '/kb/synonyms', { auth: s.admin, body: { locale: 'english', term: '', synonyms: [] } });
    expect(bad.status).toBe(400);
    const ok = await s.req('POST', '/kb/synonyms', { auth: s.admin, body: { locale: 'en', term: 'FB', synonyms: ['facebook'] } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ locale: 'en', term: 'fb', synonyms: ['facebook'] });
    expect((await slugs('fb login'))[0]).toBe('social-login');
    // Only in its own language.
    expect((await search('fb', 'de')).map((h) => h.slug)).not.toContain('social-login');
    const dup = await s.req('POST', '/kb/synonyms', { auth: s.admin, body: { locale: 'en', term: 'fb', synonyms: ['meta'] } });
    expect(dup.status).toBe(409);
    const listed = await s.req('GET', '/kb/synonyms?locale=en', { auth: s.admin });
    expect(listed.body.data).toHaveLength(1);
    const del = await s.req('DELETE', `/kb/synonyms/${ok.body.id}`, { auth: s.admin });
    expect(del.status).toBe(204);
    expect(await slugs('fb')).toEqual([]);
  });

  it('answers when sure, asks to clarify when unsure, hands off when nothing fits or a person is asked for', async () => {
    const decide = (text: string) => decideReply(s.deps.kb, { text, language: 'en', kbLocales: ['en'] });
    const answer = await decide('I forgot my password');
    expect(answer.action).toBe('answer');
    expect(answer.action === 'answer' && answer.hits[0]?.slug).toBe('reset-password');
    expect((await decide('the weather in Berlin tomorrow')).action).toBe('handoff');
    expect((await decide('asdkjh qwpoeiru')).action).toBe('handoff');
    // One word of five the articles know: not an answer, not nothing either.
    expect((await decide('painted password fence')).action).toBe('clarify');
    expect((await decide('I want to talk to a human')).action).toBe('person');
  });

  it('answers from an article whose title the question does not touch only when it covers the question well', async () => {
    const decide = (text: string) => decideReply(s.deps.kb, { text, language: 'en', kbLocales: ['en'] });
    // "photo" is only in the profile article's body; "cat" is in no article.
    expect((await decide('photo of my cat')).action).toBe('clarify');
    expect((await decide('where do my name and photo live')).action).toBe('answer');
  });

  it('hands a question about the customer’s own order or payment to a person, even when articles share its words', async () => {
    const decide = (text: string) => decideReply(s.deps.kb, { text, language: 'en', kbLocales: ['en'] });
    expect((await decide('print invoice #4471')).action).toBe('handoff');
    expect((await decide('print invoice')).action).toBe('answer');
  });
});
