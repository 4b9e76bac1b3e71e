import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from './helpers/fake-openai';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

/** The knowledge base through REST API v1 (editors) and the public help API (readers). */
describe(`knowledge base API (${BACKEND})`, () => {
  let s: TestServer;
  let categoryId: string;

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  const pub = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${s.url}/api/v1/help${path}`, init);
    return { status: res.status, headers: res.headers, body: res.status === 204 ? undefined : ((await res.json()) as any) };
  };
  const count = async () => (await s.req('GET', '/kb/articles', { auth: s.admin })).body.data.length;

  it('creates categories, refuses bad or duplicate ones, and stores nothing for them', async () => {
    const bad = await s.req('POST', '/kb/categories', { auth: s.admin, body: { slug: 'Bad Slug', translations: {} } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['slug', 'translations']);
    const ok = await s.req('POST', '/kb/categories', {
      auth: s.admin,
      body: { slug: 'account', translations: { en: { name: 'Account' }, de: { name: 'Konto' } } },
    });
    expect(ok.status).toBe(201);
    categoryId = ok.body.id;
    const dup = await s.req('POST', '/kb/categories', {
      auth: s.admin,
      body: { slug: 'account', translations: { en: { name: 'x' } } },
    });
    expect(dup.status).toBe(409);
    expect((await s.req('GET', '/kb/categories', { auth: s.admin })).body.data).toHaveLength(1);
  });

  it('sanitizes article bodies, keeps drafts private, and publishes', async () => {
    const res = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'reset-password',
        locale: 'en',
        categoryId,
        title: 'Reset your password',
        body: 'Choose **Forgot password** on the sign-in page.<script>alert(1)</script> [evil](javascript:alert(1)) Keep a < b & c in mind.',
        keywords: ['login', 'sign in'],
      },
    });
    expect(res.status).toBe(201);
    const t = res.body.translations[0];
    expect(t).toMatchObject({ locale: 'en', status: 'draft', version: 1, keywords: ['login', 'sign in'] });
    expect(t.bodyHtml).toContain('<strong>Forgot password</strong>');
    expect(t.bodyHtml).not.toMatch(/script|javascript:/);
    // A draft is invisible to the public, in lists and in search.
    expect((await pub('/articles/reset-password')).status).toBe(404);
    expect((await pub('/search?q=password')).body.hits).toEqual([]);
    const published = await s.req('PUT', `/kb/articles/${res.body.id}/translations/en`, {
      auth: s.admin,
      body: { title: 'Reset your password', body: t.bodyMarkdown, status: 'published', keywords: ['login', 'sign in'] },
    });
    expect(published.status).toBe(200);
    expect(published.body.translations[0]).toMatchObject({ status: 'published', version: 2 });
    const page = await pub('/articles/reset-password?locale=en');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      title: 'Reset your password',
      locale: 'en',
      category: { slug: 'account', name: 'Account' },
    });
  });

  it('keeps translations and versions, and falls back to the default locale', async () => {
    const list = await s.req('GET', '/kb/articles?q=reset', { auth: s.admin });
    const id = list.body.data[0].id;
    const de = await s.req('PUT', `/kb/articles/${id}/translations/de`, {
      auth: s.admin,
      body: {
        title: 'Passwort zurücksetzen',
        body: 'Wählen Sie **Passwort vergessen** auf der Anmeldeseite.',
        status: 'published',
      },
    });
    expect(de.status).toBe(200);
    expect(de.body.translations.map((t: { locale: string }) => t.locale)).toEqual(['de', 'en']);
    const versions = await s.req('GET', `/kb/articles/${id}/versions`, { auth: s.admin });
    expect(versions.body.data.map((v: { locale: string; version: number }) => `${v.locale}${v.version}`)).toEqual([
      'de1',
      'en2',
      'en1',
    ]);
    const german = await pub('/articles/reset-password?locale=de');
    expect(german.body).toMatchObject({ title: 'Passwort zurücksetzen', locale: 'de', locales: ['de', 'en'] });
    expect(german.body.category.name).toBe('Konto');
    // Not translated into French: the default locale's text.
    expect((await pub('/articles/reset-password?locale=fr')).body.locale).toBe('en');
    expect((await pub('/locales')).body).toEqual({ default: 'en', locales: ['en', 'de'] });
  });

  it('searches with stemming, highlights safely, tolerates typos and missing accents, and scopes by locale', async () => {
    await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'export-invoices',
        locale: 'en',
        title: 'Export invoices as PDF or CSV',
        body: 'Open Invoices, select them and choose Export. <b>Bold</b> claims are not markup here: 5 < 6.',
        format: 'markdown',
        status: 'published',
      },
    });
    const hit = await pub('/search?q=exporting%20my%20invoice&locale=en');
    expect(hit.body.hits[0]).toMatchObject({ slug: 'export-invoices', locale: 'en', url: '/help/en/articles/export-invoices' });
    expect(hit.body.hits[0].snippet).toContain('<mark>');
    expect(hit.body.hits[0].snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(hit.body.mode).toBe('fulltext');
    // A typo (pg_trgm) and a German word typed without its umlaut (unaccent).
    expect((await pub('/search?q=pasword&locale=en')).body.hits[0]?.slug).toBe('reset-password');
    const de = await pub('/search?q=zurucksetzen&locale=de');
    expect(de.body.hits[0]).toMatchObject({ slug: 'reset-password', locale: 'de', title: 'Passwort zurücksetzen' });
    // German readers get German text, and the English-only article in English.
    const mixed = await pub('/search?q=invoices&locale=de');
    expect(mixed.body.hits[0]).toMatchObject({ slug: 'export-invoices', locale: 'en' });
    expect((await pub('/search?q=')).status).toBe(400);
    expect((await pub('/search?q=%28%29%21%26%7C%3A*')).body.hits).toEqual([]);
  });

  it('takes "was this helpful?" feedback on published articles only', async () => {
    const yes = await pub('/articles/reset-password/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'en', helpful: true }),
    });
    expect(yes.status).toBe(201);
    const no = await pub('/articles/reset-password/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'de', helpful: false }),
    });
    // The reader says what was missing: the same vote gets the comment (once), not a second vote.
    const comment = (id: number, text: string) =>
      pub(`/feedback/${id}/comment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ comment: text }),
      });
    expect((await comment(no.body.id, 'Link expired')).status).toBe(204);
    expect((await comment(no.body.id, 'again')).status).toBe(404);
    const stored = await s.deps.db.selectFrom('kb_feedback').select('comment').where('id', '=', no.body.id).executeTakeFirst();
    expect(stored?.comment).toBe('Link expired');
    const bad = await pub('/articles/reset-password/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'english', helpful: 'yes' }),
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await pub('/articles/nope/feedback', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"locale":"en","helpful":true}',
        })
      ).status,
    ).toBe(404);
    const a = (await s.req('GET', '/kb/articles?q=reset', { auth: s.admin })).body.data[0];
    expect(a.helpful).toEqual({ yes: 1, no: 1 });
    expect(yes.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('validates tutorials: every step a choice points to must exist; nothing is stored otherwise', async () => {
    const before = await count();
    const broken = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'pair-reader',
        kind: 'tutorial',
        locale: 'en',
        title: 'Pair the card reader',
        status: 'published',
        steps: [{ id: 'start', title: 'Is it on?', body: 'Check', choices: [{ label: 'No', next: 'charge' }] }],
      },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.issues[0].message).toContain('unknown step charge');
    const noSteps = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: { slug: 'pair-reader', kind: 'tutorial', locale: 'en', title: 'Pair the card reader' },
    });
    expect(noSteps.status).toBe(400);
    const stepsOnArticle = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: { slug: 'x-article', locale: 'en', title: 'X', steps: [{ id: 'a', title: 'A', body: '' }] },
    });
    expect(stepsOnArticle.status).toBe(400);
    expect(await count()).toBe(before);
    const ok = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'pair-reader',
        kind: 'tutorial',
        locale: 'en',
        title: 'Pair the card reader',
        status: 'published',
        steps: [
          {
            id: 'start',
            title: 'Is it on?',
            body: 'Check the light.',
            choices: [
              { label: 'No', next: 'charge' },
              { label: 'Yes', next: 'pair' },
            ],
          },
          { id: 'charge', title: 'Charge it', body: 'Ten minutes.', next: 'pair' },
          { id: 'pair', title: 'Pair it', body: 'Open Bluetooth.' },
        ],
      },
    });
    expect(ok.status).toBe(201);
    const page = await pub('/articles/pair-reader');
    expect(page.body.kind).toBe('tutorial');
    expect(page.body.steps.map((x: { id: string }) => x.id)).toEqual(['start', 'charge', 'pair']);
  });

  it('refuses bad articles with field errors, duplicate slugs with 409, and writes from agents', async () => {
    const before = await count();
    const bad = await s.req('POST', '/kb/articles', { auth: s.admin, body: { slug: 'Nope!', locale: 'english', title: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['locale', 'slug', 'title']);
    const dup = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: { slug: 'reset-password', locale: 'en', title: 'Again' },
    });
    expect(dup.status).toBe(409);
    const unknownCategory = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: { slug: 'orphan', locale: 'en', title: 'Orphan', categoryId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknownCategory.status).toBe(400);
    expect(await count()).toBe(before);

    await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'kb-agent@t.dev', name: 'KB Agent', role: 'agent', password: 'agent-user-pass' },
    });
    const agent = await s.login('kb-agent@t.dev', 'agent-user-pass');
    expect((await s.req('GET', '/kb/articles', { auth: agent })).status).toBe(200);
    expect((await s.req('POST', '/kb/articles', { auth: agent, body: { slug: 'a', locale: 'en', title: 'A' } })).status).toBe(
      403,
    );
  });

  it('suggests articles for the page a visitor is on', async () => {
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    const websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    const res = await fetch(`${s.url}/widget-api/v1/help/suggestions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, pageUrl: 'https://shop.example/account/invoices/export', locale: 'en' }),
    });
    expect(res.status).toBe(200);
    const { hits } = (await res.json()) as { hits: { slug: string }[] };
    expect(hits[0]?.slug).toBe('export-invoices');
    const unknown = await fetch(`${s.url}/widget-api/v1/help/suggestions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken: 'wt_nope' }),
    });
    expect(unknown.status).toBe(401);
  });
});

describe(`hybrid retrieval with embeddings (${BACKEND})`, () => {
  let s: TestServer;
  let llm: FakeOpenAI;

  beforeAll(async () => {
    llm = await startFakeOpenAI();
    s = await startTestServer({ env: { OPENAI_BASE_URL: llm.url } });
  });
  afterAll(async () => {
    await s?.close();
    await llm?.close();
  });

  it('embeds published articles and fuses vector similarity with full text when pgvector exists, else says full text', async () => {
    for (const [slug, title, body] of [
      ['reset-password', 'Reset your password', 'Choose Forgot password on the sign-in page.'],
      ['export-invoices', 'Export invoices', 'Open Invoices and choose Export as PDF or CSV.'],
    ])
      await s.req('POST', '/kb/articles', { auth: s.admin, body: { slug, locale: 'en', title, body, status: 'published' } });
    const vector = s.deps.kb.caps.vector;
    if (vector) {
      await waitFor(async () => (await s.deps.db.selectFrom('kb_embeddings').select('translation_id').execute()).length === 2);
    }
    const res = await fetch(`${s.url}/api/v1/help/search?q=password%20forgotten`);
    const body = (await res.json()) as { mode: string; hits: { slug: string }[] };
    expect(body.mode).toBe(vector ? 'hybrid' : 'fulltext');
    expect(body.hits[0]?.slug).toBe('reset-password');
    if (vector) expect(llm.embeddingCalls).toBeGreaterThanOrEqual(2);
    // PGlite ships pgvector; the CI Postgres does not, and the server says so instead of failing.
    if (BACKEND === 'pglite') expect(vector).toBe(true);
  });
});
