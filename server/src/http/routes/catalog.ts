import {
  CustomFieldCreate,
  CustomFieldDefinition,
  CustomFieldListQuery,
  CustomFieldUpdate,
  Id,
  Status,
  StatusCreate,
  StatusDelete,
  StatusDeleteResult,
  StatusUpdate,
  Tag,
  TagCreate,
  TagMerge,
  TagUpdate,
} from '@autocrm/shared';
import { z } from 'zod';
import { createCustomField, listCustomFields, updateCustomField } from '../../domain/admin/custom-field-definitions';
import { createStatus, deleteStatus, listStatuses, updateStatus } from '../../domain/admin/status-definitions';
import { createTag, deleteTag, listTags, mergeTag, updateTag } from '../../domain/admin/tag-definitions';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';

const IdParam = z.object({ id: Id });
const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

// Reading the catalog is part of working conversations; changing it is an admin's job.
export function catalogRoutes(app: App, { db }: AppDeps) {
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/tags',
      tags: ['Tags'],
      summary: 'List tags',
      responses: { 200: json(list(Tag), 'Tags') },
    }),
    async (c) => c.json({ data: await listTags(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/tags',
      tags: ['Tags'],
      summary: 'Create a tag',
      request: { body: jsonBody(TagCreate) },
      responses: { 201: json(Tag, 'The new tag') },
    }),
    async (c) => c.json(await createTag(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('admin', {
      method: 'delete',
      path: '/tags/{id}',
      tags: ['Tags'],
      summary: 'Delete a tag (removes it from conversations)',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteTag(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/tags/{id}',
      operationId: 'updateTag',
      tags: ['Tags'],
      summary: 'Rename or recolour a tag',
      description:
        'Conversations refer to a tag by id, so they carry the new name at once. Renaming to the name of another tag is a conflict: merge them instead.',
      request: { params: IdParam, body: jsonBody(TagUpdate) },
      responses: { 200: json(Tag, 'The tag') },
    }),
    async (c) => c.json(await updateTag(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/tags/{id}/merge',
      operationId: 'mergeTag',
      tags: ['Tags'],
      summary: 'Merge a tag into another',
      description:
        'Every conversation with this tag gets the `into` tag instead (once), then this tag is deleted. Audited as `tag.merged`.',
      request: { params: IdParam, body: jsonBody(TagMerge) },
      responses: { 200: json(Tag, 'The tag that stays') },
    }),
    async (c) => c.json(await mergeTag(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/statuses',
      tags: ['Statuses'],
      summary: 'List statuses with their categories',
      responses: { 200: json(list(Status), 'Statuses') },
    }),
    async (c) => c.json({ data: await listStatuses(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/statuses',
      tags: ['Statuses'],
      summary: 'Create a status',
      request: { body: jsonBody(StatusCreate) },
      responses: { 201: json(Status, 'The new status') },
    }),
    async (c) => c.json(await createStatus(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/statuses/{id}',
      tags: ['Statuses'],
      summary: 'Rename, reorder or make default',
      request: { params: IdParam, body: jsonBody(StatusUpdate) },
      responses: { 200: json(Status, 'The status') },
    }),
    async (c) =>
      c.json(await updateStatus(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/statuses/{id}/delete',
      operationId: 'deleteStatus',
      tags: ['Statuses'],
      summary: 'Delete a status, moving its conversations to a replacement',
      description:
        'Conversations in this status (and their status history, and macros or rules that name it) move to `replacementId`, which must be in the same category. Deleting the default status needs `newDefaultId` (an open status). Audited as `status.deleted`.',
      request: { params: IdParam, body: jsonBody(StatusDelete) },
      responses: { 200: json(StatusDeleteResult, 'What moved and which status is the default now') },
    }),
    async (c) =>
      c.json(await deleteStatus(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );

  app.openapi(
    secured('conversations:read', {
      method: 'get',
      path: '/custom-fields',
      tags: ['Custom fields'],
      summary: 'List custom field definitions',
      request: { query: CustomFieldListQuery },
      responses: { 200: json(list(CustomFieldDefinition), 'Definitions') },
    }),
    async (c) => c.json({ data: await listCustomFields(db, { entity: c.req.valid('query').entity }) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/custom-fields',
      tags: ['Custom fields'],
      summary: 'Define a custom field',
      request: { body: jsonBody(CustomFieldCreate) },
      responses: { 201: json(CustomFieldDefinition, 'The new definition') },
    }),
    async (c) => c.json(await createCustomField(db, { actor: actorOf(c), input: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('admin', {
      method: 'patch',
      path: '/custom-fields/{id}',
      tags: ['Custom fields'],
      summary: 'Change label, options or required',
      request: { params: IdParam, body: jsonBody(CustomFieldUpdate) },
      responses: { 200: json(CustomFieldDefinition, 'The definition') },
    }),
    async (c) =>
      c.json(await updateCustomField(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
}
