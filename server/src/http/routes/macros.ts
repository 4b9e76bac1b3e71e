import { Id, Macro, MacroApplyResult, MacroInput, MacroUse } from '@autocrm/shared';
import { z } from 'zod';
import { applyMacro } from '../../domain/macros/apply-macro';
import { createMacro, deleteMacro, getMacro, listMacros, listMacroUses, updateMacro } from '../../domain/macros/macros';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });
const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/**
 * Macros: a reply body plus field changes. Everyone who works conversations reads and applies them and
 * keeps personal ones; shared ones are managed by supervisors and admins (checked in the domain).
 */
export function macroRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  // The configured store (local disk or S3), the same one uploads and downloads use.
  const uploadsDir = uploadStoreFor(deps.config);

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/macros',
      tags: ['Macros'],
      summary: "List shared macros and the caller's personal ones",
      responses: { 200: json(list(Macro), 'Macros') },
    }),
    async (c) => c.json({ data: await listMacros(db, actorOf(c)) }, 200),
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/macros/{id}',
      tags: ['Macros'],
      summary: 'Get a macro (shared, or one of your own)',
      request: { params: IdParam },
      responses: { 200: json(Macro, 'The macro') },
    }),
    async (c) => c.json(await getMacro(db, { actor: actorOf(c), id: c.req.valid('param').id }), 200),
  );
  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/macros',
      tags: ['Macros'],
      summary: 'Create a macro (shared ones need the supervisor or admin role)',
      request: { body: jsonBody(MacroInput) },
      responses: { 201: json(Macro, 'The new macro') },
    }),
    async (c) => c.json(await createMacro(db, { actor: actorOf(c), raw: c.req.valid('json'), uploadsDir }), 201),
  );
  app.openapi(
    secured('conversations:write', {
      method: 'put',
      path: '/macros/{id}',
      tags: ['Macros'],
      summary: 'Replace a macro',
      request: { params: IdParam, body: jsonBody(MacroInput) },
      responses: { 200: json(Macro, 'The macro') },
    }),
    async (c) =>
      c.json(
        await updateMacro(db, { actor: actorOf(c), id: c.req.valid('param').id, raw: c.req.valid('json'), uploadsDir }),
        200,
      ),
  );
  app.openapi(
    secured('conversations:write', {
      method: 'delete',
      path: '/macros/{id}',
      tags: ['Macros'],
      summary: 'Delete a macro',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteMacro(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/conversations/{id}/macros/{macroId}/apply',
      tags: ['Macros'],
      summary: 'Apply a macro: all its field changes in one step (or none), and its body for the reply box',
      request: { params: z.object({ id: Id, macroId: Id }) },
      responses: { 200: json(MacroApplyResult, 'The body and the updated conversation') },
    }),
    async (c) => {
      const { id, macroId } = c.req.valid('param');
      return c.json(await applyMacro(db, { actor: actorOf(c), conversationId: id, macroId, uploadsDir }), 200);
    },
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/macros/{id}/uses',
      tags: ['Macros'],
      summary: 'Every use of a macro: who applied it, when, to which conversation (newest first, at most 1,000)',
      request: { params: IdParam },
      responses: { 200: json(z.object({ data: z.array(MacroUse) }), 'Uses') },
    }),
    async (c) => c.json({ data: await listMacroUses(db, { actor: actorOf(c), id: c.req.valid('param').id }) }, 200),
  );
}
