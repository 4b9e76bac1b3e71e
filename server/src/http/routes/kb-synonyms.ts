import { Id, KbSynonym, KbSynonymInput, Locale } from '@autocrm/shared';
import { z } from 'zod';
import { createSynonym, deleteSynonym, listSynonyms, updateSynonym } from '../../domain/kb/synonyms';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });

/** Search synonyms and abbreviations: every agent may read them (kb:read), editors change them (kb:write). */
export function kbSynonymRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  app.openapi(
    secured('kb:read', {
      method: 'get',
      path: '/kb/synonyms',
      tags: ['Knowledge base'],
      summary: 'List search synonyms and abbreviations',
      request: { query: z.object({ locale: Locale.optional() }) },
      responses: { 200: json(z.object({ data: z.array(KbSynonym) }), 'Synonyms by locale and term') },
    }),
    async (c) => c.json({ data: await listSynonyms(db, c.req.valid('query').locale) }, 200),
  );
  app.openapi(
    secured('kb:write', {
      method: 'post',
      path: '/kb/synonyms',
      tags: ['Knowledge base'],
      summary: 'Add a term with its synonyms (used by search from the next query on)',
      request: { body: jsonBody(KbSynonymInput) },
      responses: { 201: json(KbSynonym, 'The new entry') },
    }),
    async (c) => c.json(await createSynonym(db, { actor: actorOf(c), raw: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('kb:write', {
      method: 'put',
      path: '/kb/synonyms/{id}',
      tags: ['Knowledge base'],
      summary: 'Replace a term and its synonyms',
      request: { params: IdParam, body: jsonBody(KbSynonymInput) },
      responses: { 200: json(KbSynonym, 'The entry') },
    }),
    async (c) =>
      c.json(await updateSynonym(db, { actor: actorOf(c), id: c.req.valid('param').id, raw: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('kb:write', {
      method: 'delete',
      path: '/kb/synonyms/{id}',
      tags: ['Knowledge base'],
      summary: 'Delete a term and its synonyms',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteSynonym(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );
}
