import {
  AttachmentInput,
  PortalField,
  PortalRating,
  PortalReply,
  PortalTicket,
  PortalTicketCreate,
  PortalTicketDetail,
} from '@autocrm/shared';
import { z } from 'zod';
import {
  closePortalTicket,
  createPortalTicket,
  getPortalTicket,
  listPortalTickets,
  portalTicketFields,
  ratePortalTicket,
  replyAsCustomer,
} from '../../domain/portal/tickets';
import { bindAttachments, checkAttachments, storeUploadStream } from '../../domain/widget/uploads';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import type { AppDeps } from '../context';
import { json, jsonBody } from '../openapi';
import { readUploadedFile, UploadBody } from '../read-uploaded-file';
import { type PortalApp, PortalOk } from './portal-app';

const TicketId = z.object({ id: z.uuid() });

/** The signed-in customer's tickets on every channel: list, open, read, reply, close, rate, and attach files. */
export function portalTicketRoutes({ app, customer }: PortalApp, deps: AppDeps) {
  const { db, config } = deps;
  const dir = uploadStoreFor(config);

  app.openapi(
    customer({
      method: 'get',
      path: '/portal/tickets',
      summary: 'List my tickets',
      responses: { 200: json(z.object({ data: z.array(PortalTicket) }), 'Every ticket of this customer, on every channel') },
    }),
    async (c) => c.json({ data: await listPortalTickets(db, { contactId: c.get('customer').contactId }) }, 200),
  );
  app.openapi(
    customer({
      method: 'get',
      path: '/portal/ticket-fields',
      summary: 'List the ticket form fields',
      responses: { 200: json(z.object({ data: z.array(PortalField) }), 'Custom fields marked customer-visible') },
    }),
    async (c) => c.json({ data: await portalTicketFields(db) }, 200),
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/tickets',
      summary: 'Open a ticket',
      request: { body: jsonBody(PortalTicketCreate) },
      responses: { 201: json(TicketId, 'Opened') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const { contactId } = c.get('customer');
      const ids = await checkAttachments(dir, {
        owner: `contact:${contactId}`,
        conversationId: 'new',
        attachments: input.attachments,
      });
      const created = await createPortalTicket(db, { contactId, input });
      await bindAttachments({ dir, ids, conversationId: created.id });
      return c.json(created, 201);
    },
  );
  app.openapi(
    customer({
      method: 'get',
      path: '/portal/tickets/{id}',
      summary: 'Get my ticket',
      request: { params: TicketId },
      responses: { 200: json(PortalTicketDetail, 'The ticket and its public messages (never internal notes)') },
    }),
    async (c) =>
      c.json(await getPortalTicket(db, { contactId: c.get('customer').contactId, conversationId: c.req.valid('param').id }), 200),
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/tickets/{id}/messages',
      summary: 'Reply to my ticket',
      request: { params: TicketId, body: jsonBody(PortalReply) },
      responses: { 201: json(z.object({ id: z.string(), seq: z.number().int() }), 'Stored in the room') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const { contactId } = c.get('customer');
      await deps.rateLimits.socketSends.spend(`contact:${contactId}`);
      const ids = await checkAttachments(dir, {
        owner: `contact:${contactId}`,
        conversationId: id,
        attachments: input.attachments,
      });
      const sent = await replyAsCustomer(db, { contactId, conversationId: id, ...input });
      await bindAttachments({ dir, ids, conversationId: id });
      return c.json(sent, 201);
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/tickets/{id}/close',
      summary: 'Close my ticket',
      request: { params: TicketId },
      responses: { 200: json(PortalOk, 'Resolved') },
    }),
    async (c) => {
      await closePortalTicket(db, { contactId: c.get('customer').contactId, conversationId: c.req.valid('param').id });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/tickets/{id}/rating',
      summary: 'Rate my ticket',
      request: { params: TicketId, body: jsonBody(PortalRating) },
      responses: {
        200: json(
          z.object({ rating: z.number().nullable(), comment: z.string().nullable(), ratedAt: z.string().nullable() }),
          'Rated',
        ),
      },
    }),
    async (c) => {
      const { rating, comment } = c.req.valid('json');
      return c.json(
        await ratePortalTicket(db, {
          contactId: c.get('customer').contactId,
          conversationId: c.req.valid('param').id,
          rating,
          comment,
        }),
        200,
      );
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/uploads',
      summary: 'Upload an attachment',
      description: 'Multipart `file`; the same types, size limit and content sniffing as the widget’s uploads.',
      request: { body: UploadBody },
      responses: { 201: json(AttachmentInput, 'The stored file, to send as an attachment') },
    }),
    async (c) => {
      const stored = await storeUploadStream(dir, {
        ...(await readUploadedFile(c)),
        owner: `contact:${c.get('customer').contactId}`,
      });
      const origin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : new URL(c.req.url).origin;
      return c.json(
        {
          url: deps.uploadLinks.link(origin, stored.id, encodeURIComponent(stored.name)),
          name: stored.name,
          contentType: stored.contentType,
          size: stored.size,
        },
        201,
      );
    },
  );
}
